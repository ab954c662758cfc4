/**
 * The runtime's encoding of protocol data, on the wire and on disk: JSON in which tagged Schema
 * classes keep their `_tag`, Maps and Sets are marked, and non-finite numbers are spelled out.
 * Decoding rebuilds every tagged value through its Schema class constructor, which validates its
 * fields: bytes from a socket or a file are untrusted, and anything not in the registry is refused.
 */
import { Schema } from "effect"
import type { Tagged } from "../core/node.ts"
import { PersistentMap } from "../core/persistent-map.ts"
import { trustingConstruction } from "../core/tagged-data.ts"
import { passes } from "./shape-check.ts"

/** A Schema tagged class: constructed from its fields, validating them. */
export type TaggedClass = (new (fields: any) => Tagged) & { readonly identifier?: string }

export class DecodeError extends Error {}

export class Registry {
  private readonly classes = new Map<string, TaggedClass>()
  private readonly checks = new Map<string, { readonly schema: Schema.Top; readonly check: (fields: unknown) => unknown } | null>()
  /** Decoded tagged values by their text (see fromJson), per registry: two registries may build one tag with different classes. */
  readonly decoded = new Map<string, unknown>()
  constructor(classes: Iterable<TaggedClass>) {
    for (const c of classes) {
      const tag = tagOf(c)
      const had = this.classes.get(tag)
      if (had && had !== c) throw new Error(`two different classes are registered for tag "${tag}"`)
      this.classes.set(tag, c)
    }
  }
  get(tag: string): TaggedClass | undefined {
    return this.classes.get(tag)
  }
  has(tag: string): boolean {
    return this.classes.has(tag)
  }
  /**
   * Why decoded `fields` (nested tagged values already rebuilt through this registry) do not match
   * the schema of `tag`'s class exactly, or undefined. Checked before construction because a class
   * constructor coerces a plain object into a nested class field; here a nested value must be what
   * the schema says (a command of the application's command schema, not any tagged value).
   */
  mismatch(tag: string, fields: Record<string, unknown>): string | undefined {
    let entry = this.checks.get(tag)
    if (entry === undefined) {
      const schemaFields = (this.classes.get(tag) as { readonly fields?: Schema.Struct.Fields } | undefined)?.fields
      const schema = schemaFields ? Schema.Struct(schemaFields) : undefined
      entry = schema ? { schema, check: Schema.decodeUnknownSync(Schema.toType(schema)) } : null
      this.checks.set(tag, entry)
    }
    if (entry === null) return undefined
    const value = { _tag: tag, ...fields }
    // One pass over the value (shape-check.ts); Effect's check, per map entry, only to word a refusal.
    if (passes(entry.schema, value)) return undefined
    try {
      entry.check(value)
      return undefined
    } catch (e) {
      return (e as Error).message.replace(/\s+/g, " ").slice(0, 200)
    }
  }
}

const tagOf = (c: TaggedClass): string => {
  const tag = c.identifier
  if (typeof tag !== "string") throw new Error(`${c.name} is not a Schema tagged class`)
  return tag
}

const isTaggedInstance = (v: object): v is Tagged => typeof (v as Tagged)._tag === "string" && Object.getPrototypeOf(v) !== Object.prototype

/** The JSON-able form of a value. */
export const toJson = (v: unknown): unknown => {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v
  if (typeof v === "number") return Number.isFinite(v) ? v : { $num: String(v) }
  if (v === undefined) return { $undef: 1 }
  if (Array.isArray(v)) return v.map(toJson)
  if (v instanceof Map) return { $map: [...v].map(([k, x]) => [toJson(k), toJson(x)]) }
  if (v instanceof Set) return { $set: [...v].map(toJson) }
  if (typeof v === "object") {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(v)) {
      const x = (v as Record<string, unknown>)[k]
      if (x !== undefined) out[k] = toJson(x)
    }
    return out
  }
  throw new TypeError(`cannot encode a ${typeof v}`)
}

/**
 * JSON text of a value, as JSON.stringify(toJson(v)) gives it. Tagged instances are immutable, and the
 * same ones travel again and again (log entries in every replication message), so their text is cached;
 * `cacheTop` false: not the value itself (a message, encoded once: a cache entry would only cost).
 */
const textCache = new WeakMap<object, string>()
export const toJsonText = (v: unknown, cacheTop = true): string => {
  if (v === null || typeof v === "boolean" || typeof v === "string") return JSON.stringify(v)
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : JSON.stringify(toJson(v))
  if (v === undefined) return '{"$undef":1}'
  if (Array.isArray(v)) return `[${v.map((x) => toJsonText(x)).join(",")}]`
  if (v instanceof PersistentMap) {
    // Immutable, and large (a Raft snapshot's store, sent again on every heartbeat until it is acknowledged): encoded once.
    let text = textCache.get(v)
    if (text === undefined) textCache.set(v, (text = JSON.stringify(toJson(v))))
    return text
  }
  if (v instanceof Map || v instanceof Set) return JSON.stringify(toJson(v))
  if (typeof v !== "object") throw new TypeError(`cannot encode a ${typeof v}`)
  const cache = cacheTop && isTaggedInstance(v)
  if (cache) {
    const hit = textCache.get(v)
    if (hit !== undefined) return hit
  }
  const parts: string[] = []
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k]
    if (x !== undefined) parts.push(`${JSON.stringify(k)}:${toJsonText(x)}`)
  }
  const text = `{${parts.join(",")}}`
  if (cache) textCache.set(v, text)
  return text
}

/**
 * Decoded tagged values are kept by their text (Registry.decoded): an immutable value decoded once is
 * shared, which spares the schema validation of the copies that arrive again (bounded; cleared when full).
 */
const DECODED_MAX = 20_000

/**
 * Rebuilds a value from its JSON form; tagged objects must be registered and valid. `cacheTop` false:
 * the value itself is not kept by its text (a message that arrives once: its key would be the whole
 * frame), what it holds still is. Only the outermost tagged values below it are: one looked up by its
 * text holds the tagged values inside it (a command's Put inside an AMOCommand), and those come again
 * only with it.
 */
export const fromJson = (j: unknown, registry: Registry, cacheTop = true): unknown => {
  if (j === null || typeof j !== "object") return j
  if (Array.isArray(j)) return j.map((x) => fromJson(x, registry, cacheTop))
  const o = j as Record<string, unknown>
  if ("$map" in o) {
    if (!Array.isArray(o.$map)) throw new DecodeError("$map is not an array")
    return new Map(
      o.$map.map((e: unknown) => {
        if (!Array.isArray(e) || e.length !== 2) throw new DecodeError("$map entry is not a pair")
        return [fromJson(e[0], registry, cacheTop), fromJson(e[1], registry, cacheTop)] as const
      })
    )
  }
  if ("$set" in o) {
    if (!Array.isArray(o.$set)) throw new DecodeError("$set is not an array")
    return new Set(o.$set.map((x) => fromJson(x, registry, cacheTop)))
  }
  if ("$num" in o) {
    const n = Number(o.$num)
    if (o.$num !== "Infinity" && o.$num !== "-Infinity" && o.$num !== "NaN") throw new DecodeError(`bad number ${String(o.$num)}`)
    return n
  }
  if ("$undef" in o) return undefined
  if (!("_tag" in o)) {
    const plain: Record<string, unknown> = {}
    for (const k of Object.keys(o)) plain[k] = fromJson(o[k], registry, cacheTop)
    return plain
  }
  if (!cacheTop) return fromTagged(o, registry, true)
  const key = JSON.stringify(o)
  const decoded = registry.decoded
  const hit = decoded.get(key)
  if (hit !== undefined) return hit
  const value = fromTagged(o, registry, false)
  if (decoded.size >= DECODED_MAX) decoded.clear()
  decoded.set(key, value)
  return value
}

/** `cacheInside`: whether the tagged values in its fields are looked up by their text. */
const fromTagged = (o: Record<string, unknown>, registry: Registry, cacheInside: boolean): unknown => {
  const fields: Record<string, unknown> = {}
  for (const k of Object.keys(o)) if (k !== "_tag") fields[k] = fromJson(o[k], registry, cacheInside)
  const tag = o._tag
  if (typeof tag !== "string") throw new DecodeError("_tag is not a string")
  const cls = registry.get(tag)
  if (!cls) throw new DecodeError(`unknown tag "${tag.slice(0, 40)}"`)
  const why = registry.mismatch(tag, fields)
  if (why !== undefined) throw new DecodeError(`invalid ${tag}: ${why}`)
  try {
    // The fields were just checked against the class's schema: constructing validates them no more.
    return trustingConstruction(() => new cls(fields))
  } catch (e) {
    throw new DecodeError(`invalid ${tag}: ${(e as Error).message.split("\n")[0]}`)
  }
}

export const encode = (v: unknown): string => toJsonText(v)

export const decode = (text: string, registry: Registry): unknown => {
  let j: unknown
  try {
    j = JSON.parse(text)
  } catch (e) {
    throw new DecodeError(`not JSON: ${(e as Error).message}`)
  }
  return fromJson(j, registry)
}

export { isTaggedInstance }
