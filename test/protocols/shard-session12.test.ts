/**
 * Session 12 (shard9): catalogue mutants of the sharded store and its transactions (restated), each
 * caught by a named test with a short trace:
 * - shardtxn single-put-ignores-locks (a single-key Put served on a key a prepared transaction holds,
 *   then overwritten by its commit): walks-single-keys-beside-txns breaks LOCKED_VALUES_UNCHANGED;
 *   no named test caught it before;
 * - shardkv snapshot-before-apply (a snapshot holding the state from before its slot's command):
 *   staged-first-slots breaks SNAPSHOT_IS_APPLIED_STATE in 3 steps (staged-handoff-crash's start already
 *   broke it: a trace of 0 steps);
 * - shardtxn draining-never-cleared under the master's crashes: master-crash-shard-movement breaks
 *   DRAINING_ONLY_BEHIND_THE_MASTER, which the simulations now check, judged while every master
 *   replica is up;
 * - shardtxn second-attempt-prepared-beside-first (blind wave): walks-next-txn-elsewhere (a client's
 *   consecutive transactions with different coordinators) breaks LocksHeldByPrepared.
 */
import test from "ava"
import { exploreMutated } from "./mutant-tree.ts"

const group = "src/protocols/shardtxn/group.ts"
const cases = [
  {
    name: "single-put-ignores-locks",
    edit: { file: group, search: 's.locks.has(c.op.key) && !(bugs.readsSkipLocks && c.op._tag === "Get")', replace: 's.locks.has(c.op.key) && c.op._tag === "Get"' },
    model: ["src/protocols/shardtxn/model.ts", "shardTxnModel"],
    search: "walks-single-keys-beside-txns",
    property: "LOCKED_VALUES_UNCHANGED",
    steps: 15,
  },
  {
    name: "snapshot-before-apply",
    edit: { file: "src/protocols/shardkv/server.ts", search: "    return snapshotAt(out, e.slot, ctx)\n", replace: "    return { ...snapshotAt({ ...out, app: s.app }, e.slot, ctx), app: out.app }\n" },
    model: ["src/protocols/shardkv/model.ts", "shardKvModel"],
    search: "staged-first-slots",
    property: "SNAPSHOT_IS_APPLIED_STATE",
    steps: 3,
  },
  {
    name: "second-attempt-prepared-beside-first",
    edit: { file: group, search: "const free = !s.draining && !s.prepared.has(p.id.client) && ", replace: "const free = !s.draining && " },
    model: ["src/protocols/shardtxn/model.ts", "shardTxnModel"],
    search: "walks-next-txn-elsewhere",
    // The replaced record leaks the first transaction's locks (LocksHeldByPrepared) and drops its commit (REFINES_KV_TXN): whichever the walks meet first.
    property: "LocksHeldByPrepared|REFINES_KV_TXN",
    steps: 20,
  },
  {
    name: "draining-never-cleared",
    edit: { file: group, search: 'withState(s, { base: next, draining: c._tag === "ApplyConfig" ? false : s.draining })', replace: "withState(s, { base: next, draining: s.draining })" },
    model: ["src/protocols/shardtxn/model.ts", "shardTxnModel"],
    search: "master-crash-shard-movement",
    property: "DRAINING_ONLY_BEHIND_THE_MASTER",
    steps: Infinity,
  },
] as const

for (const c of cases)
  test(`${c.search}: ${c.name} breaks ${c.property}${c.steps < Infinity ? ` within ${c.steps} steps` : ""}`, async (t) => {
    const r = await exploreMutated(c.edit, c.model[0], c.model[1], c.search)
    t.is(r.verdict, "violation")
    t.true(c.property.split("|").includes(r.property!), `broke ${r.property}`)
    t.true(r.path!.steps.length <= c.steps, `trace of ${r.path!.steps.length} steps`)
  })
