/**
 * PERSISTED_SIZE_BOUNDED (shardkv/persisted-size.ts): in the garbage-collection named test every
 * group server's persisted snapshot and log stay under the bound its configuration gives; with the
 * planted bug of a handoff that is not deleted once acknowledged, the group that left keeps data it
 * no longer owns and the property fails.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { persistedSizeBound } from "../../src/protocols/shardkv/persisted-size.ts"
import { shardKvModel } from "../../src/protocols/shardkv/model.ts"
import { privateKeyWorkload } from "../../src/core/workloads.ts"

const run = (name: string, params: Record<string, string>) => {
  const t = shardKvModel.tests[name]!
  return explore(t.build(params, 1), { ...t.options, seed: 1 })
}

test("garbage collection on Paxos: every group server's persisted state stays under its bound while every shard moves on", (t) => {
  const r = run("garbage-collection", { log: "paxos", ops: "12" })
  t.is(r.verdict, "goal-found", `${r.property} ${r.detail ?? ""}`)
})

test("planted bug: a handoff kept after its acknowledgement breaks PERSISTED_SIZE_BOUNDED", (t) => {
  const r = run("bug-keep-handed-off", { ops: "12" })
  t.is(r.verdict, "violation")
  t.is(r.property, "PERSISTED_SIZE_BOUNDED")
  t.regex(r.detail ?? "", /snapshot of \d+ bytes, over the \d+ its configuration allows/)
})

test("the bound: a shard's share grows with the values its keys may hold; a log bound covers the largest handoff", (t) => {
  const small = persistedSizeBound(10, [privateKeyWorkload("client1", 3)])
  const big = persistedSizeBound(10, [privateKeyWorkload("client1", 30)])
  t.true(Math.max(...big.shardBytes) > Math.max(...small.shardBytes))
  t.true(big.log > small.log)
})
