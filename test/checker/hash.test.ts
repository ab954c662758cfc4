/**
 * Fingerprints from the schemas (issue 8 item 4): a Schema class instance hashes as its declared
 * fields, by a hasher compiled per class, exactly as the same data written as a plain object (a
 * structured clone, a user's tagged object) hashes; undeclared properties and undefined fields do not
 * count; the compiled hashers (per class, and per plain key set once it is met often) give the values
 * of the interpreted path; and 64-bit quality holds on many near-identical records.
 */
import test from "ava"
import { Schema } from "effect"
import { fingerprintValue } from "../../src/checker/hash.ts"

class Prepare extends Schema.TaggedClass<Prepare>()("Prepare", { round: Schema.Number, leader: Schema.String, fast: Schema.Boolean, note: Schema.optionalKey(Schema.String) }) {}
class Holder extends Schema.TaggedClass<Holder>()("Holder", { inner: Prepare, tags: Schema.Array(Schema.String) }) {}

const fp = (v: unknown): string => {
  const f = fingerprintValue(v, { hi: 0, lo: 0 })
  return `${f.hi}:${f.lo}`
}

test("a Schema class instance fingerprints as its declared fields, like the same data as a plain object", (t) => {
  const p = new Prepare({ round: 3, leader: "s1", fast: true })
  // Many times, so the class's hasher and the plain key set's compiled hasher are both in use.
  for (let i = 0; i < 100; i++) {
    t.is(fp(p), fp({ _tag: "Prepare", round: 3, leader: "s1", fast: true }))
    t.is(fp(p), fp({ fast: true, leader: "s1", round: 3, _tag: "Prepare" }))
    t.is(fp(p), fp(structuredClone(p)))
  }
  t.is(fp(new Holder({ inner: p, tags: ["a"] })), fp({ _tag: "Holder", tags: ["a"], inner: { _tag: "Prepare", round: 3, leader: "s1", fast: true } }))
  // An optional field: present counts, absent or undefined does not.
  const noted = new Prepare({ round: 3, leader: "s1", fast: true, note: "x" })
  t.not(fp(noted), fp(p))
  t.is(fp(noted), fp({ _tag: "Prepare", round: 3, leader: "s1", fast: true, note: "x" }))
  t.is(fp(Object.assign(Object.create(Prepare.prototype), { _tag: "Prepare", round: 3, leader: "s1", fast: true, note: undefined })), fp(p))
  // A property the schema does not declare is not data.
  const extra = new Prepare({ round: 3, leader: "s1", fast: true })
  ;(extra as unknown as { cache: number }).cache = 42
  t.is(fp(extra), fp(p))
  // Every declared field counts.
  t.not(fp(new Prepare({ round: 4, leader: "s1", fast: true })), fp(p))
  t.not(fp(new Prepare({ round: 3, leader: "s2", fast: true })), fp(p))
  t.not(fp(new Prepare({ round: 3, leader: "s1", fast: false })), fp(p))
  t.not(fp({ _tag: "Prepare2", round: 3, leader: "s1", fast: true }), fp(p))
})

test("a field holding another type than its schema says hashes as that value (a hand-built record), equal to its plain form", (t) => {
  const odd = Object.assign(Object.create(Prepare.prototype), { _tag: "Prepare", round: "3", leader: 1, fast: 0 })
  t.is(fp(odd), fp({ _tag: "Prepare", round: "3", leader: 1, fast: 0 }))
  t.not(fp(odd), fp(new Prepare({ round: 3, leader: "1", fast: false })))
})

test("64-bit quality: 300k near-identical records, no 64-bit collision, each 32-bit lane collides about as often as chance", (t) => {
  const n = 300_000
  const full = new Set<string>()
  const hi = new Set<number>()
  const lo = new Set<number>()
  const out = { hi: 0, lo: 0 }
  for (let i = 0; i < n; i++) {
    // Records that differ in one small number or one character, as successor states do.
    const v = i % 2 === 0 ? new Prepare({ round: i >> 1, leader: `s${i % 5}`, fast: (i & 4) === 0 }) : { _tag: "Holder", inner: { round: i, leader: "s" }, tags: [String(i % 97)] }
    fingerprintValue(v, out)
    full.add(`${out.hi}:${out.lo}`)
    hi.add(out.hi)
    lo.add(out.lo)
  }
  t.is(full.size, n)
  // Birthday bound for one 32-bit lane: n^2 / 2^33, about 10.5 here.
  const expected = (n * n) / 2 ** 33
  t.true(n - hi.size < 4 * expected + 10, `hi lane: ${n - hi.size} collisions`)
  t.true(n - lo.size < 4 * expected + 10, `lo lane: ${n - lo.size} collisions`)
})
