/**
 * Simulated transactional workload (shardtxn): 2 groups of 3 and a master of 3, 4 clients each
 * running MultiPut, MultiGet and Swap over keys of both groups; on the spec-backed log, on Multi-Paxos
 * and on Multi-Paxos with 10% loss. Figures: committed transactions per second of wall time (and
 * per CPU second: the machine may be shared), transaction attempts aborted (conflicts, retried),
 * messages per committed transaction, and whether the history was strictly serializable.
 *
 * Run alone: node --import tsx bench/txn-sim.ts
 */
import { pathToFileURL } from "node:url"
import { explore } from "../src/checker/explore.ts"
import { lastState } from "../src/checker/path.ts"
import { simReport, type TimedEvent, type TimedState } from "../src/core/timed.ts"
import { joinGroup } from "../src/protocols/shardkv/replicated.ts"
import type { LogKind } from "../src/protocols/replicated-kv/logs.ts"
import { showId, TxnReply } from "../src/protocols/shardtxn/messages.ts"
import { simulatedTxnStore } from "../src/protocols/shardtxn/store.ts"
import { keysOn, mixedTxns } from "../src/protocols/shardtxn/workloads.ts"

const SEED = 1
const script = (n: number) => [joinGroup(1, n), joinGroup(2, n)]
const keys = [...keysOn(10, script(3), 1, 3), ...keysOn(10, script(3), 2, 3)]

const run = (log: LogKind, txnsPerClient: number, loss: number) => {
  const system = simulatedTxnStore(
    { log, shards: 10, groups: 2, servers: 3, script, pace: 50, workloads: Array.from({ length: 4 }, (_, i) => ({ commands: mixedTxns(`client${i + 1}`, txnsPerClient, keys.slice(i % 3, (i % 3) + 4)) })) },
    { loss, maxTime: 1_000_000 },
    SEED,
    "bench"
  )
  const cpu = process.cpuUsage()
  const t0 = performance.now()
  const r = explore(system, { strategy: "random", samples: 1, maxDepth: 10_000_000, minimise: false, seed: SEED })
  const seconds = (performance.now() - t0) / 1000
  const used = process.cpuUsage(cpu)
  const cpuSeconds = (used.user + used.system) / 1e6
  const end = lastState(r.path!) as TimedState
  const report = simReport(end)
  const committed = 4 * txnsPerClient
  // Aborted attempts: the distinct attempts whose client heard "aborted" (each is retried as the next attempt).
  const aborted = new Set<string>()
  for (const step of r.path!.steps) {
    const e = step.label as TimedEvent
    if (e.k === "deliver" && e.env.msg instanceof TxnReply && !e.env.msg.committed) aborted.add(showId(e.env.msg.id))
  }
  return {
    config: `2 groups x 3 + master x 3 on ${log}, 4 clients x ${txnsPerClient} transactions over 2-4 keys${loss ? `, ${loss * 100}% loss` : ""}`,
    verdict: r.verdict,
    committed,
    seconds: +seconds.toFixed(2),
    cpuSeconds: +cpuSeconds.toFixed(2),
    committedPerSecond: Math.round(committed / seconds),
    committedPerCpuSecond: Math.round(committed / cpuSeconds),
    aborted: aborted.size,
    abortsPerCommitted: +(aborted.size / committed).toFixed(2),
    simulatedTime: report.simulatedTime,
    messagesPerCommitted: Math.round(report.serverMessages / committed),
  }
}

export const benchTxnSim = () => ({
  runs: [run("spec", 40, 0), run("paxos", 40, 0), run("paxos", 40, 0.1)],
})

if (import.meta.url === pathToFileURL(process.argv[1]!).href) console.log(JSON.stringify(benchTxnSim(), null, 2))
