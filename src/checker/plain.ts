/**
 * The default fingerprint for specs whose states are plain data: `fingerprint: plainFingerprint`.
 *
 * Canonical: object keys in any order, Sets and Maps in any insertion order, and fields holding
 * `undefined` (absent or explicitly undefined) all hash alike, so equal data fingerprints equally
 * however it was built. Objects, Sets and Maps combine their entries order-independently (a lane-wise
 * sum of well-mixed per-entry hashes) instead of sorting keys, and arrays in order.
 *
 * Fast on immutable states with structural sharing: each position of the state tree remembers what
 * was hashed there last (see Memo), so a successor that changed one field rehashes that field and
 * the path above it only. States must therefore not be mutated after they are emitted -- the same
 * rule as everywhere in the checker.
 */
import type { Fingerprint } from "./transition-system.ts"

/** murmur3's finaliser as hash.ts's fmix32, but left in int32 range: a small integer to V8, never a boxed double. */
const fmix32 = (h: number): number => {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return h ^ (h >>> 16)
}

// Result registers of the hashing functions below: two independent 32-bit lanes, always int32 (a
// number outside that range would be boxed on every store). `var`: a module-level `let` costs a
// check for its temporal dead zone on every access.
var A = 0
var B = 0

const M1 = 0xcc9e2d51
const M2 = 0x1b873593
const M3 = 0x85ebca6b
const M4 = 0xc2b2ae35

/** Folds (x, y) into the registers as a sequence element: order-dependent. */
const step = (a: number, b: number, x: number, y: number): void => {
  const ha = (Math.imul(((a ^ x) << 13) | ((a ^ x) >>> 19), 5) + 0xe6546b64) | 0
  const hb = (Math.imul(((b ^ y) << 15) | ((b ^ y) >>> 17), 5) + 0x561ccd1b) | 0
  A = fmix32(Math.imul(ha ^ y, M1))
  B = fmix32(Math.imul(hb ^ x, M2))
}

const strCache = new Map<string, number>()
const STR_CACHE_MAX = 1 << 16
/**
 * In front of strCache, a small direct-mapped cache indexed by length and end characters: states
 * draw their strings from a small vocabulary (field names, enum values, node names), and comparing
 * one slot costs less than a Map lookup.
 */
const RECENT = 256
const recentKeys: Array<string | undefined> = new Array<string | undefined>(RECENT).fill(undefined)
const recentHashes = new Int32Array(RECENT)

/** Strings: both lanes from one cached 32-bit pair. */
const hashString = (s: string): void => {
  const n = s.length
  const slot = n === 0 ? 0 : (Math.imul(n, 0x9e3779b1) ^ Math.imul(s.charCodeAt(0), 31) ^ s.charCodeAt(n - 1)) & (RECENT - 1)
  let a: number
  if (recentKeys[slot] === s) a = recentHashes[slot]!
  else {
    a = strCache.get(s) ?? stringHash(s)
    recentKeys[slot] = s
    recentHashes[slot] = a
  }
  A = a
  B = fmix32(a ^ M3) ^ 0x53545200
}

const stringHash = (s: string): number => {
  let a = 0x3c6ef372 ^ s.length
  let b = 0xa54ff53a ^ s.length
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
  return a
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

/**
 * What was last hashed at one position of the state tree: the value and its hash, and per entry
 * (field, array element, Set element or Map entry) its key, its value and its hash. A successor
 * differs from the state hashed before it in a few places; entries whose key and value are identical
 * (===) reuse their hash, so only what changed is rehashed, and a Set or Map rebuilt with one more
 * element rehashes that element only. A pure cache: an entry's hash depends on its key and value
 * alone, so stale slots are harmless. No WeakMap: inserting into one per new Set cost more than the
 * hashing it saved, and weak tables slow every garbage collection.
 */
class Memo {
  obj: object | undefined = undefined
  a = 0
  b = 0
  /** The prototype of the value last hashed here and its kind, so the kind is found once per shape. */
  proto: object | null | undefined = undefined
  kind = 0
  keys: unknown[] = []
  vals: unknown[] = []
  ea: number[] = []
  eb: number[] = []
  /** The hash of each entry's key. */
  ka: number[] = []
  kb: number[] = []
  kids: Array<Memo | undefined> = []
}

const FIELDS = 0
const ARRAY = 1
const SET = 2
const MAP = 3
const BYTES = 4
/** The key of a Set element's entry: no field, index or Map key is this value. */
const ELEMENT = Symbol("element")

const kindOf = (v: object): number =>
  Array.isArray(v) ? ARRAY : v instanceof Set ? SET : v instanceof Map ? MAP : v instanceof Uint8Array ? BYTES : FIELDS // class instances: their own enumerable fields

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
      return hashObject(v, memo ?? new Memo())
    }
    default:
      throw new TypeError(`cannot fingerprint a ${typeof v}: state must be plain data`)
  }
}

const hashObject = (v: object, memo: Memo): void => {
  if (memo.obj === v) {
    A = memo.a
    B = memo.b
    return
  }
  const proto = Object.getPrototypeOf(v) as object | null
  if (proto !== memo.proto) {
    memo.proto = proto
    memo.kind = kindOf(v)
  }
  switch (memo.kind) {
    case FIELDS:
      hashFields(v, memo)
      break
    case ARRAY:
      hashArray(v as ReadonlyArray<unknown>, memo)
      break
    case SET:
      hashSet(v as ReadonlySet<unknown>, memo)
      break
    case MAP:
      hashMap(v as ReadonlyMap<unknown, unknown>, memo)
      break
    default:
      hashBytes(v as Uint8Array)
  }
  memo.obj = v
  memo.a = A
  memo.b = B
}

/** One entry, reusing the memo's hash when key and value are unchanged: (key, value) in sequence, or the value alone for a Set element. */
const entry = (memo: Memo, i: number, k: unknown, x: unknown): void => {
  const sameKey = memo.keys[i] === k
  if (sameKey && (memo.vals[i] === x || (plantedStaleString && typeof x === "string"))) {
    A = memo.ea[i]!
    B = memo.eb[i]!
    return
  }
  const kid = typeof x === "object" && x !== null ? (memo.kids[i] ??= new Memo()) : undefined
  if (k === ELEMENT) hashAny(x, kid)
  else {
    // A field that changed its value keeps its key: the key's hash too is kept.
    if (!sameKey) {
      hashAny(k, undefined)
      memo.ka[i] = A
      memo.kb[i] = B
      memo.keys[i] = k
    }
    hashAny(x, kid)
    step(memo.ka[i]!, memo.kb[i]!, A, B)
  }
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

/** Sets: order-independent sum of their elements' hashes. */
const hashSet = (v: ReadonlySet<unknown>, memo: Memo): void => {
  let i = 0
  let sa = 0
  let sb = 0
  for (const x of v) {
    entry(memo, i++, ELEMENT, x)
    sa = (sa + A) | 0
    sb = (sb + B) | 0
  }
  step(sa ^ 0x53455431, sb, v.size, 0x53455432)
}

/** Maps: order-independent sum of their (key, value) entries' hashes. */
const hashMap = (v: ReadonlyMap<unknown, unknown>, memo: Memo): void => {
  let i = 0
  let sa = 0
  let sb = 0
  for (const [k, x] of v) {
    entry(memo, i++, k, x)
    sa = (sa + A) | 0
    sb = (sb + B) | 0
  }
  step(sa ^ 0x4d415031, sb, v.size, 0x4d415032)
}

const root = new Memo()

const finish = (out: Fingerprint): void => {
  out.hi = A >>> 0
  out.lo = fmix32(B ^ Math.imul(A, 0x9e3779b1)) >>> 0
}

/** The 64-bit fingerprint of a plain-data state. */
export const plainFingerprint = (state: unknown, out: Fingerprint): void => {
  hashAny(state, root)
  finish(out)
}

/**
 * The same fingerprint computed from scratch (a fresh memo: nothing reused from states hashed
 * before), for tests that hold the incremental one to it.
 */
export const plainFingerprintFromScratch = (state: unknown, out: Fingerprint): void => {
  hashAny(state, new Memo())
  finish(out)
}

/**
 * A planted bug for the tests of the incremental scheme: while on, an entry whose key is unchanged and
 * whose value is a string counts as unchanged, whatever the string (a stale hash reused). From-scratch
 * prints, whose memos start empty, stay right.
 */
var plantedStaleString = false
export const plantStaleStringBug = (on: boolean): void => {
  plantedStaleString = on
}
