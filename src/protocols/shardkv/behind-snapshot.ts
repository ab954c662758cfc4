/**
 * A follower behind its leader's snapshot, searched breadth-first (session 16): one group of three
 * servers on Raft, which compacts its log through snapshots past 32 entries; four clients append twelve
 * times each to keys of their own, back to back. A simulation runs with g1s3 cut off from 500 ms on (it
 * has applied the group's configuration by then) until the leader has compacted past the end of g1s3's
 * log while g1s3 is still its follower (before g1s3's election timeout); from there every order of messages
 * and timers with g1s3 reconnected, so the leader brings it up by InstallSnapshot: the snapshot holds
 * the same configuration as g1s3's applied state and newer shard data. SNAPSHOT_IS_APPLIED_STATE and
 * APPLIED_NOT_BEHIND_SNAPSHOT (replicated.ts) on every state: a server must take the snapshot its log
 * restores whatever its configuration number.
 */
import type { NamedTest } from "../../checker/model.ts"
import { withProperties } from "../../checker/transition-system.ts"
import { append } from "../../core/kv.ts"
import type { World } from "../../core/world.ts"
import type { RaftState } from "../raft/server.ts"
import { groupNames, joinGroup, storeCluster, type StoreSetup } from "./replicated.ts"
import type { ShardGroupState } from "./messages.ts"
import { stagedStoreSearch } from "./staged.ts"

export const followerBehindSnapshot = (budget: number): NamedTest => ({
  description: `staged bfs: g1s3 of a group of three on Raft, cut off while the leader compacted its log past g1s3's end, reconnects and is brought up by the leader's snapshot; every order of messages and timers: no violation in the first ${budget.toLocaleString("en")} states`,
  build: (_p, seed) => {
    const setup: StoreSetup = { log: "raft", shards: 10, groups: 1, servers: 3, script: (n) => [joinGroup(1, n)], pace: 1, workloads: [1, 2, 3, 4].map((c) => ({ commands: Array.from({ length: 12 }, (_, i) => append(`k${c}`, `${i}`)) })) }
    const servers = storeCluster(setup).groupServers
    const [, , behind] = groupNames(1, 3)
    const raft = (w: World, i: number) => servers[i]!.state(w)?.log as RaftState | undefined
    // g1s3 applied the configuration before it was cut off and is still a follower of the leader's term (no election of its own
    // to disrupt the group when it reconnects), and the leader's snapshot is past g1s3's last entry.
    const passed = (w: World, rs: ReadonlyArray<ShardGroupState>) => {
      const lagging = raft(w, 2)
      if (lagging === undefined || (rs[2]?.config?.num ?? 0) < 1) return false
      const end = lagging.snapIndex + lagging.log.length
      return [0, 1].some((i) => {
        const r = raft(w, i)
        return r !== undefined && r.role === "leader" && r.term === lagging.term && lagging.role === "follower" && r.snapIndex > end
      })
    }
    const system = stagedStoreSearch(setup, { network: { delivery: "multiset" } }, seed, passed, [], [], [behind!], 3, 150)
    return withProperties(system, system.properties.filter((p) => p.kind !== "goal"))
  },
  options: { strategy: "bfs", maxStates: budget, minimise: false },
  expect: "budget-exhausted",
})
