/**
 * `npm run jepsen [-- --protocol paxos|raft] [--seconds S] [--seed N] [--disk-delay MS]`: for each protocol, a 3-node
 * cluster under the jepsen workload with kill -9 of a follower and of the leader, restarts, a
 * partition of the leader and its heal, then a crash of every node and a restart from disk; prints
 * the acknowledged writes, the lost writes (must be 0) and the lincheck verdict, one JSON line per
 * protocol. Exit code 1 when a write was lost or the history is not linearizable. With --disk-delay,
 * each log record reaches the nodes' files MS ms late, so a kill -9 loses what was not yet synced, as a
 * power cut would (timers 4x slower, so that elections finish on the slow disk).
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { type FaultStep, runJepsen } from "../src/runtime/jepsen.ts"

const { values } = parseArgs({ options: { protocol: { type: "string" }, seconds: { type: "string" }, seed: { type: "string" }, verbose: { type: "boolean" }, "disk-delay": { type: "string" } } })
const diskDelay = values["disk-delay"]
const seconds = Number(values.seconds ?? 20)
const seed = Number(values.seed ?? 1)
const protocols = values.protocol ? [values.protocol] : ["raft", "paxos"]
const f = seconds / 10
const faults: FaultStep[] = [
  { at: 1 * f, action: "kill-follower" },
  { at: 2.5 * f, action: "restart" },
  { at: 4 * f, action: "kill-leader" },
  { at: 5.5 * f, action: "restart" },
  { at: 7 * f, action: "partition-leader" },
  { at: 8.5 * f, action: "heal" },
]
let bad = false
for (const [k, protocol] of protocols.entries()) {
  const dir = mkdtempSync(join(tmpdir(), `tla-ts-jepsen-${protocol}-`))
  try {
    const r = await runJepsen({
      protocol,
      dir,
      basePort: 18000 + k * 400,
      seconds,
      clients: 8,
      seed,
      faults,
      crashAllAtEnd: true,
      ...(diskDelay ? { nodeArgs: ["--disk-delay", diskDelay, "--time-unit", "4"] } : {}),
      ...(values.verbose ? { log: (l: string) => console.error(l) } : {}),
    })
    console.log(JSON.stringify({ ...r, diskDelayMs: Number(diskDelay ?? 0) }))
    if (r.lostWrites > 0 || r.lincheck !== "linearizable") bad = true
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
process.exitCode = bad ? 1 : 0
