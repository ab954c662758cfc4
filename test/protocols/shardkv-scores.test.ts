/** Shard store scores: shard handoffs and shard bytes moved are counted along a simulated run's path. */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { lastState } from "../../src/checker/path.ts"
import { shardKvModel } from "../../src/protocols/shardkv/model.ts"
import { shardKvScores } from "../../src/protocols/shardkv/scores.ts"

test("scores: one group moves no shard; joins and four Moves move exactly 9 shards (5 on the second Join, one per Move) with their data", (t) => {
  // Gets through the log: the run then lasts until the last Move (leader-confirmed reads finish the clients before it).
  const s = shardKvScores(1, ["single-group-basic", "master-moves-shards"], { log: "spec", reads: "log" }) as Record<string, Record<string, number | string>>
  t.log(JSON.stringify(s))
  t.like(s["single-group-basic"], { verdict: "goal-found", shardHandoffsDelivered: 0, shardsMoved: 0, shardBytesMoved: 0, unanswered: 0 })
  const m = s["master-moves-shards"]!
  t.like(m, { verdict: "goal-found", shardsMoved: 9, unanswered: 0 })
  t.true((m.shardHandoffsDelivered as number) >= 9)
  // Each handoff carries the shard's keys, values and exactly-once table: more than an empty shard's bytes.
  t.true((m.shardBytesMoved as number) > 9 * JSON.stringify({ kv: {}, replies: {} }).length)
  t.true(typeof m.medianLatency === "number" && typeof m.p99Latency === "number" && (m.serverMessages as number) > 0)
  // Failed requests: replies that did not complete an operation (wrong group while shards move, or not ready).
  t.true((m.failedRequests as number) > 0)
})

test("the named simulated tests print their scores: the run's report has the shard traffic and the failed requests", (t) => {
  const sys = shardKvModel.tests["single-group-basic"]!.build({ log: "spec" }, 1)
  const r = explore(sys, { ...shardKvModel.tests["single-group-basic"]!.options, seed: 1 })
  const report = sys.report!(lastState(r.path!), r.path!.steps.map((x) => x.label))
  t.like(report, { shardHandoffsDelivered: 0, shardsMoved: 0, shardBytesMoved: 0, unanswered: 0 })
  t.true(typeof report.failedRequests === "number" && typeof report.p99Latency === "number")
})
