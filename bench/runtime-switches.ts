/**
 * `node --import tsx bench/runtime-switches.ts [--protocol raft,paxos] [--ops N] [--baseline DIR] [--rounds R]`
 *
 * What one put at 1 client costs the machine, in figures that a loaded machine hardly moves: the node
 * processes' context switches (voluntary: a thread went to sleep waiting, each one a wake-up later;
 * involuntary: preempted) and CPU time (user + system), summed over every thread of the three nodes
 * (main thread, libuv pool, V8's), per put, read from /proc before and after N sequential puts of
 * 128 bytes. Latency at 1 client on 2 shared cores is mostly how many times a put needs a thread
 * woken and scheduled; this counts them. With `--baseline DIR` (another checkout, built), its nodes and
 * this one's alternate, R rounds (default 2), the same client library driving both.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { parseArgs } from "node:util"
import { ClusterClient } from "../src/runtime/client.ts"
import { LocalCluster } from "../src/runtime/jepsen.ts"
import { toCommand } from "../src/runtime/kv-ops.ts"

const TICKS = 100 // USER_HZ: /proc/PID/stat's utime and stime are in these

/** Context switches and CPU ticks of every thread of a process. */
const usage = (pid: number) => {
  let voluntary = 0
  let involuntary = 0
  let ticks = 0
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const status = readFileSync(`/proc/${pid}/task/${task}/status`, "utf8")
      voluntary += Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)![1])
      involuntary += Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(status)![1])
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, "utf8")
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
      ticks += Number(f[11]) + Number(f[12]) // utime, stime (fields 14 and 15)
    } catch {} // a thread that ended meanwhile
  }
  return { voluntary, involuntary, ticks }
}

const total = (pids: ReadonlyArray<number>) => pids.map(usage).reduce((a, b) => ({ voluntary: a.voluntary + b.voluntary, involuntary: a.involuntary + b.involuntary, ticks: a.ticks + b.ticks }))

export const switchesPerPut = async (protocol: string, ops: number, basePort: number, bin?: string) => {
  const dir = mkdtempSync(join(tmpdir(), "tla-ts-switches-"))
  const cluster = new LocalCluster(protocol, dir, basePort, 3, () => {}, false)
  if (bin) cluster.bin = bin
  let client: ClusterClient | undefined
  try {
    await cluster.start()
    await cluster.waitLeader(60_000)
    await cluster.waitUp(60_000)
    client = await ClusterClient.connect(cluster.endpoints, { connectTimeout: 10_000, seed: 1, all: true })
    const s = client.session()
    const value = "v".repeat(128)
    for (let i = 0; i < 50; i++) await s.execute(toCommand({ op: "put", key: `k${i % 100}`, value }), 10_000) // warm up
    const pids = cluster.members.map((m) => m.proc!.pid!)
    const before = total(pids)
    const t0 = performance.now()
    for (let i = 0; i < ops; i++) await s.execute(toCommand({ op: "put", key: `k${i % 100}`, value }), 10_000)
    const ms = performance.now() - t0
    const after = total(pids)
    const per = (x: number) => Number((x / ops).toFixed(2))
    return {
      voluntarySwitches: per(after.voluntary - before.voluntary),
      involuntarySwitches: per(after.involuntary - before.involuntary),
      cpuMsPerPut: per(((after.ticks - before.ticks) * 1000) / TICKS),
      meanMs: per(ms),
    }
  } finally {
    client?.close()
    await cluster.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

const { values } = parseArgs({ options: { protocol: { type: "string" }, ops: { type: "string" }, baseline: { type: "string" }, rounds: { type: "string" } } })
const ops = Number(values.ops ?? 1000)
const protocols = (values.protocol ?? "raft,paxos").split(",")
const result: Record<string, unknown> = { ops, loadavg: readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).map(Number) }
const baseline = values.baseline === undefined ? undefined : resolve(values.baseline, "bin", "tla-ts.js")
if (baseline !== undefined && !existsSync(baseline)) throw new Error(`--baseline: no ${baseline}`)
let port = 25000
for (let r = 1; r <= (baseline ? Number(values.rounds ?? 2) : 1); r++)
  for (const p of protocols)
    for (const [side, b] of baseline ? ([["baseline", baseline], ["current", undefined]] as const) : ([["current", undefined]] as const))
      result[`${p} round ${r} ${side}`] = await switchesPerPut(p, ops, (port += 300), b)
console.log(JSON.stringify(result, null, 1))
