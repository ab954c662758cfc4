/**
 * The default fingerprint for specs whose states are plain data: `fingerprint: plainFingerprint`.
 *
 * Canonical: object keys in any order, Sets and Maps in any insertion order, and fields holding
 * `undefined` (absent or explicitly undefined) all hash alike, so equal data fingerprints equally
 * however it was built. Objects, Sets and Maps combine their entries order-independently (a lane-wise
 * sum of well-mixed per-entry hashes) instead of sorting keys, and arrays in order.
 *
 * Fast on immutable states with structural sharing: the hash of every nested object, array, Set and
 * Map is kept (WeakMap) for as long as that value lives, so a successor that changed one field
 * rehashes that field and the top level only. States must therefore not be mutated after they are
 * emitted -- the same rule as everywhere in the checker.
 */
import { fmix32 } from "./hash.ts"
import type { Fingerprint } from "./transition-system.ts"

// Result registers of the hashing functions below: two independent 32-bit lanes.
let A = 0
let B = 0

const M1 = 0xcc9e2d51
const M2 = 0x1b873593
const M3 = 0x85ebca6b
const M4 = 0xc2b2ae35

/** Folds (x, y) into the registers as a sequence element: order-dependent. */
const step = (a: number, b: number, x: number, y: number): void => {
  A = Math.imul(((a ^ x) << 13) | ((a ^ x) >>> 19), 5) + 0xe6546b64
  A = fmix32(Math.imul(A ^ y, M1))
  B = Math.imul(((b ^ y) << 15) | ((b ^ y) >>> 17), 5) + 0x561ccd1b
  B = fmix32(Math.imul(B ^ x, M2))
}

const strCache = new Map<string, number>()
const STR_CACHE_MAX = 1 << 16
/** Strings: both lanes from one cached 32-bit pair (V8 keeps a string's own hash, so the lookup is cheap). */
const hashString = (s: string): void => {
  let a = strCache.get(s)
  let b: number
  if (a === undefined) {
    a = 0x3c6ef372 ^ s.length
    b = 0xa54ff53a ^ s.length
    for (let i = 0; i < s.length; i++) {
      const k = s.charCodeAt(i)
      a = Math.imul(a ^ k, M1)
      a = (a << 13) | (a >>> 19)
      b = Math.imul(b ^ k, M2)
      b = (b << 15) | (b >>> 17)
    }
    a = fmix32(a ^ b)
    if (strCache.size >= STR_CACHE_MAX) strCache.clear()
    strCache.set(s, a)
  }
  A = a
  B = fmix32(a ^ M3) ^ 0x53545200
}

const F64 = new Float64Array(1)
const U32 = new Uint32Array(F64.buffer)

const hashNumber = (x: number): void => {
  if ((x | 0) === x) {
    A = fmix32(x ^ 0x4e554d31)
    B = fmix32(Math.imul(x, M4) ^ 0x4e554d32)
    return
  }
  F64[0] = x
  step(0x464c5431, 0x464c5432, U32[0]!, U32[1]!)
}

// Sets and Maps are usually shared between a state and its successors, and their elements between
// collections: keep their hashes while they live.
const cached = new WeakMap<object, readonly [number, number]>()

/**
 * What was last hashed at one position of the state tree: per entry its key, its value and its
 * hash. A successor differs from the state hashed before it in a few fields; entries whose key and
 * value are identical (===) reuse their hash, so only what changed is rehashed. A pure cache: an
 * entry's hash depends on its key and value alone, so stale slots are harmless.
 */
class Memo {
  keys: Array<string | number> = []
  vals: unknown[] = []
  ea: number[] = []
  eb: number[] = []
  kids: Array<Memo | undefined> = []
}

const hashAny = (v: unknown, memo: Memo | undefined): void => {
  switch (typeof v) {
    case "string":
      return hashString(v)
    case "number":
      return hashNumber(v)
    case "boolean":
      A = v ? 0x74727565 : 0x66616c73
      B = v ? 0x2f1e3d4c : 0x6b5a4938
      return
    case "bigint":
      hashString(v.toString(16))
      step(A, B, 0x62696731, 0x62696732)
      return
    case "undefined":
      A = 0x756e6431
      B = 0x756e6432
      return
    case "object": {
      if (v === null) {
        A = 0x6e756c31
        B = 0x6e756c32
        return
      }
      // Inside a Set or Map (no memo) and for Sets and Maps themselves: the hash kept while the value lives.
      const keep = memo === undefined || v instanceof Set || v instanceof Map
      if (keep) {
        const c = cached.get(v)
        if (c !== undefined) {
          A = c[0]
          B = c[1]
          return
        }
      }
      if ((v as object).constructor === Object) hashFields(v, memo ?? new Memo())
      else if (Array.isArray(v)) hashArray(v, memo ?? new Memo())
      else if (v instanceof Set || v instanceof Map) hashCollection(v)
      else if (v instanceof Uint8Array) hashBytes(v)
      else hashFields(v, memo ?? new Memo()) // class instances: their own enumerable fields
      if (keep) cached.set(v, [A, B])
      return
    }
    default:
      throw new TypeError(`cannot fingerprint a ${typeof v}: state must be plain data`)
  }
}

/** One entry of an object or array, reusing the memo's hash when key and value are unchanged. */
const entry = (memo: Memo, i: number, k: string | number, x: unknown): void => {
  if (memo.keys[i] === k && memo.vals[i] === x) {
    A = memo.ea[i]!
    B = memo.eb[i]!
    return
  }
  if (typeof k === "string") hashString(k)
  else hashNumber(k)
  const ka = A
  const kb = B
  hashAny(x, typeof x === "object" && x !== null ? (memo.kids[i] ??= new Memo()) : undefined)
  step(ka, kb, A, B)
  memo.keys[i] = k
  memo.vals[i] = x
  memo.ea[i] = A
  memo.eb[i] = B
}

/** Arrays: their entries in order. */
const hashArray = (v: ReadonlyArray<unknown>, memo: Memo): void => {
  let a = 0x41525231
  let b = 0x41525232
  for (let i = 0; i < v.length; i++) {
    entry(memo, i, i, v[i])
    step(a, b, A, B)
    a = A
    b = B
  }
  step(a, b, v.length, 0x41525233)
}

const hashBytes = (v: Uint8Array): void => {
  let a = 0x55384131
  let b = 0x55384132
  for (let j = 0; j < v.length; j++) {
    step(a, b, v[j]!, j)
    a = A
    b = B
  }
  step(a, b, v.length, 0x55384133)
}

/** Objects: order-independent sum of their (key, value) entries, undefined values left out. */
const hashFields = (v: object, memo: Memo): void => {
  let i = 0
  let sa = 0
  let sb = 0
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k]
    if (x === undefined) continue
    entry(memo, i, k, x)
    sa = (sa + A) | 0
    sb = (sb + B) | 0
    i++
  }
  step(sa ^ 0x4f424a31, sb, i, 0x4f424a32)
}

/** Sets and Maps: order-independent sum of their elements' (entries') hashes. */
const hashCollection = (v: Set<unknown> | Map<unknown, unknown>): void => {
  let sa = 0
  let sb = 0
  if (v instanceof Set) {
    for (const x of v) {
      hashAny(x, undefined)
      sa = (sa + A) | 0
      sb = (sb + B) | 0
    }
    step(sa ^ 0x53455431, sb, v.size, 0x53455432)
    return
  }
  for (const [k, x] of v) {
    hashAny(k, undefined)
    const ka = A
    const kb = B
    hashAny(x, undefined)
    step(ka, kb, A, B)
    sa = (sa + A) | 0
    sb = (sb + B) | 0
  }
  step(sa ^ 0x4d415031, sb, v.size, 0x4d415032)
}

const root = new Memo()

/** The 64-bit fingerprint of a plain-data state. */
export const plainFingerprint = (state: unknown, out: Fingerprint): void => {
  hashAny(state, root)
  out.hi = A >>> 0
  out.lo = fmix32(B ^ Math.imul(A, 0x9e3779b1)) >>> 0
}
