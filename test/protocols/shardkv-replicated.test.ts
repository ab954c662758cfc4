/**
 * The replicated sharded store: a master and replica groups on the spec-backed log (and a few on
 * Multi-Paxos), clients checked for their results and a linearizable history while shards move;
 * the planted bugs caught in simulation.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { lastState } from "../../src/checker/path.ts"
import type { World } from "../../src/core/world.ts"
import { shardKvModel } from "../../src/protocols/shardkv/model.ts"
import { joinGroup, storeCluster } from "../../src/protocols/shardkv/replicated.ts"
import { leave } from "../../src/protocols/shardmaster/messages.ts"
import { privateKeyWorkload } from "../../src/core/workloads.ts"

const run = (name: string, log: string, seed = 1) => {
  const t = shardKvModel.tests[name]!
  return { result: explore(t.build({ log }, seed), { ...t.options, seed }), expect: t.expect }
}

for (const name of ["single-group-basic", "multi-group-join-leave", "master-moves-shards", "unreliable-join-leave", "concurrent-appends", "repeated-shard-movement"]) {
  test(`spec-backed log, ${name}: every client finishes, results right, history linearizable`, (t) => {
    const { result, expect } = run(name, "spec")
    t.is(result.verdict, expect!, result.property)
  })
}

test("static shards, one group down: exactly the client whose shard is on the live group finishes", (t) => {
  t.like(run("static-shards-one-group-down", "spec").result, { verdict: "goal-found", property: "LIVE_CLIENTS_DONE" })
})

for (const name of ["single-group-basic", "concurrent-appends"]) {
  test(`Multi-Paxos, ${name}: the same service on the real log`, (t) => {
    const { result, expect } = run(name, "paxos")
    t.is(result.verdict, expect!, result.property)
  })
}

test("shards really move: after joins and leaves every group replica reached the last configuration and only owners hold shards", (t) => {
  const { result } = run("multi-group-join-leave", "spec")
  const cluster = storeCluster({ log: "spec", shards: 10, groups: 3, servers: 3, pace: 80, workloads: [privateKeyWorkload("client1", 1)], script: (n) => [joinGroup(1, n), leave(1)] })
  const replicas = cluster.replicas(lastState(result.path!) as World)
  t.true(replicas.some((r) => r.config?.num === 6), `configurations reached: ${replicas.map((r) => r.config?.num).join(",")}`)
  for (const r of replicas.filter((x) => x.config?.num === 6)) for (const [shard, x] of r.shards) if (x._tag === "Serving") t.is(r.config!.shards[shard], r.group)
})

for (const [name, property] of [["bug-replicated-serve-before-data", "LINEARIZABLE"], ["bug-replicated-drop-dedup", "LINEARIZABLE"]] as const) {
  test(`planted bug, ${name}: caught (${property}) on the spec-backed log`, (t) => {
    t.like(run(name, "spec").result, { verdict: "violation", property })
  })
}
