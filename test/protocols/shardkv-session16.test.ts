/**
 * Session 16's shard-store check (issue 14): the atomic groups (system.ts) key an acknowledgement by
 * what the receiver answers (a resent handoff answered differently is a new acknowledgement, not a
 * duplicate), and HandoffAckedOnlyOnceInstalled (properties.ts) checks every acknowledgement sent names
 * a configuration its group has passed or reached with the shard served. Together they catch blind
 * wave 11's ack-numbered-by-receiver-configuration (the receiver acknowledges with its own configuration,
 * not the handoff's; bench/mutants/shardkv/catalogue.ts, restated), which the first pass caught only by
 * simulations with traces of 1,842-3,266 steps (bench/mutants/shard-session16.json): groups-stale-handoffs
 * and groups-moves, seed-free BFS, in 15 steps.
 *
 * And staged-follower-behind-snapshot (behind-snapshot.ts: a follower of a Raft group cut off while its
 * leader compacts past its log, then brought up by InstallSnapshot at the same configuration) catches
 * snapshot-installed-only-if-newer-configuration (a server takes a restored snapshot only when it is at
 * a later configuration), which the first pass caught only by simulations (traces 1,432-2,801), in 2-3
 * steps under seeds 1-10 (STATE_MACHINE_SAFETY: the follower applies the entries after the snapshot to
 * its older state). From mutated copies of the sources (mutant-tree.ts); the shipped groups tests keep
 * their counts (shardkv-search.test.ts's random scripts pass too).
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { SHARDKV_TESTS } from "../../src/protocols/shardkv/model.ts"
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const MUTANTS: Record<string, Edit> = {
  "ack-numbered-by-receiver-configuration": {
    file: "src/protocols/shardkv/group.ts",
    search: "const ack = new HandoffAck({ shard: h.shard, num: h.num, from: group })",
    replace: "const ack = new HandoffAck({ shard: h.shard, num: num(s), from: group })",
  },
  "snapshot-installed-only-if-newer-configuration": {
    file: "src/protocols/shardkv/server.ts",
    search: 'if (e._tag === "Restored") return { ...s, app: e.data as A }',
    replace: 'if (e._tag === "Restored") return app.configNum(e.data as A) > app.configNum(s.app) ? { ...s, app: e.data as A } : s',
  },
}

shortTraceTests("shardkv", "src/protocols/shardkv/model.ts", "shardKvModel", MUTANTS, [
  { name: "groups-stale-handoffs", mutant: "ack-numbered-by-receiver-configuration", property: "HandoffAckedOnlyOnceInstalled", steps: 15 },
  { name: "groups-moves", mutant: "ack-numbered-by-receiver-configuration", property: "HandoffAckedOnlyOnceInstalled", steps: 15 },
  { name: "staged-follower-behind-snapshot", mutant: "snapshot-installed-only-if-newer-configuration", property: "STATE_MACHINE_SAFETY", steps: 4 },
])

test("shardkv staged-follower-behind-snapshot: the shipped store passes (seed 1)", (t) => {
  const named = SHARDKV_TESTS["staged-follower-behind-snapshot"]
  t.is(explore(named.build({}, 1), { seed: 1, ...named.options }).verdict, "budget-exhausted")
})

for (const [name, states] of [["groups-stale-handoffs", 347], ["groups-moves", 2_556]] as const)
  test(`shardkv ${name}: the shipped groups pass (${states} states, complete)`, (t) => {
    const r = explore(SHARDKV_TESTS[name].build(), {})
    t.is(r.verdict, "ok")
    t.is(r.distinct, states)
  })
