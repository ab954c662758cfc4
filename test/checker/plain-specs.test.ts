/**
 * TwoPhase and TCommit written with plain-object states: TLC's distinct-state counts and depths (the
 * same as the packed specs'), the planted bug found, TwoPhase refining TCommit (and a planted
 * refinement bug caught), and the default plain-data fingerprint's canonical form.
 */
import test from "ava"
import { bfs } from "../../src/checker/explore.ts"
import { plainFingerprint } from "../../src/checker/plain.ts"
import { newFingerprint } from "../../src/checker/transition-system.ts"
import { twoPhaseRefinesTCommit } from "../../src/refinement/twophase-tcommit.ts"
import { tCommitPlain } from "../../spec/tcommit-plain.ts"
import { twoPhasePlain } from "../../spec/twophase-plain.ts"
import { twoPhase } from "../../spec/twophase.ts"
import { labelsOf, replayHit } from "../helpers.ts"

test("plain TCommit RM=3: 34 distinct states, depth 7 (TLC)", (t) => {
  t.like(bfs(tCommitPlain({ rm: 3 })), { verdict: "ok", complete: true, distinct: 34, depth: 7 })
})

for (const [rm, distinct, depth] of [
  [3, 288, 11],
  [4, 1568, 14],
  [5, 8832, 17],
] as const)
  test(`plain TwoPhase RM=${rm}: ${distinct} distinct states, depth ${depth}, as TLC and the packed spec`, (t) => {
    t.like(bfs(twoPhasePlain({ rm })), { verdict: "ok", complete: true, distinct, depth })
    t.is(bfs(twoPhase({ rm })).distinct, distinct)
  })

test("plain TwoPhase, planted bug (commit once any RM is prepared): a 5-step violation that replays", (t) => {
  const system = twoPhasePlain({ rm: 3, bugCommitWithoutAllPrepared: true })
  const r = bfs(system)
  t.like(r, { verdict: "violation", property: "TCConsistent" })
  t.is(r.path!.steps.length, 5, labelsOf(r.path).join(", "))
  t.is(replayHit(system, r)?.property, "TCConsistent")
})

for (const rm of [2, 3, 4])
  test(`plain TwoPhase RM=${rm} refines TCommit: every step is a TCommit step or a stutter`, (t) => {
    const r = bfs(twoPhaseRefinesTCommit(twoPhasePlain({ rm }), rm))
    t.like(r, { verdict: "ok", complete: true })
  })

test("refinement catches a planted bug that keeps TCConsistent: an RM commits while working", (t) => {
  const buggy = twoPhasePlain({ rm: 3, bugCommitWhileWorking: true })
  const r = bfs(twoPhaseRefinesTCommit(buggy, 3))
  t.like(r, { verdict: "violation", property: "RefinesTCommit" })
  t.deepEqual(labelsOf(r.path), ["RMRcvCommitMsg(r1)"])
  t.regex(r.detail!, /before: .*"r1":"working".*\n\s*after: .*"r1":"committed"/)
  // The invariant alone does not see it in that state.
  t.true(buggy.properties[0]!.holds(r.path!.steps[0]!.state))
})

const print = (v: unknown) => {
  const fp = newFingerprint()
  plainFingerprint(v, fp)
  return `${fp.hi}:${fp.lo}`
}

test("plain fingerprint: object key order, Set and Map insertion order and undefined fields do not matter", (t) => {
  t.is(print({ a: 1, b: "x", c: [1, 2] }), print({ c: [1, 2], b: "x", a: 1 }))
  t.is(print({ a: 1, u: undefined }), print({ a: 1 }))
  t.is(print({ s: new Set(["p", "q"]) }), print({ s: new Set(["q", "p"]) }))
  t.is(print(new Map([["k", 1], ["j", 2]])), print(new Map([["j", 2], ["k", 1]])))
})

test("plain fingerprint: different data, different prints", (t) => {
  const values: unknown[] = [
    { a: 1, b: 2 }, { a: 2, b: 1 }, { a: 1 }, { b: 1 }, [1, 2], [2, 1], [1], [[1]], new Set([1, 2]), new Set([1]), new Map([[1, 2]]), new Map([[2, 1]]),
    { a: null }, { a: false }, { a: 0 }, { a: "0" }, { a: 1.5 }, { a: 10n }, "", 0, null, { x: { y: 1 } }, { x: { y: 2 } }, { x: {} },
  ]
  t.is(new Set(values.map(print)).size, values.length)
})

test("plain fingerprint: a successor that shares structure with the state hashed before it prints as if built fresh", (t) => {
  // The per-position memo reuses entry hashes by identity; rebuilt copies must give the same prints.
  const base = { rm: { r1: "working", r2: "working" }, msgs: new Set(["a"]), log: [{ k: 1 }, { k: 2 }] }
  const a = { ...base, rm: { ...base.rm, r2: "prepared" } }
  const b = { ...base, log: [...base.log, { k: 3 }] }
  const c = { ...b, log: b.log.slice(0, 2) }
  const fresh = (v: unknown) => print(JSON.parse(JSON.stringify(v, (_k, x) => (x instanceof Set ? { __set: [...x] } : x)), (_k, x) => (x && x.__set ? new Set(x.__set) : x)))
  for (const s of [base, a, b, c, a, base]) t.is(print(s), fresh(s))
  t.is(print(c), print(base))
})

test("plain fingerprint: Sets and Maps rebuilt around shared elements print as if built fresh, whatever the order", (t) => {
  // Each position remembers its last Set's elements by index: reordered, grown and shrunk Sets must not reuse a wrong hash.
  const p = { type: "Prepared", rm: "r1" }
  const q = { type: "Commit" }
  const states = [
    { msgs: new Set([p]) },
    { msgs: new Set([p, q]) },
    { msgs: new Set([q, p]) },
    { msgs: new Set([q]) },
    { msgs: new Map<unknown, unknown>([[p, 1], ["k", q]]) },
    { msgs: new Map<unknown, unknown>([["k", q], [p, 1]]) },
    { msgs: [p, q] },
    { msgs: { 0: p, 1: q } },
  ]
  const copy = (v: unknown): unknown =>
    v instanceof Set ? new Set([...v].map(copy)) : v instanceof Map ? new Map([...v].map(([k, x]) => [copy(k), copy(x)])) : Array.isArray(v) ? v.map(copy) : typeof v === "object" && v ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)])) : v
  const prints = states.map(print)
  t.deepEqual(states.map((s) => print(copy(s))), prints)
  t.deepEqual([...states].reverse().map(print), [...prints].reverse())
  t.is(prints[1], prints[2])
  t.is(prints[4], prints[5])
  t.is(new Set(prints).size, 6)
})
