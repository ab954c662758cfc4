/**
 * Short fault runs on real processes (the long ones are `npm run jepsen`): kill -9 mid-load, partition,
 * crash of every node; no acknowledged write lost and the history linearizable. A planted bug (nodes
 * that come back with empty disks) must be caught by the same checks.
 */
import test from "ava"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type JepsenOptions, runJepsen } from "../../src/runtime/jepsen.ts"

const run = async (o: Omit<JepsenOptions, "dir" | "clients" | "seed">) => {
  const dir = mkdtempSync(join(tmpdir(), "tla-ts-faults-"))
  try {
    return await runJepsen({ ...o, dir, clients: 4, seed: 5 })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

test.serial("raft: kill -9 of the leader mid-load, restart, crash of every node: nothing acknowledged is lost", async (t) => {
  const r = await run({
    protocol: "raft",
    basePort: 19000,
    seconds: 3,
    faults: [
      { at: 0.8, action: "kill-leader" },
      { at: 2, action: "restart" },
    ],
    crashAllAtEnd: true,
  })
  t.log(JSON.stringify(r))
  t.true(r.freshPutsReadBack >= 3) // the run had acknowledged writes to lose (a loaded machine manages only a dozen operations)
  t.is(r.lostWrites, 0)
  t.is(r.lincheck, "linearizable")
})

test.serial("paxos: kill -9 of a follower, partition of the leader and heal, crash of every node: nothing acknowledged is lost", async (t) => {
  const r = await run({
    protocol: "paxos",
    basePort: 19400,
    seconds: 3,
    faults: [
      { at: 0.6, action: "kill-follower" },
      { at: 1.2, action: "restart" },
      { at: 1.6, action: "partition-leader" },
      { at: 2.6, action: "heal" },
    ],
    crashAllAtEnd: true,
  })
  t.log(JSON.stringify(r))
  t.true(r.freshPutsReadBack >= 3) // the run had acknowledged writes to lose (a loaded machine manages only a dozen operations)
  t.is(r.lostWrites, 0)
  t.is(r.lincheck, "linearizable")
})

test.serial("planted bug: nodes restarted with empty disks lose acknowledged writes, and the checks say so", async (t) => {
  const r = await run({ protocol: "raft", nodes: 1, basePort: 19800, seconds: 1, faults: [{ at: 1, action: "crash-all-wipe" }] })
  t.log(JSON.stringify(r))
  t.true(r.lostWrites > 0)
  t.is(r.lincheck, "not-linearizable")
})

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
