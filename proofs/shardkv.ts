/**
 * The sharded store: the groups' logic with each group atomic, every interleaving of configuration
 * changes, handoffs and client requests (AtMostOneServer, no shard lost or duplicated, results those of
 * spec/kv); each planted bug of issue 9 caught; the replicated store (groups and master on Multi-Paxos)
 * and on Raft on seeded simulated runs with linearizable histories, group servers restarting from storage.
 */
import type { Obligation } from "../src/checker/prove.ts"
import type { SHARDKV_TESTS } from "../src/protocols/shardkv/model.ts"
import { obligationsOn } from "./obligation.ts"

const on = obligationsOn<typeof SHARDKV_TESTS>("shardkv")

const SIM = { seed: 1 } as const

export const obligations: ReadonlyArray<Obligation> = [
  on({ name: "atomic groups, join, join, leave, lost replies: every invariant and refinement of spec/kv in every state (complete bfs)", test: "groups-join-leave", expect: "ok" }),
  on({ name: "atomic groups, joins, a move and a leave, two clients on a shared key (complete bfs)", test: "groups-moves", expect: "ok" }),
  on({ name: "atomic groups, every group leaves and one joins: parked shards are handed on (complete bfs)", test: "groups-parked", expect: "ok" }),
  on({ name: "a group serving a shard before its data arrives is caught (AtMostOneServer)", test: "bug-serve-before-data", expect: "violation" }),
  on({ name: "a handoff dropping the exactly-once table is caught (a retried Append runs twice)", test: "bug-drop-dedup", expect: "violation" }),
  on({ name: "configurations applied out of order are caught (AtMostOneServer)", test: "bug-configs-out-of-order", expect: "violation" }),
  on({ name: "a master whose Leave leaves a shard unassigned is caught (ConfigurationsWellFormed)", test: "bug-leave-unassigned", expect: "violation" }),
  on({ name: "atomic groups, a shard leaving a group twice while old handoffs and acknowledgements still arrive (complete bfs)", test: "groups-stale-handoffs", expect: "ok" }),
  on({ name: "a late copy of an older handoff installed into a shard awaited again is caught (AtMostOneServer)", test: "bug-install-old-handoff", expect: "violation" }),
  on({ name: "a late acknowledgement of an earlier move deleting the shard being sent is caught (NoShardLost)", test: "bug-ack-any-configuration", expect: "violation" }),
  ...(["single-group-basic", "master-moves-shards"] as const).map((test) =>
    on({ name: `${test}: the replicated store on Multi-Paxos, results right and the history linearizable (seed 1)`, test, options: SIM, expect: "goal-found" })
  ),
  on({ name: "the replicated store serving a gained shard before its data is caught (history not linearizable, seed 1)", test: "bug-replicated-serve-before-data", options: SIM, expect: "violation" }),
  ...(["single-group-basic", "master-moves-shards"] as const).map((test) =>
    on({ name: `${test} on Raft: results right, history linearizable, Raft's invariants in the master and every group (seed 1)`, test, params: { log: "raft" }, options: SIM, expect: "goal-found" })
  ),
  ...(["group-server-restart", "servers-down-during-config-changes"] as const).map((test) =>
    on({ name: `${test}: group servers on Raft crash and recover from storage; every client finishes, Raft's invariants hold (seed 1)`, test, options: SIM, expect: "goal-found" })
  ),
]
