/**
 * The shard store as a model. Until its groups run on consensus logs, its named tests check the
 * groups' logic with each group atomic (system.ts): scenarios that must pass and the planted bugs
 * of issue 9, each caught by its invariant.
 */
import type { Model } from "../../checker/model.ts"
import { append, get, put } from "../../core/kv.ts"
import { join, leave, move } from "../shardmaster/messages.ts"
import { shardStoreSystem, type ShardStoreBugs, type ShardStoreOptions } from "./system.ts"

// With 2 shards, keys "a" and "c" are in shard 0, "b" and "d" in shard 1.
export const scenarios = {
  /** Join, join, leave; one client appending to one key; replies may be lost. */
  joinLeave: { shards: 2, groups: [1, 2], master: [join(1, ["s1"]), join(2, ["s2"]), leave(1)], clients: [[append("a", "x"), append("a", "y")]], lostReplies: true },
  /** Joins, a Move and a Leave; two clients, one key shared; replies may be lost. */
  moves: {
    shards: 2,
    groups: [1, 2],
    master: [join(1, ["s1"]), join(2, ["s2"]), move(0, 2), leave(2)],
    clients: [[append("a", "x"), get("a")], [append("b", "y"), append("a", "z")]],
    lostReplies: true,
  },
  /** Every group leaves, then a new one joins: the parked shards are handed to it. */
  parked: { shards: 2, groups: [1, 2], master: [join(1, ["s1"]), leave(1), join(2, ["s2"])], clients: [[append("a", "x"), append("a", "y")]], lostReplies: true },
  /** Three groups, one leaves: with the master's Leave bug a shard is left unassigned. */
  threeGroups: { shards: 3, groups: [1, 2, 3], master: [join(1, ["s1"]), join(2, ["s2"]), join(3, ["s3"]), leave(1)], clients: [[put("a", "x")]], lostReplies: true },
} satisfies Record<string, ShardStoreOptions>

const bug = (description: string, options: ShardStoreOptions, bugs: ShardStoreBugs) => ({
  description: `planted bug: ${description}`,
  build: () => shardStoreSystem({ ...options, bugs }),
  expect: "violation" as const,
})

export const shardKvModel: Model = {
  name: "shardkv",
  description: "the shard store's group logic (configurations, handoffs, exactly-once across moves) with atomic groups, against spec/kv",
  params: {},
  build: () => shardStoreSystem(scenarios.moves),
  tests: {
    "groups-join-leave": { description: "join, join, leave; lost replies (135 states)", build: () => shardStoreSystem(scenarios.joinLeave), expect: "ok" },
    "groups-moves": { description: "joins, a move, leaves; two clients on a shared key (2,556 states)", build: () => shardStoreSystem(scenarios.moves), expect: "ok" },
    "groups-parked": { description: "every group leaves, then one joins (168 states)", build: () => shardStoreSystem(scenarios.parked), expect: "ok" },
    "bug-serve-before-data": bug("a group serves a shard it gained before the data arrives (AtMostOneServer)", scenarios.joinLeave, { serveBeforeData: true }),
    "bug-drop-dedup": bug("a handoff drops the exactly-once table; a retried Append runs twice (ResultsMatchSpec)", scenarios.joinLeave, { dropDedupOnHandoff: true }),
    "bug-configs-out-of-order": bug("a group applies a later configuration, skipping one (AtMostOneServer)", scenarios.joinLeave, { applyOutOfOrder: true }),
    "bug-leave-unassigned": bug("the master's Leave leaves a shard unassigned (ConfigurationsWellFormed)", scenarios.threeGroups, { leaveUnassigned: true }),
  },
}
