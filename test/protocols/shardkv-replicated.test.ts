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
import { HandoffAck } from "../../src/protocols/shardkv/messages.ts"
import { joinGroup, storeCluster, unappliedAck } from "../../src/protocols/shardkv/replicated.ts"
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

test("an acknowledgement in flight for a handoff its sender has not applied breaks HandoffAckedOnlyOnceApplied; one it has applied does not", (t) => {
  const { result } = run("master-moves-shards", "spec")
  const w = lastState(result.path!) as World
  const cluster = storeCluster({ log: "spec", shards: 10, groups: 2, servers: 3, pace: 80, workloads: [privateKeyWorkload("client1", 1)], script: (n) => [joinGroup(1, n)] })
  const g1s1 = cluster.groupServers.find((r) => r.address === "g1s1")!
  const at = g1s1.state(w)!.app.config!.num
  const served = [...g1s1.state(w)!.app.shards].find(([, x]) => x._tag === "Serving")![0]
  const inFlight = (num: number, shard: number): World => ({
    ...w,
    net: [...w.net, { from: "g1s1", to: "g2s1", src: g1s1.index, dst: g1s1.index + 3, msg: new HandoffAck({ shard, num, from: 1 }), seq: w.sendSeq, hi: 1, lo: 2 }],
  })
  t.is(unappliedAck(w, cluster.groupServers), undefined)
  t.is(unappliedAck(inFlight(at, served), cluster.groupServers), undefined, "a retry's acknowledgement, from the applied state")
  t.is(unappliedAck(inFlight(at - 1, 0), cluster.groupServers), undefined, "an older configuration's: installed before the group moved on")
  t.regex(unappliedAck(inFlight(at + 1, served), cluster.groupServers) ?? "", /g1s1 acknowledges shard \d+ of configuration \d+ to g2s1, but has applied only configuration/)
})

test("planted bug, bug-read-without-confirmation: a deposed group leader cut off with a reader serves a stale Get; the store's history is not linearizable", (t) => {
  t.like(run("bug-read-without-confirmation", "raft").result, { verdict: "violation", property: "LINEARIZABLE" })
})
