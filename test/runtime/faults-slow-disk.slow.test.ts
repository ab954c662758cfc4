/**
 * The slow-disk fault runs (`npm run test:slow`; test/runtime/faults.test.ts has the short ones): kill -9
 * on a disk that lags behind its writes loses nothing acknowledged, and a node that sends before its
 * writes are durable is caught losing writes. Each saturates both cores for a few seconds, so they run in
 * the slow set (CI runs it after `npm test`).
 */
import test from "ava"
import { run } from "./fault-run.ts"

// A slow disk (each log record reaches the file 50 ms, or a second, after it is written; timers 4x slower, so that elections still finish) makes kill -9 lose what was
// not yet synced, as a power cut would (2.5 s of load before it: Paxos's first leader sometimes takes
// a second to settle on this slow disk, and 1.5 s then left 8 fresh puts, near the bound of 5): the leader's AppendEntries that overlap its own write must not
// cost an acknowledged write, and a node that sends before its writes are durable must.
const slowDisk = (protocol: string, basePort: number, delayMs: number, nodeArgs: string[], nodes = 3) =>
  run({ protocol, basePort, nodes, seconds: 3.5, faults: [{ at: 2.5, action: "crash-all" }], nodeArgs: ["--disk-delay", String(delayMs), "--time-unit", "4", ...nodeArgs] })

// Both protocols: Raft's AppendEntries and Paxos's P2a overlap the leader's own write.
for (const [protocol, basePort] of [
  ["raft", 19100],
  ["paxos", 24400],
] as const)
  test.serial(`${protocol} on a slow disk: kill -9 of every node mid-load loses nothing acknowledged, with the leader's write overlapping its replication`, async (t) => {
    const r = await slowDisk(protocol, basePort, 50, [])
    t.log(JSON.stringify(r))
    t.true(r.freshPutsReadBack > 5)
    t.is(r.lostWrites, 0)
    t.is(r.lincheck, "linearizable")
  })

test.serial("planted bug on a slow disk: nodes that send before their writes are durable lose acknowledged writes at kill -9", async (t) => {
  // A disk a second behind: the planted bug does not wait for it, so every write of the last second is
  // lost (one node is enough: it answers its clients before its write is durable).
  const r = await slowDisk("raft", 19200, 1000, ["--unsafe-no-wait"], 1)
  t.log(JSON.stringify(r))
  t.true(r.lostWrites > 0)
})
