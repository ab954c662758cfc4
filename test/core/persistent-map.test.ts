/**
 * PersistentMap (core/persistent-map.ts) against a Map: seeded random sets and deletes (with keys whose
 * hashes collide, to reach the buckets), every version kept and compared with a Map of the same
 * contents -- reads, size, iteration, and the checker's and the runtime's views of it: fingerprints
 * (checker/hash.ts, checker/plain.ts), canonical encoding (core/encode.ts), the runtime codec and
 * show. `changesSince` reports exactly the keys that differ. And the KV store's writes: the state a
 * Put gives is the same data whichever map it was made of.
 */
import test from "ava"
import { fingerprintValue } from "../../src/checker/hash.ts"
import { plainFingerprint, plainFingerprintFromScratch } from "../../src/checker/plain.ts"
import { Rng } from "../../src/checker/random.ts"
import { newFingerprint } from "../../src/checker/transition-system.ts"
import { canonicalText } from "../../src/core/encode.ts"
import { kvStore, put } from "../../src/core/kv.ts"
import { ABSENT, COPY_UP_TO, deleteIn, deleteWhere, keyHash, PersistentMap, someChanged } from "../../src/core/persistent-map.ts"
import { show } from "../../src/core/show.ts"
import { fromJson, Registry, toJson } from "../../src/runtime/codec.ts"

const SEED = 20261206

const fp = (f: (v: unknown, out: ReturnType<typeof newFingerprint>) => unknown, v: unknown): string => {
  const out = newFingerprint()
  f(v, out)
  return `${out.hi}:${out.lo}`
}

/** Two keys with the same 32-bit hash, found by a seeded search over short strings. */
const collidingKeys = (() => {
  const seen = new Map<number, string>()
  for (let i = 0; ; i++) {
    const k = `c${i.toString(36)}`
    const h = keyHash(k) & 0xfffff // equal low 20 bits: shares four levels of the trie
    const other = seen.get(h)
    if (other !== undefined) return [other, k]
    seen.set(h, k)
  }
})()

/** A map's entries in key order (ava compares Maps in iteration order; a PersistentMap's is by hash). */
const sorted = (m: ReadonlyMap<string | number, unknown>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))

const sameAsMap = (t: import("ava").ExecutionContext, p: PersistentMap<string, string>, m: Map<string, string>, what: string) => {
  t.is(p.size, m.size, `${what}: size`)
  for (const [k, v] of m) t.is(p.get(k), v, `${what}: get ${k}`)
  t.deepEqual(sorted(p), sorted(m), `${what}: entries`)
  t.deepEqual([...p.keys()].sort(), [...m.keys()].sort(), `${what}: keys`)
  t.deepEqual([...p.values()].sort(), [...m.values()].sort(), `${what}: values`)
  const each: Array<[string, string]> = []
  p.forEach((v, k) => each.push([k, v]))
  t.deepEqual(sorted(new Map(each)), sorted(m), `${what}: forEach`)
}

test("random sets and deletes: every version reads, hashes and encodes as a Map of its contents", (t) => {
  const rng = new Rng(SEED)
  const keys = [...collidingKeys, ...Array.from({ length: 300 }, (_, i) => `k${i}`)]
  let p = PersistentMap.empty<string, string>()
  let m = new Map<string, string>()
  const versions: Array<[PersistentMap<string, string>, Map<string, string>]> = []
  for (let step = 0; step < 3000; step++) {
    const k = keys[rng.int(keys.length)]!
    if (rng.int(4) === 0) {
      p = p.without(k)
      m = new Map(m)
      m.delete(k)
    } else {
      const v = `v${rng.int(5)}`
      p = p.with(k, v)
      m = new Map(m).set(k, v)
    }
    t.is(p.get(k), m.get(k))
    t.is(p.has(k), m.has(k))
    if (step % 100 === 0) versions.push([p, m])
  }
  versions.push([p, m])
  for (const [i, [pv, mv]] of versions.entries()) {
    sameAsMap(t, pv, mv, `version ${i}`)
    t.is(fp(fingerprintValue, pv), fp(fingerprintValue, mv), `version ${i}: hash.ts fingerprint`)
    t.is(fp(plainFingerprintFromScratch, pv), fp(plainFingerprintFromScratch, mv), `version ${i}: plain fingerprint`)
    t.is(fp(plainFingerprint, { store: pv }), fp(plainFingerprint, { store: mv }), `version ${i}: plain fingerprint in a record`)
    t.is(canonicalText(pv), canonicalText(mv), `version ${i}: canonical encoding`)
    t.is(show(pv), show(mv), `version ${i}: show`)
    t.deepEqual(sorted(fromJson(toJson(pv), new Registry([])) as Map<string, string>), sorted(mv), `version ${i}: runtime codec`)
  }
  t.true(versions.some(([pv]) => pv.has(collidingKeys[0]!) && pv.has(collidingKeys[1]!)), "the colliding keys were both present at some point")
})

test("changesSince reports exactly the keys whose values differ, with old and new values", (t) => {
  const rng = new Rng(SEED + 1)
  let base = PersistentMap.empty<string, string>()
  for (let i = 0; i < 2000; i++) base = base.with(`k${i}`, `v${i}`)
  for (let round = 0; round < 50; round++) {
    let next = base
    for (let j = rng.int(6); j > 0; j--) {
      const k = `k${rng.int(2500)}`
      next = rng.int(3) === 0 ? next.without(k) : next.with(k, `w${rng.int(3)}`)
    }
    const got: Array<[string, [unknown, unknown]]> = []
    next.changesSince(base, (k, v, old) => void got.push([k, [v, old]]))
    const want: Array<[string, [unknown, unknown]]> = []
    for (const k of new Set([...base.keys(), ...next.keys()])) {
      const v = next.has(k) ? next.get(k) : ABSENT
      const old = base.has(k) ? base.get(k) : ABSENT
      if (v !== old) want.push([k, [v, old]])
    }
    t.deepEqual(sorted(new Map(got)), sorted(new Map(want)))
    t.is(got.length, want.length, "each key once")
  }
})

test("deleteIn, deleteWhere and someChanged answer as on Maps of the same contents, for either kind of map", (t) => {
  const rng = new Rng(SEED + 2)
  let base = PersistentMap.empty<number, string>()
  for (let i = 0; i < 300; i++) base = base.with(i, `v${i}`)
  for (let round = 0; round < 60; round++) {
    // A later version of base (sets, deletes, added keys), as a PersistentMap and as a copied Map.
    let next = base
    for (let j = rng.int(5); j > 0; j--) {
      const k = rng.int(400)
      next = rng.int(3) === 0 ? next.without(k) : next.with(k, `w${rng.int(3)}`)
    }
    const [mb, mn] = [new Map(base), new Map(next)]
    const below = rng.int(400)
    const want = new Map([...mn].filter(([k]) => k >= below))
    for (const m of [next, mn]) {
      const kept = deleteWhere(m, (k) => k < below)
      t.deepEqual(sorted(kept), sorted(want), "deleteWhere")
      t.is(kept instanceof PersistentMap, m instanceof PersistentMap, "deleteWhere keeps the kind of map")
      const gone = deleteIn(m, below)
      t.deepEqual(sorted(gone), sorted(new Map([...mn].filter(([k]) => k !== below))), "deleteIn")
      t.is(m.size, mn.size, "the map itself is unchanged")
    }
    t.is(deleteWhere(mn, () => false), mn, "nothing dropped: the same map")
    // someChanged: a changed or added key of `after` that the predicate accepts (removed keys not asked).
    const asked = (b: ReadonlyMap<number, string>, a: ReadonlyMap<number, string>, f: (k: number, v: string, old: string | undefined) => boolean) => {
      const seen: number[] = []
      const r = someChanged(b, a, (k, v, old) => (seen.push(k), f(k, v, old)))
      return { r, seen: seen.sort((x, y) => x - y) }
    }
    const changed = [...mn].filter(([k, v]) => mb.get(k) !== v).map(([k]) => k).sort((x, y) => x - y)
    for (const [b, a] of [[base, next], [mb, mn], [base, mn], [mb, next]] as const) {
      t.deepEqual(asked(b, a, () => false).seen, changed, "asks about exactly the changed and added keys")
      t.is(asked(b, a, (_, __, old) => old === undefined).r, changed.some((k) => !mb.has(k)), "an added key is told with no old value")
      t.is(asked(b, a, (k, v, old) => old === mb.get(k) && v === mn.get(k)).r, changed.length > 0, "old and new values as in the two maps")
    }
    t.false(someChanged(next, next, () => true), "a map against itself")
  }
})

test("is a Map to readers and refuses mutation", (t) => {
  const p = PersistentMap.from([["a", "1"]])
  t.true(p instanceof Map)
  t.is(p.with("a", "1"), p, "setting the value already there gives the same map")
  t.is(p.without("b"), p)
  t.throws(() => (p as Map<string, string>).set("b", "2"), { instanceOf: TypeError })
  t.throws(() => (p as Map<string, string>).delete("a"), { instanceOf: TypeError })
  t.deepEqual([...p], [["a", "1"]])
  t.deepEqual([...new Map(p)], [["a", "1"]])
})

test("the KV store: past COPY_UP_TO keys a Put makes a PersistentMap, the same data as the copied Map", (t) => {
  let s = kvStore.init()
  let copied = new Map<string, string>()
  for (let i = 0; i < COPY_UP_TO * 3; i++) {
    s = kvStore.execute(s, put(`k${i % (COPY_UP_TO * 2)}`, `v${i}`))[1]
    copied = new Map(copied).set(`k${i % (COPY_UP_TO * 2)}`, `v${i}`)
    t.is(s instanceof PersistentMap, s.size > COPY_UP_TO, `after ${i + 1} puts`)
    t.is(fp(fingerprintValue, s), fp(fingerprintValue, copied))
  }
  t.deepEqual(sorted(s), sorted(copied))
})
