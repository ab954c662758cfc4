/** Multi-Paxos figures: messages per committed command, checker states/s, simulated operations/s. */
import { explore } from "../src/checker/explore.ts"
import { lastState } from "../src/checker/path.ts"
import { simReport, type TimedState } from "../src/core/timed.ts"
import { appendWorkload, privateKeyWorkload } from "../src/core/workloads.ts"
import { checked, simulated } from "../src/protocols/paxos/model.ts"

const RANDOM = { strategy: "random", samples: 1, maxDepth: 10_000_000, minimise: false, seed: 1 } as const

/** One simulated run: messages per committed command (all, and server-to-server), wall-clock operations/s. */
const simRun = (servers: number, clients: number, ops: number) => {
  const system = simulated({ servers, workloads: Array.from({ length: clients }, (_, i) => privateKeyWorkload(`client${i + 1}`, ops)), sim: {} }, 1, "bench")
  const t0 = performance.now()
  const r = explore(system, RANDOM)
  const seconds = (performance.now() - t0) / 1000
  const report = simReport(lastState(r.path!) as TimedState)
  return {
    servers,
    clients,
    committed: report.completed,
    messagesPerCommand: +(report.messagesSent / report.completed).toFixed(2),
    serverMessagesPerCommand: +(report.serverMessages / report.completed).toFixed(2),
    simulatedOpsPerSecond: Math.round(report.completed / seconds),
    simulatedEventsPerSecond: Math.round(r.distinct / seconds),
    seconds: +seconds.toFixed(2),
  }
}

export async function benchPaxos(): Promise<object> {
  const three = simRun(3, 1, 2000)
  const five = simRun(5, 1, 2000)
  const busy = simRun(3, 5, 400)
  const system = checked({ servers: 3, workloads: [appendWorkload("client1", 1), appendWorkload("client2", 1)] })
  const r = explore(system, { maxStates: 150_000 })
  return {
    messagesPerCommittedCommand: { servers3: three.messagesPerCommand, servers5: five.messagesPerCommand },
    runs: [three, five, busy],
    checker: { config: "3 servers, 2 clients, bfs, 150,000-state budget", verdict: r.verdict, distinct: r.distinct, seconds: +r.seconds.toFixed(2), distinctStatesPerSecond: Math.round(r.distinct / r.seconds) },
    simulatedOpsPerSecond: busy.simulatedOpsPerSecond,
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await benchPaxos(), null, 1))
