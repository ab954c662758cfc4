/**
 * The replicated shard master: the application over Multi-Paxos and over the spec-backed log, one
 * service. Every lab test gives its expected verdict on both logs; the exhaustive searches on the
 * spec-backed log pin their state counts; the planted Leave bug is caught through the replicas'
 * typed handles, with a short trace that replays.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { shardMasterModel } from "../../src/protocols/shardmaster/model.ts"
import { masterScenarios } from "../../src/protocols/shardmaster/scenarios.ts"
import { replayHit } from "../helpers.ts"

const tests = shardMasterModel.tests
const run = (name: string, log: string, seed = 1) => {
  const t = tests[name]!
  const system = t.build({ log }, seed)
  return { system, result: explore(system, { ...t.options, seed }), expect: t.expect }
}

for (const log of ["paxos", "spec"]) {
  test(`lab tests on the ${log} log: every client finishes with the application's results, replicas agree`, (t) => {
    for (const name of Object.keys(masterScenarios)) {
      const { result, expect } = run(name, log)
      t.is(result.verdict, expect!, `${name}: ${result.property ?? ""}`)
    }
  })
  test(`planted bug on the ${log} log: the replicated master's Leave leaves shards unowned`, (t) => {
    t.like(run("bug-replicated-leave-unassigned", log).result, { verdict: "violation", property: "ConfigurationsWellFormed" })
  })
}

test("exhaustive searches on the spec-backed log: 169 and 945 states, every state checked", (t) => {
  t.like(run("search-one-client", "spec").result, { verdict: "goal-found", complete: true, distinct: 169 })
  t.like(run("search-two-clients", "spec").result, { verdict: "goal-found", complete: true, distinct: 945 })
})

test("planted bug, bfs on the spec-backed log: a 9-step trace to an unowned shard, which replays", (t) => {
  const { system, result } = run("bug-replicated-leave-unassigned-search", "spec")
  t.like(result, { verdict: "violation", property: "ConfigurationsWellFormed" })
  t.is(result.path!.steps.length, 9)
  t.is(replayHit(system, result)?.property, "ConfigurationsWellFormed")
})

test("a bad log parameter is a clear model error", (t) => {
  t.throws(() => tests["move"]!.build({ log: "zab" }, 1), { message: 'parameter log must be one of spec, paxos, raft, not "zab"' })
})
