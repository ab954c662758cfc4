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
      if (v instanceof Map || v instanceof Set) {
        // State is immutable, so a collection's hash can be kept for as long as the collection lives.
        let c = collectionCache.get(v)
        if (c === undefined) {
          c = unordered(v instanceof Map ? v.entries() : v.values())
          collectionCache.set(v, c)
        }
        h.int(v instanceof Map ? 10 : 11).int(v.size).int(c[0]).int(c[1])
        return
      }
      if (v instanceof Uint8Array) {
        h.int(12).int(v.length)
        for (let i = 0; i < v.length; i++) h.int(v[i]!)
        return
      }
      const keys = sortedKeys(v as object)
      h.int(13).int(keys.length)
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!
        h.str(k)
        hashValue(h, (v as Record<string, unknown>)[k])
      }
      return
    }
    default:
      throw new TypeError(`cannot fingerprint a ${typeof v}: state must be plain data`)
  }
}

// Objects built by the same constructor usually have the same keys in the same order: cache the
// sorted order per insertion-order signature to skip sorting.
const sortedCache = new Map<string, ReadonlyArray<string>>()
const sortedKeys = (o: object): ReadonlyArray<string> => {
  const keys = Object.keys(o)
  if (keys.length <= 1) return keys
  const sig = keys.join("\u0000")
  let sorted = sortedCache.get(sig)
  if (sorted === undefined) {
    sorted = [...keys].sort()
    if (sortedCache.size < 10_000) sortedCache.set(sig, sorted)
  }
  return sorted
}

const scratch: Fingerprint = { hi: 0, lo: 0 }
const sub = new Hasher()
const collectionCache = new WeakMap<object, readonly [number, number]>()
// One hasher per nesting depth of collections, so hashing allocates nothing.
const pool: Hasher[] = []
let depth = 0
/** Order-independent combination: lane-wise sum of each element's own hash. */
const unordered = (it: Iterable<unknown>): readonly [number, number] => {
  const inner = (pool[depth] ??= new Hasher())
  depth++
  let sa = 0
  let sb = 0
  try {
    for (const e of it) {
      hashValue(inner.reset(), e)
      inner.finish(scratch)
      sa = (sa + scratch.hi) | 0
      sb = (sb + scratch.lo) | 0
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
