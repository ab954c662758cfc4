/**
 * Session 9's staged search of the sharded store (shardkv model.ts): a receiving group kept behind the
 * configuration that gives it a shard. The correct servers pass its budget; a server that acknowledges
 * a handoff it has not installed (planted.ts's ackUnproposed, and the same mistake made in server.ts,
 * the catalogue's ack-unneeded-handoff) is caught in two steps: the handoff, and the acknowledgement.
 * And SNAPSHOT_IS_APPLIED_STATE (snapshot-current.ts), one of the store's invariants, shown catching a
 * snapshot labelled one slot too far (the catalogue's snapshot-slot-off-by-one).
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import type { NamedTest } from "../../src/checker/model.ts"
import { SHARDKV_TESTS } from "../../src/protocols/shardkv/model.ts"
import { exploreMutated } from "./mutant-tree.ts"

const SEED = 1
const run = (name: keyof typeof SHARDKV_TESTS) => {
  const t: NamedTest = SHARDKV_TESTS[name]
  return explore(t.build({}, SEED), { ...t.options, seed: SEED })
}

test("staged lagging receiver: the correct servers pass its budget", (t) => {
  const r = run("staged-lagging-receiver")
  t.is(r.verdict, "budget-exhausted", r.property)
})

test("staged lagging receiver: a server acknowledging a handoff it does not propose is caught in two steps", (t) => {
  const r = run("bug-staged-ack-unproposed")
  t.is(r.verdict, "violation")
  t.is(r.property, "HandoffAckedOnlyOnceApplied")
  t.is(r.path!.steps.length, 2)
})

test("staged lagging receiver: the same mistake in server.ts (the leader acknowledges every handoff it does not propose) is caught in two steps", async (t) => {
  const edit = {
    file: "src/protocols/shardkv/server.ts",
    search: 'if (result._tag === "HandoffAck") ctx.send(from, result as HandoffAck)',
    replace: "ctx.send(from, new HandoffAck({ shard: h.shard, num: h.num, from: options.group }))",
  }
  const r = await exploreMutated(edit, "src/protocols/shardkv/model.ts", "shardKvModel", "staged-lagging-receiver")
  t.is(r.verdict, "violation")
  t.is(r.property, "HandoffAckedOnlyOnceApplied")
  t.is(r.path!.steps.length, 2)
})

test("SNAPSHOT_IS_APPLIED_STATE: a group server labelling its snapshot with the slot after the one applied (server.ts) is caught by the staged handoff search in two steps", async (t) => {
  const edit = { file: "src/protocols/shardkv/server.ts", search: "return snapshotAt(out, e.slot, ctx)", replace: "return snapshotAt(out, e.slot + 1, ctx)" }
  const r = await exploreMutated(edit, "src/protocols/shardkv/model.ts", "shardKvModel", "staged-handoff-crash")
  t.is(r.verdict, "violation")
  t.is(r.property, "SNAPSHOT_IS_APPLIED_STATE")
  t.true(r.path!.steps.length <= 4, `${r.path!.steps.length} steps`)
})
