/** Shard store and shard master figures: BFS distinct states/s of the pure logic (atomic groups, no consensus yet). */
import { bfs } from "../src/checker/explore.ts"
import type { TransitionSystem } from "../src/checker/transition-system.ts"
import { append, get } from "../src/core/kv.ts"
import { shardStoreSystem } from "../src/protocols/shardkv/system.ts"
import { join, leave, move } from "../src/protocols/shardmaster/messages.ts"
import { shardMasterSystem } from "../src/protocols/shardmaster/system.ts"

const run = <S, L>(config: string, system: TransitionSystem<S, L>, maxStates: number) => {
  const r = bfs(system, { maxStates })
  return { config, verdict: r.verdict, distinct: r.distinct, generated: r.generated, depth: r.depth, seconds: +r.seconds.toFixed(2), distinctStatesPerSecond: Math.round(r.distinct / r.seconds) }
}

export async function benchShardKv(): Promise<object> {
  const singleClientTwoGroups = shardStoreSystem({
    shards: 3,
    groups: [1, 2],
    master: [join(1, ["s1"]), join(2, ["s2"]), move(0, 2), leave(1), join(1, ["s1"])],
    clients: [[append("a", "x"), append("b", "y"), get("a")]],
    lostReplies: true,
  })
  const master = shardMasterSystem({ shards: 4, groups: [1, 2, 3].map((id) => ({ id, servers: [`g${id}s1`] })), maxConfigs: 5 })
  return {
    shardkvSingleClientTwoGroups: run("atomic groups: 3 shards, 2 groups, 5 master commands, 1 client x 3 ops, lost replies; bfs, 200,000-state budget", singleClientTwoGroups, 200_000),
    shardMasterApplication: run("shard master application vs spec: 4 shards, 3 groups, up to 5 configurations; bfs", master, 200_000),
  }
}
