/**
 * Short fault runs on real processes (the long ones are `npm run jepsen`): kill -9 mid-load, partition,
 * crash of every node; no acknowledged write lost and the history linearizable. A planted bug (nodes
 * that come back with empty disks) must be caught by the same checks. The slow-disk runs are in
 * faults-slow-disk.slow.test.ts (`npm run test:slow`).
 */
import test from "ava"
import { run } from "./fault-run.ts"

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
