import test from "ava"
import { bfs, explore } from "../../src/checker/explore.ts"
import { buildSystem } from "../../src/checker/parallel-protocol.ts"
import { PorError } from "../../src/checker/por.ts"
import { withProperties } from "../../src/checker/transition-system.ts"
import { REGISTRY_URL } from "../../src/registry/index.ts"
import { replayHit } from "../helpers.ts"
import { PINNED_STATES } from "../protocols/state-counts.ts"

/** A named test's system with its state properties only (--por refuses step properties). */
const stateOnly = async (model: string, testName: string) => {
  const system = await buildSystem({ loader: REGISTRY_URL, model, params: {}, test: testName })
  return withProperties(system, system.properties, [])
}

test("raft election: every state still visited, fewer steps generated", async (t) => {
  const system = await stateOnly("raft", "exhaustive-election")
  const r = explore(system, { por: true })
  t.is(r.verdict, "ok")
  t.true(r.complete)
  t.is(r.distinct, PINNED_STATES["raft/exhaustive-election"]!)
  const plainGenerated = 18_931
  t.true(r.generated < plainGenerated * 0.9, `${r.generated} generated, ${plainGenerated} without`)
  t.regex(r.detail ?? "", /steps asleep/)
})

test("raft with crashes: a re-expansion generates only the steps it woke (crashes and restarts too), so fewer steps than without", async (t) => {
  const system = await stateOnly("raft", "exhaustive-crash")
  const r = explore(system, { por: true })
  t.is(r.distinct, PINNED_STATES["raft/exhaustive-crash"]!)
  const plainGenerated = 280_225
  // Crash and restart steps ignored the sleep set: every re-expansion made them again (339,162 steps).
  t.true(r.generated < plainGenerated * 0.8, `${r.generated} generated, ${plainGenerated} without`)
})

test("planted bug: primary-backup answering before its backup is still found by bfs under --por, and the trace replays unreduced", async (t) => {
  const system = await stateOnly("primarybackup", "bug-answer-before-backup")
  const r = explore(system, { por: true, maxStates: 40_000 })
  t.is(r.verdict, "violation")
  // The backup falls behind its primary (BACKUP_MIRRORS_PRIMARY) before a client holds the answer (ACKED_OPS_REPLICATED).
  t.is(r.property, "BACKUP_MIRRORS_PRIMARY")
  t.is(replayHit(system, r)?.property, "BACKUP_MIRRORS_PRIMARY")
})

test("planted bug: the clientserver server executing a retry twice is found under --por", async (t) => {
  const system = await stateOnly("clientserver", "bug-execute-retries")
  const plain = bfs(system)
  const r = explore(system, { por: true })
  t.is(r.verdict, "violation")
  t.is(r.property, plain.property)
  t.is(replayHit(system, r)?.property, plain.property)
})

test("--por is refused where it would not be sound", async (t) => {
  const withRefinement = await buildSystem({ loader: REGISTRY_URL, model: "clientserver", params: {}, test: "exhaustive-one-client" })
  t.throws(() => explore(withRefinement, { por: true }), { instanceOf: PorError, message: /step properties/ })
  const live = await buildSystem({ loader: REGISTRY_URL, model: "paxos", params: {}, test: "live-requests-complete" })
  t.throws(() => explore(withProperties(live, live.properties, []), { por: true }), { instanceOf: PorError, message: /liveness/ })
  const plain = await stateOnly("clientserver", "exhaustive-appends")
  t.throws(() => explore(plain, { por: true, strategy: "dfs" }), { instanceOf: PorError, message: /bfs only/ })
  t.throws(() => explore(plain, { por: true, symmetry: true }), { instanceOf: PorError, message: /symmetry/ })
  const spec = await buildSystem({ loader: REGISTRY_URL, model: "twophase", params: { rm: "2" } })
  t.throws(() => explore(spec, { por: true }), { instanceOf: PorError, message: /which steps commute/ })
})
