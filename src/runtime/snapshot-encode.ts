/**
 * A snapshot's JSON text, encoded a piece at a time (runtime/storage.ts `compact`): the text is exactly
 * JSON.stringify(toJson(v)) (codec.ts), so recovery reads it as it read the text built in one piece,
 * but it comes out as a sequence of chunks of about `chunkChars` characters each, and the caller gives
 * the event loop a turn between chunks. A node's value is immutable (persistent maps; a step never
 * changes the value an earlier step persisted), so it can be walked across event-loop turns while the
 * node takes further steps. Walking a 200k-key store in one piece stalls every socket of the node for
 * the whole encoding (bench/runtime-snapshot-stall.ts).
 */

/** The JSON text of a value that is no container (undefined: it is one); undefined inside an object is left out by the caller. */
const leafText = (v: unknown): string | undefined => {
  if (v === null || typeof v === "string" || typeof v === "boolean") return JSON.stringify(v)
  if (typeof v === "number") return Number.isFinite(v) ? JSON.stringify(v) : JSON.stringify({ $num: String(v) })
  if (v === undefined) return '{"$undef":1}'
  if (typeof v !== "object") throw new TypeError(`cannot encode a ${typeof v}`)
  return undefined
}

/** Entries JSON.stringify encodes in one call. */
const PLAIN_RUN = 256

/** A value JSON.stringify writes as toJson does: a string, a boolean, null or a finite number. */
const isPlain = (v: unknown): boolean => typeof v === "string" || typeof v === "boolean" || v === null || (typeof v === "number" && Number.isFinite(v))

/**
 * Yields the text of JSON.stringify(toJson(v)) in chunks of at least `chunkChars` characters (the last
 * one shorter, a single long string longer): the work between two chunks is about that of encoding
 * `chunkChars` characters, whatever the shape of the value.
 */
export function* jsonChunks(v: unknown, chunkChars = 1 << 16): Generator<string, void, void> {
  let parts: string[] = []
  let size = 0
  const put = (s: string) => {
    parts.push(s)
    size += s.length
  }
  const full = () => size >= chunkChars
  const take = () => {
    const chunk = parts.join("")
    parts = []
    size = 0
    return chunk
  }
  /** Puts `x`'s text (a leaf's here, a container's through `container`). */
  function* element(x: unknown): Generator<string, void, void> {
    const leaf = leafText(x)
    if (leaf === undefined) yield* container(x as object)
    else put(leaf)
  }
  function* container(o: object): Generator<string, void, void> {
    if (Array.isArray(o)) {
      put("[")
      for (let i = 0; i < o.length; i++) {
        if (i > 0) put(",")
        const leaf = leafText(o[i])
        if (leaf === undefined) yield* container(o[i] as object)
        else put(leaf)
        if (full()) yield take()
      }
      put("]")
    } else if (o instanceof Map) {
      put('{"$map":[')
      let first = true
      // Runs of entries whose key and value JSON.stringify writes as toJson does go through it in one call.
      let plain: Array<readonly [unknown, unknown]> = []
      const putPlain = () => {
        if (plain.length === 0) return
        const t = JSON.stringify(plain)
        put(first ? t.slice(1, -1) : `,${t.slice(1, -1)}`)
        first = false
        plain = []
      }
      for (const e of o as Map<unknown, unknown>) {
        if (isPlain(e[0]) && isPlain(e[1])) {
          plain.push(e)
          if (plain.length >= PLAIN_RUN) putPlain()
        } else {
          putPlain()
          put(first ? "[" : ",[")
          first = false
          const kt = leafText(e[0])
          if (kt === undefined) yield* container(e[0] as object)
          else put(kt)
          put(",")
          const xt = leafText(e[1])
          if (xt === undefined) yield* container(e[1] as object)
          else put(xt)
          put("]")
        }
        if (full()) yield take()
      }
      putPlain()
      put("]}")
    } else if (o instanceof Set) {
      put('{"$set":[')
      let first = true
      for (const x of o) {
        if (!first) put(",")
        first = false
        const leaf = leafText(x)
        if (leaf === undefined) yield* container(x as object)
        else put(leaf)
        if (full()) yield take()
      }
      put("]}")
    } else {
      put("{")
      let first = true
      for (const k of Object.keys(o)) {
        const x = (o as Record<string, unknown>)[k]
        if (x === undefined) continue
        put(first ? `${JSON.stringify(k)}:` : `,${JSON.stringify(k)}:`)
        first = false
        const leaf = leafText(x)
        if (leaf === undefined) yield* container(x as object)
        else put(leaf)
      }
      put("}")
    }
  }
  yield* element(v)
  if (size > 0) yield take()
}
