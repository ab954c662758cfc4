/** Shard store and shard master figures: BFS distinct states/s of the pure logic (atomic groups, no consensus yet). */
import { bfs, explore } from "../src/checker/explore.ts"
import { lastState } from "../src/checker/path.ts"
import { simReport, type TimedState } from "../src/core/timed.ts"
import { privateKeyWorkload } from "../src/core/workloads.ts"
import { joinGroup, simulatedStore } from "../src/protocols/shardkv/replicated.ts"
import { shardKvScores } from "../src/protocols/shardkv/scores.ts"
import type { TransitionSystem } from "../src/checker/transition-system.ts"
import { append, get } from "../src/core/kv.ts"
import { shardStoreSystem } from "../src/protocols/shardkv/system.ts"
import { join, leave, move } from "../src/protocols/shardmaster/messages.ts"
import { shardMasterSystem } from "../src/protocols/shardmaster/system.ts"

const run = <S, L>(config: string, system: TransitionSystem<S, L>, maxStates: number) => {
  const r = bfs(system, { maxStates })
  return { config, verdict: r.verdict, distinct: r.distinct, generated: r.generated, depth: r.depth, seconds: +r.seconds.toFixed(2), distinctStatesPerSecond: Math.round(r.distinct / r.seconds) }
}

/** 3 groups of 3 and a master of 3 on Multi-Paxos, 4 clients, groups joining and leaving: wall-clock figures. */
const simulatedRun = (opsPerClient: number) => {
  const system = simulatedStore(
    {
      log: "paxos",
      shards: 10,
      groups: 3,
      servers: 3,
      script: (n) => [joinGroup(1, n), joinGroup(2, n), joinGroup(3, n), leave(1), joinGroup(1, n), leave(2), joinGroup(2, n)],
      pace: 200,
      workloads: Array.from({ length: 4 }, (_, i) => privateKeyWorkload(`client${i + 1}`, opsPerClient)),
    },
    {},
    1,
    "bench"
  )
  const t0 = performance.now()
  const r = explore(system, { strategy: "random", samples: 1, maxDepth: 10_000_000, minimise: false, seed: 1 })
  const seconds = (performance.now() - t0) / 1000
  const report = simReport(lastState(r.path!) as TimedState)
  return {
    config: `3 groups x 3 + master x 3 on Multi-Paxos, 4 clients x ${opsPerClient} ops, joins and leaves`,
    verdict: r.verdict,
    completed: report.completed,
    messagesPerOperation: +(report.messagesSent / report.completed).toFixed(2),
    serverMessagesPerOperation: +(report.serverMessages / report.completed).toFixed(2),
    simulatedOpsPerSecond: Math.round(report.completed / seconds),
    seconds: +seconds.toFixed(2),
  }
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
    simulatedStore: simulatedRun(100),
    shardkvSingleClientTwoGroups: run("atomic groups: 3 shards, 2 groups, 5 master commands, 1 client x 3 ops, lost replies; bfs, 200,000-state budget", singleClientTwoGroups, 200_000),
    shardMasterApplication: run("shard master application vs spec: 4 shards, 3 groups, up to 5 configurations; bfs", master, 200_000),
    scores: shardKvScores(1),
  }
}
