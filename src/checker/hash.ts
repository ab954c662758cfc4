/**
 * 64-bit structural hashing, computed as two independent 32-bit lanes with Math.imul so that no
 * BigInt or allocation is needed in the hot path. Canonical for plain data: object keys are visited
 * in sorted order, and Maps / Sets are combined order-independently (a lane-wise sum of per-entry
 * hashes), so equal data hashes equally however it was built.
 */
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
      let a = 0x3c6ef372 ^ s.length
      let b = 0xa54ff53a ^ s.length
      for (let i = 0; i < s.length; i++) {
        const k = s.charCodeAt(i)
        a = mixIn(a, k)
        b = mixIn(b, k ^ 0x27d4eb2f)
      }
      c = [fmix32(a), fmix32(b ^ 0x85ebca6b)]
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

const STR_CACHE_MAX = 1 << 16
const strCache = new Map<string, readonly [number, number]>()

const F64 = new Float64Array(1)
const U32 = new Uint32Array(F64.buffer)

const RECORD = 0
const MAP = 1
const SET = 2
const BYTES = 3
// What an object is, by its prototype: one identity lookup instead of three `instanceof` walks up the
// prototype chain (deep for Schema classes) for every record hashed.
const kinds = new Map<object | null, number>([
  [Object.prototype, RECORD],
  [null, RECORD],
  [Map.prototype, MAP],
  [Set.prototype, SET],
  [Uint8Array.prototype, BYTES],
])
const kindOf = (v: object): number => {
  const proto = Object.getPrototypeOf(v) as object | null
  if (proto === Object.prototype) return RECORD
  let k = kinds.get(proto)
  if (k === undefined) {
    k = v instanceof Map ? MAP : v instanceof Set ? SET : v instanceof Uint8Array ? BYTES : RECORD
    if (kinds.size < 10_000) kinds.set(proto, k)
  }
  return k
}

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
      const o = keyOrder(Object.keys(v))
      h.int(13).int(o.a).int(o.b)
      const keys = o.sorted
      for (let i = 0; i < keys.length; i++) hashValue(h, (v as Record<string, unknown>)[keys[i]!])
      return
    }
    default:
      throw new TypeError(`cannot fingerprint a ${typeof v}: state must be plain data`)
  }
}

// Objects built by the same constructor usually have the same keys in the same order: cache, per
// insertion order, the sorted order and the hash of the key names, so a record hashes its key set
// with one word and then only its values. An order is found by its first and last key (tagged
// classes all start with `_tag`) and checked key by key: property names are interned strings, so the
// check is pointer compares and no signature string is built.
interface KeyOrder {
  readonly keys: ReadonlyArray<string>
  readonly sorted: ReadonlyArray<string>
  /** Hash of the sorted key names. */
  readonly a: number
  readonly b: number
}
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
  if (known !== undefined) for (let i = 0; i < known.length; i++) if (sameKeys(known[i]!.keys, keys)) return known[i]!
  const sorted = [...keys].sort()
  keyHasher.reset().int(sorted.length)
  for (const k of sorted) keyHasher.str(k)
  keyHasher.finish(scratch)
  const o: KeyOrder = { keys, sorted, a: scratch.hi, b: scratch.lo }
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

/** Fingerprint as a 16-hex-digit string (for traces and reports). */
export const fingerprintHex = (fp: Fingerprint): string =>
  fp.hi.toString(16).padStart(8, "0") + fp.lo.toString(16).padStart(8, "0")

/** Seed derivation: hash(seed, i), so that nearby seeds and samples do not give correlated runs. */
export const deriveSeed = (seed: number, i: number): number => {
  const h = new Hasher().int(seed | 0).int(Math.floor(seed / 2 ** 32) | 0).int(i | 0)
  const out = h.finish({ hi: 0, lo: 0 })
  return out.lo
}
