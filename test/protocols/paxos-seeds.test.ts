/**
 * Catches that hold under every seed (session 11): `tla-ts test paxos` runs each named test with one
 * fresh seed, so a bug the suite catches must be caught whatever that seed is.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import type { NamedTest } from "../../src/checker/model.ts"
import { hunt, ownStaleSearch, PAXOS_TESTS } from "../../src/protocols/paxos/model.ts"
import { mutantTree } from "./mutant-tree.ts"

/** The shipped server's old rule (bench/mutants/paxos.ts rejection-to-own-leader): a stale P2a is rejected to the promise's own leader too. */
const REJECTION_TO_OWN_LEADER = {
  file: "src/protocols/paxos/server.ts",
  search: "if (s0.leader !== from || options.bugRejectionCounted) ctx.send(from",
  replace: "ctx.send(from",
}

/** bench/mutants/paxos.ts compaction-forgets-accepted: compaction also drops accepted (not chosen) slots above the compaction point. */
const COMPACTION_FORGETS_ACCEPTED = {
  file: "src/protocols/paxos/server.ts",
  search: "for (const k of log.keys()) if (k < clear) log.delete(k)",
  replace: "for (const [k, e] of log) if (k < clear || !e.chosen) log.delete(k)",
}

/** bench/mutants/paxos.ts recover-forgets-accepted: a restarted server recovers its promise but only the chosen entries of its log. */
const RECOVER_FORGETS_ACCEPTED = {
  file: "src/protocols/paxos/server.ts",
  search: "return {\n        ...d,\n        slotOut,",
  replace: "return {\n        ...d,\n        log: new Map([...d.log].filter(([, e]) => e.chosen)),\n        slotOut,",
}

/** bench/mutants/paxos.ts p2a-below-cleared-accepted: an acceptor accepts a re-sent P2a for a slot below its compaction point. */
const P2A_BELOW_CLEARED_ACCEPTED = {
  file: "src/protocols/paxos/server.ts",
  search: "if (m.slot >= s.cleared && !e?.chosen) s = {",
  replace: "if (!e?.chosen) s = {",
}

/** bench/mutants/paxos.ts persisting-reports-unsaved-self (session 11's blind wave): a persisting replica records its own executed slot before its storage holds it. */
const PERSISTING_REPORTS_UNSAVED_SELF = {
  file: "src/protocols/paxos/server.ts",
  search: "    if (options.persist) return { ...s, slotOut }\n",
  replace: "",
}

/** The named test `name` of a mutated copy's Paxos model, explored under `seed` as `tla-ts test --seed` does. */
const underSeeds = async (edit: typeof REJECTION_TO_OWN_LEADER, name: string, seeds: ReadonlyArray<number>) => {
  const tree = mutantTree(edit)
  try {
    const named = (await tree.load<{ PAXOS_TESTS: Record<string, NamedTest> }>("src/protocols/paxos/model.ts")).PAXOS_TESTS[name]!
    return seeds.map((seed) => explore(named.build({}, seed) as any, { ...named.options, seed }))
  } finally {
    tree.dispose()
  }
}

test("own-stale-proposal: the shipped server chooses the slot with a real majority; with bugRejectionCounted the rejection of s1's own ballot-0 proposal counts as s3's vote (CHOSEN_BY_MAJORITY, 10 steps)", (t) => {
  const ok = explore(ownStaleSearch(), { strategy: "bfs", maxStates: 20_000 })
  t.is(ok.verdict, "goal-found")
  t.is(ok.property, "SERVER1_CHOSE_SLOT_0")
  const bad = explore(ownStaleSearch(true), { strategy: "bfs", maxStates: 20_000 })
  t.is(bad.verdict, "violation")
  t.is(bad.property, "CHOSEN_BY_MAJORITY")
  t.log(bad.path!.steps.map((s) => s.text).join("\n"))
  t.true(bad.path!.steps.length <= 12, `trace of ${bad.path!.steps.length} steps`)
})

test("the server mutated to reject a stale P2a to its own leader: own-stale-proposal catches it by BFS under seeds 3 and 5 (bug-rejection-counted's old coverage hunt missed the planted form under both)", async (t) => {
  for (const r of await underSeeds(REJECTION_TO_OWN_LEADER, "own-stale-proposal", [3, 5])) {
    t.is(r.verdict, "violation")
    t.is(r.property, "CHOSEN_BY_MAJORITY")
  }
})

test("hunt-crash-recovery: the shipped server passes its 20,000 states; recovery that keeps only chosen slots breaks RECOVERS_STORED at the first restart (3 steps) under seeds 3 and 5 alike", async (t) => {
  const ok = explore(hunt(1), { strategy: "bfs", maxStates: 20_000 })
  t.is(ok.verdict, "budget-exhausted")
  for (const r of await underSeeds(RECOVER_FORGETS_ACCEPTED, "hunt-crash-recovery", [3, 5])) {
    t.is(r.verdict, "violation")
    t.is(r.property, "RECOVERS_STORED")
    t.is(r.path!.steps.length, 3)
  }
})

test("ACCEPTED_KEPT: compaction that drops an accepted slot above its point is caught by hunt-noop-compaction at the step that drops it, under seeds 3 and 5 alike", async (t) => {
  for (const r of await underSeeds(COMPACTION_FORGETS_ACCEPTED, "hunt-noop-compaction", [3, 5])) {
    t.is(r.verdict, "violation")
    t.is(r.property, "ACCEPTED_KEPT")
  }
})

test("hunt-bug-promises-ignored lifts the swarm's violation to the interleaving model and minimises it: under seed 5 a trace of at most 30 steps (the timed run's was 142)", (t) => {
  const named = PAXOS_TESTS["hunt-bug-promises-ignored"] as NamedTest
  const r = explore(named.build({}, 5) as any, { ...named.options, seed: 5 })
  t.is(r.verdict, "violation")
  t.true(r.path!.steps.length <= 30, `trace of ${r.path!.steps.length} steps`)
})

test("hunt-after-compaction: an acceptor that takes a re-sent P2a for a slot it cleared breaks LOG_WINDOW one step after the compaction, under seeds 3 and 5 alike (hunt-prompt-heartbeats-appends, a whole-space BFS, catches it too, at 395,000 states on the shipped server)", async (t) => {
  for (const r of await underSeeds(P2A_BELOW_CLEARED_ACCEPTED, "hunt-after-compaction", [3, 5])) {
    t.is(r.verdict, "violation")
    t.is(r.property, "LOG_WINDOW")
  }
})

test("EXECUTED_STORED: a persisting replica that counts its own executed slot before storing it is caught by hunt-lazy-learning in 3 steps under seeds 1 and 3 (the blind wave's sweep caught it under none of 1, 2, 3: hunt-scripted's seed-2 verdict was a false alarm)", async (t) => {
  for (const r of await underSeeds(PERSISTING_REPORTS_UNSAVED_SELF, "hunt-lazy-learning", [1, 3])) {
    t.is(r.verdict, "violation")
    t.is(r.property, "EXECUTED_STORED")
    t.true(r.path!.steps.length <= 3, `trace of ${r.path!.steps.length} steps`)
  }
})
