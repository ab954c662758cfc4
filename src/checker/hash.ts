/**
 * 64-bit structural hashing, computed as two independent 32-bit lanes with Math.imul so that no
 * BigInt or allocation is needed in the hot path. Canonical, as core/encode.ts states the canonical
 * form: a record's defined fields are visited in name order (a Schema class instance's declared fields
 * only), and Maps / Sets are combined order-independently (a lane-wise sum of per-entry hashes), so
 * equal data hashes equally however it was built. Records are hashed by functions compiled per Schema
 * class (from its declared fields) and per plain key set, so no key list is sorted per record.
 */
import { type FieldKind, fieldsOfClass } from "./schema-fields.ts"
import type { Fingerprint } from "./transition-system.ts"

const C1 = 0xcc9e2d51
const C2 = 0x1b873593

export const fmix32 = (h: number): number => {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

const mixIn = (h: number, k: number): number => {
  k = Math.imul(k, C1)
  k = (k << 15) | (k >>> 17)
  k = Math.imul(k, C2)
  h ^= k
  h = (h << 13) | (h >>> 19)
  return (Math.imul(h, 5) + 0xe6546b64) | 0
}

/** A streaming 64-bit hasher (two murmur3-style lanes with different seeds). */
export class Hasher {
  a = 0x9747b28c | 0
  b = 0x5bd1e995 | 0
  n = 0
  reset(): this {
    this.a = 0x9747b28c | 0
    this.b = 0x5bd1e995 | 0
    this.n = 0
    return this
  }
  int(k: number): this {
    this.a = mixIn(this.a, k)
    this.b = mixIn(this.b, k ^ 0x27d4eb2f)
    this.n++
    return this
  }
  num(x: number): this {
    if ((x | 0) === x) return this.int(1).int(x)
    F64[0] = x
    return this.int(2).int(U32[0]!).int(U32[1]!)
  }
  str(s: string): this {
    // States repeat the same strings (field names, addresses, values): hash each once. V8 caches a
    // string's own hash, so the Map lookup is cheaper than re-reading the characters.
    let c = strCache.get(s)
    if (c === undefined) {
      c = strHash(s)
      if (strCache.size >= STR_CACHE_MAX) strCache.clear()
      strCache.set(s, c)
    }
    return this.int(3).int(c[0]).int(c[1])
  }
  /** Finishes into `out` (does not reset). */
  finish(out: Fingerprint): Fingerprint {
    const a = fmix32(this.a ^ this.n)
    const b = fmix32(this.b ^ Math.imul(this.n, 0x2545f491))
    out.hi = (a ^ Math.imul(b, 0x9e3779b1)) >>> 0
    out.lo = (b ^ a) >>> 0
    return out
  }
}

/** The two words `Hasher.str` mixes in for a string (after its marker). */
const strHash = (s: string): readonly [number, number] => {
  let a = 0x3c6ef372 ^ s.length
  let b = 0xa54ff53a ^ s.length
  for (let i = 0; i < s.length; i++) {
    const k = s.charCodeAt(i)
    a = mixIn(a, k)
    b = mixIn(b, k ^ 0x27d4eb2f)
  }
  return [fmix32(a), fmix32(b ^ 0x85ebca6b)]
}

const STR_CACHE_MAX = 1 << 16
const strCache = new Map<string, readonly [number, number]>()

const F64 = new Float64Array(1)
const U32 = new Uint32Array(F64.buffer)

const MAP = 1
const SET = 2
const BYTES = 3
/** A plain object, or an instance of a class that declares no schema: hashed by its own keys. */
const PLAIN = 4

/**
 * Hashes a record: the record marker, the hash of the names of its defined fields, then their values
 * in name order. A field whose value is undefined is no field, so { a: 1, b: undefined } and
 * { a: 1 } are one state (as their schema encodings are). Compiled per key set (see `compileRecord`).
 */
type RecordHasher = (h: Hasher, v: any) => void

// What an object is, by its prototype: one identity lookup instead of three `instanceof` walks up the
// prototype chain (deep for Schema classes) for every record hashed. A Schema class's prototype maps
// to the hasher compiled from its declared fields.
const kinds = new Map<object | null, number | RecordHasher>([
  [Object.prototype, PLAIN],
  [null, PLAIN],
  [Map.prototype, MAP],
  [Set.prototype, SET],
  [Uint8Array.prototype, BYTES],
])
const kindOf = (v: object): number | RecordHasher => {
  const proto = Object.getPrototypeOf(v) as object | null
  if (proto === Object.prototype) return PLAIN
  let k = kinds.get(proto)
  if (k === undefined) {
    if (v instanceof Map) k = MAP
    else if (v instanceof Set) k = SET
    else if (v instanceof Uint8Array) k = BYTES
    else {
      const d = fieldsOfClass((v as { constructor?: unknown }).constructor)
      k = d === undefined ? PLAIN : compileRecord([...d.names].sort(), d.kinds)
    }
    if (kinds.size < 10_000) kinds.set(proto, k)
  }
  return k
}

/**
 * The hasher of records with the (sorted) field names `sorted`: each field read by name (one
 * monomorphic load per field, no key list, no sort). A field whose schema says it is a number, a
 * string, a boolean or a string literal is hashed as one after a `typeof` (a literal's words are
 * computed here, once). Which fields are undefined is a bit mask; the names hash of each mask met is
 * kept. Records of more than 30 fields are interpreted.
 */
const compileRecord = (sorted: ReadonlyArray<string>, fieldKinds?: ReadonlyMap<string, FieldKind>): RecordHasher => {
  if (sorted.length > 30) return interpretRecord(sorted)
  const all = namesHash(sorted)
  const masks = new Map<number, readonly [number, number]>()
  const namesOf = (mask: number): readonly [number, number] => {
    let n = masks.get(mask)
    if (n === undefined) masks.set(mask, (n = namesHash(sorted.filter((_, i) => (mask & (1 << i)) === 0))))
    return n
  }
  const lines = sorted.map((n, i) => `const f${i} = v[${JSON.stringify(n)}]`)
  if (sorted.length > 0) {
    lines.push(`const m = ${sorted.map((_, i) => `(f${i} === undefined ? ${1 << i} : 0)`).join(" | ")}`)
    lines.push(`if (m === 0) h.int(13).int(${all[0]}).int(${all[1]})`, "else { const n = namesOf(m); h.int(13).int(n[0]).int(n[1]) }")
  } else lines.push(`h.int(13).int(${all[0]}).int(${all[1]})`)
  sorted.forEach((n, i) => {
    const kind = fieldKinds?.get(n)
    const f = `f${i}`
    switch (kind?.k) {
      case "number":
        return void lines.push(`if (typeof ${f} === "number") h.num(${f}); else if (${f} !== undefined) hv(h, ${f})`)
      case "string":
        return void lines.push(`if (typeof ${f} === "string") h.str(${f}); else if (${f} !== undefined) hv(h, ${f})`)
      case "boolean":
        return void lines.push(`if (typeof ${f} === "boolean") h.int(${f} ? 5 : 4); else if (${f} !== undefined) hv(h, ${f})`)
      case "literal": {
        const [a, b] = strHash(kind.value)
        return void lines.push(`if (${f} === ${JSON.stringify(kind.value)}) h.int(3).int(${a}).int(${b}); else if (${f} !== undefined) hv(h, ${f})`)
      }
      default:
        return void lines.push(`if (${f} !== undefined) hv(h, ${f})`)
    }
  })
  return new Function("hv", "namesOf", `return function (h, v) {\n${lines.join("\n")}\n}`)(hashValue, namesOf) as RecordHasher
}

/** The same hashing as `compileRecord`'s, interpreted: for key sets met rarely. */
const interpretRecord = (sorted: ReadonlyArray<string>): RecordHasher => {
  const all = namesHash(sorted)
  return (h, v) => {
    let n = all
    for (let i = 0; i < sorted.length; i++)
      if (v[sorted[i]!] === undefined) {
        n = namesHash(sorted.filter((k) => v[k] !== undefined))
        break
      }
    h.int(13).int(n[0]).int(n[1])
    for (let i = 0; i < sorted.length; i++) {
      const x = v[sorted[i]!]
      if (x !== undefined) hashValue(h, x)
    }
  }
}

const namesHash = (sorted: ReadonlyArray<string>): readonly [number, number] => {
  keyHasher.reset().int(sorted.length)
  for (const k of sorted) keyHasher.str(k)
  keyHasher.finish(namesOut)
  return [namesOut.hi, namesOut.lo]
}
const namesOut: Fingerprint = { hi: 0, lo: 0 }

/** Hashes any plain data value (numbers, strings, booleans, null, undefined, arrays, objects, Map, Set, bigint). */
export const hashValue = (h: Hasher, v: unknown): void => {
  switch (typeof v) {
    case "number":
      h.num(v)
      return
    case "string":
      h.str(v)
      return
    case "boolean":
      h.int(v ? 5 : 4)
      return
    case "undefined":
      h.int(6)
      return
    case "bigint":
      h.int(7).str(v.toString(16))
      return
    case "object": {
      if (v === null) {
        h.int(8)
        return
      }
      if (Array.isArray(v)) {
        h.int(9).int(v.length)
        for (let i = 0; i < v.length; i++) hashValue(h, v[i])
        return
      }
      const kind = kindOf(v)
      if (typeof kind === "function") {
        kind(h, v)
        return
      }
      if (kind === MAP || kind === SET) {
        const m = v as ReadonlyMap<unknown, unknown> | ReadonlySet<unknown>
        // State is immutable, so a collection's hash can be kept for as long as the collection lives.
        // (A WeakMap insertion costs about as much as hashing a few small entries: small ones are not kept.)
        const keep = m.size >= KEEP_FROM
        let c = keep ? collectionCache.get(m) : undefined
        if (c === undefined) {
          c = kind === MAP ? unorderedEntries(m as ReadonlyMap<unknown, unknown>) : unorderedValues(m as ReadonlySet<unknown>)
          if (keep) collectionCache.set(m, c)
        }
        h.int(kind === MAP ? 10 : 11).int(m.size).int(c[0]).int(c[1])
        return
      }
      if (kind === BYTES && v instanceof Uint8Array) {
        h.int(12).int(v.length)
        for (let i = 0; i < v.length; i++) h.int(v[i]!)
        return
      }
      keyOrder(Object.keys(v)).hash(h, v)
      return
    }
    default:
      throw new TypeError(`cannot fingerprint a ${typeof v}: state must be plain data`)
  }
}

// Objects built by the same constructor usually have the same keys in the same order: cache, per
// insertion order, the hasher compiled for that key set, so a record costs one key list and then
// only its values. An order is found by its first and last key (tagged objects all start with
// `_tag`) and checked key by key: property names are interned strings, so the check is pointer
// compares and no signature string is built.
interface KeyOrder {
  readonly keys: ReadonlyArray<string>
  readonly sorted: ReadonlyArray<string>
  /** Interpreted until the order has been met often enough to be worth compiling (objects used as dictionaries have many). */
  hash: RecordHasher
  uses: number
}
const COMPILE_AFTER = 32
const orders = new Map<string, Map<string, KeyOrder[]>>()
let ordersCached = 0
const keyHasher = new Hasher()
const sameKeys = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
const keyOrder = (keys: ReadonlyArray<string>): KeyOrder => {
  const first = keys.length > 0 ? keys[0]! : ""
  const last = keys.length > 0 ? keys[keys.length - 1]! : ""
  let byLast = orders.get(first)
  const known = byLast?.get(last)
  if (known !== undefined)
    for (let i = 0; i < known.length; i++) {
      const o = known[i]!
      if (sameKeys(o.keys, keys)) {
        if (o.uses < COMPILE_AFTER && ++o.uses === COMPILE_AFTER) o.hash = compileRecord(o.sorted)
        return o
      }
    }
  const sorted = [...keys].sort()
  const o: KeyOrder = { keys, sorted, hash: interpretRecord(sorted), uses: 0 }
  if (ordersCached < 10_000) {
    ordersCached++
    if (byLast === undefined) orders.set(first, (byLast = new Map()))
    if (known === undefined) byLast.set(last, [o])
    else known.push(o)
  }
  return o
}

const scratch: Fingerprint = { hi: 0, lo: 0 }
const sub = new Hasher()
const collectionCache = new WeakMap<object, readonly [number, number]>()
/** Collections (and their elements' hashes) are kept from this size on. */
const KEEP_FROM = 4
// One hasher per nesting depth of collections, so hashing allocates nothing.
const pool: Hasher[] = []
let depth = 0

// A step copies a collection to change one element and keeps the other elements: the hash of an
// element that is an object is kept for as long as it lives (for a Map, with the key it was under),
// so a new collection costs the elements it added, not its size. The values are those of hashing
// each element afresh.
interface EntryHash {
  readonly key: unknown
  readonly a: number
  readonly b: number
}
const entryCache = new WeakMap<object, EntryHash>()
const elementCache = new WeakMap<object, readonly [number, number]>()

/** Order-independent combination of a Map: lane-wise sum of each entry's hash (the pair [key, value]). */
const unorderedEntries = (m: ReadonlyMap<unknown, unknown>): readonly [number, number] => {
  const inner = (pool[depth] ??= new Hasher())
  depth++
  let sa = 0
  let sb = 0
  const keep = m.size >= KEEP_FROM
  try {
    for (const [k, v] of m) {
      if (keep && typeof v === "object" && v !== null) {
        const c = entryCache.get(v)
        if (c !== undefined && c.key === k) {
          sa = (sa + c.a) | 0
          sb = (sb + c.b) | 0
          continue
        }
      }
      inner.reset().int(9).int(2)
      hashValue(inner, k)
      hashValue(inner, v)
      inner.finish(scratch)
      sa = (sa + scratch.hi) | 0
      sb = (sb + scratch.lo) | 0
      if (keep && typeof v === "object" && v !== null) entryCache.set(v, { key: k, a: scratch.hi, b: scratch.lo })
    }
  } finally {
    depth--
  }
  return [sa, sb]
}

/** Order-independent combination of a Set: lane-wise sum of each element's own hash. */
const unorderedValues = (m: ReadonlySet<unknown>): readonly [number, number] => {
  const inner = (pool[depth] ??= new Hasher())
  depth++
  let sa = 0
  let sb = 0
  const keep = m.size >= KEEP_FROM
  try {
    for (const e of m) {
      const key = keep && typeof e === "object" && e !== null ? e : undefined
      let c = key && elementCache.get(key)
      if (!c) {
        hashValue(inner.reset(), e)
        inner.finish(scratch)
        c = [scratch.hi, scratch.lo]
        if (key) elementCache.set(key, c)
      }
      sa = (sa + c[0]) | 0
      sb = (sb + c[1]) | 0
    }
  } finally {
    depth--
  }
  return [sa, sb]
}

/** 64-bit fingerprint of any plain data value. */
export const fingerprintValue = (v: unknown, out: Fingerprint): Fingerprint => {
  sub.reset()
  hashValue(sub, v)
  return sub.finish(out)
}

const sameA: Fingerprint = { hi: 0, lo: 0 }
const sameB: Fingerprint = { hi: 0, lo: 0 }

/** Whether two plain data values have the same fingerprint (equal but for a 2^-64 chance): for checks that compare states. */
export const sameValue = (a: unknown, b: unknown): boolean => {
  fingerprintValue(a, sameA)
  fingerprintValue(b, sameB)
  return sameA.hi === sameB.hi && sameA.lo === sameB.lo
}

/** Fingerprint as a 16-hex-digit string (for traces and reports). */
export const fingerprintHex = (fp: Fingerprint): string =>
  fp.hi.toString(16).padStart(8, "0") + fp.lo.toString(16).padStart(8, "0")

/** Seed derivation: hash(seed, i), so that nearby seeds and samples do not give correlated runs. */
export const deriveSeed = (seed: number, i: number): number => {
  const h = new Hasher().int(seed | 0).int(Math.floor(seed / 2 ** 32) | 0).int(i | 0)
  const out = h.finish({ hi: 0, lo: 0 })
  return out.lo
}
