/**
 * `node --import tsx bench/runtime-growth.ts [--protocol raft,paxos] [--keys 200000] [--window 10]
 *   [--clients 8] [--max-seconds 600] [--value-size 128] [--cpu-prof DIR] [--base-port 26000]`
 *
 * Does a KV cluster keep its throughput as its store grows? A 3-node cluster on loopback takes
 * closed-loop puts of fresh keys (drawn from 2^30 names by a seeded generator: a store that grows by
 * one key per put, as etcd's load generator's unique keys make it) in windows of `--window` seconds
 * until `--keys` puts are acknowledged (or `--max-seconds` pass). Per window: the store's size at its
 * end, throughput, p50 and p99, and the CPU the three nodes spent per put (utime + stime from /proc,
 * microseconds: on a machine shared with other work the throughput and latencies follow the machine's
 * load, the CPU per put much less); then the last window against the first (ratios: 1 is flat). Then
 * the data: each node's snapshot and log bytes; the cluster is killed (-9) and started again from its
 * data directories, and `recovery` is the time until a put and a get of a new key are answered, and
 * a key written in the first window reads back. Prints one JSON object. With `--cpu-prof DIR` the nodes
 * run under `node --cpu-prof` and write their profiles there when stopped (before the restart).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { ClusterClient } from "../src/runtime/client.ts"
import { LocalCluster } from "../src/runtime/jepsen.ts"
import { toCommand } from "../src/runtime/kv-ops.ts"
import { runLoad } from "../src/runtime/load.ts"

const NAMES = 2 ** 30

interface Options {
  readonly keys: number
  readonly window: number
  readonly clients: number
  readonly maxSeconds: number
  readonly valueSize: number
  readonly cpuProf?: string
}

/** Each node's snapshot and write-ahead log bytes. */
const diskUse = (dir: string, ids: ReadonlyArray<string>) =>
  Object.fromEntries(
    ids.map((id) => {
      const files = readdirSync(join(dir, id))
      const bytes = (f: string) => statSync(join(dir, id, f)).size
      return [id, { snapshotBytes: files.filter((f) => f.startsWith("snapshot")).reduce((a, f) => a + bytes(f), 0), walBytes: files.filter((f) => f.startsWith("wal-")).reduce((a, f) => a + bytes(f), 0) }]
    })
  )

/** CPU milliseconds (user + system, 10 ms ticks) of a live process so far; 0 once it is gone. */
const cpuMs = (pid: number | undefined): number => {
  if (pid === undefined) return 0
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")
    return (Number(f[11]) + Number(f[12])) * 10
  } catch {
    return 0
  }
}

const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : Number((a / b).toFixed(3)))

const stopAll = async (cluster: LocalCluster, gracefully: boolean) => {
  if (gracefully) await cluster.terminate()
  await cluster.stop()
}

export const growth = async (protocol: string, basePort: number, o: Options) => {
  const dir = mkdtempSync(join(tmpdir(), `tla-ts-growth-${protocol}-`))
  const log: string[] = []
  const cluster = new LocalCluster(protocol, dir, basePort, 3, (l) => void log.push(l), false)
  if (o.cpuProf !== undefined) cluster.nodeFlags.push("--cpu-prof", `--cpu-prof-dir=${o.cpuProf}`)
  let client: ClusterClient | undefined
  try {
    await cluster.start()
    await cluster.waitLeader(60_000)
    client = await ClusterClient.connect(cluster.endpoints, { connectTimeout: 10_000, seed: 1 })
    const windows: Array<{ keys: number; seconds: number; throughput: number; p50ms: number | null; p99ms: number | null; errors: number; nodesCpuUsPerPut: number }> = []
    let keys = 0
    let firstKey: readonly [string, string] | undefined
    const t0 = performance.now()
    for (let w = 0; keys < o.keys && performance.now() - t0 < o.maxSeconds * 1000; w++) {
      const pids = cluster.members.map((m) => m.proc?.pid)
      const cpu0 = pids.map(cpuMs)
      const r = await runLoad(client, { clients: o.clients, seconds: o.window, valueSize: o.valueSize, keys: NAMES, workload: "put", seed: 1000 + w, opTimeoutMs: 10_000, maxOps: o.keys - keys })
      const cpu = pids.reduce<number>((a, p, i) => a + cpuMs(p) - cpu0[i]!, 0)
      keys += r.acked
      const nodesCpuUsPerPut = Math.round((cpu * 1000) / Math.max(1, r.acked))
      windows.push({ keys, seconds: r.seconds, throughput: r.throughput, p50ms: r.p50ms, p99ms: r.p99ms, errors: r.errors, nodesCpuUsPerPut })
      process.stderr.write(`growth ${protocol}: ${keys} keys, ${r.throughput} puts/s, p50 ${r.p50ms} ms, p99 ${r.p99ms} ms, nodes' CPU ${nodesCpuUsPerPut} us/put\n`)
      if (firstKey === undefined) {
        const s = client.session()
        await s.execute(toCommand({ op: "put", key: "growth-first", value: "first" }), 10_000)
        client.forget(s)
        firstKey = ["growth-first", "first"]
      }
    }
    // The last window may be cut short by the key target: compare with the last full one.
    const full = windows.filter((w) => w.seconds >= o.window * 0.9)
    const first = full[0] ?? windows[0]!
    const last = full[full.length - 1] ?? windows[windows.length - 1]!
    client.close()
    client = undefined
    await stopAll(cluster, o.cpuProf !== undefined)
    const disk = diskUse(
      dir,
      cluster.members.map((m) => m.id)
    )
    // Recovery: every node from its data directory, until a new put and a get are answered.
    const r0 = performance.now()
    await cluster.start()
    await cluster.waitLeader(120_000)
    const leaderMs = Math.round(performance.now() - r0)
    client = await ClusterClient.connect(cluster.endpoints, { connectTimeout: 30_000, seed: 2 })
    const s = client.session()
    await s.execute(toCommand({ op: "put", key: "growth-after", value: "after" }), 60_000)
    const firstBack = await s.execute(toCommand({ op: "get", key: firstKey![0] }), 60_000)
    const recoveryMs = Math.round(performance.now() - r0)
    const after = await runLoad(client, { clients: o.clients, seconds: o.window, valueSize: o.valueSize, keys: NAMES, workload: "put", seed: 999, opTimeoutMs: 10_000 })
    return {
      keys,
      windows,
      firstVsLast: { keysAt: [first.keys, last.keys], throughput: ratio(last.throughput, first.throughput), p50: ratio(last.p50ms, first.p50ms), p99: ratio(last.p99ms, first.p99ms), nodesCpuPerPut: ratio(last.nodesCpuUsPerPut, first.nodesCpuUsPerPut) },
      disk,
      recovery: { leaderMs, firstPutAndGetMs: recoveryMs, firstKeyReadBack: JSON.stringify(firstBack).includes(firstKey![1]), windowAfter: { throughput: after.throughput, p50ms: after.p50ms, p99ms: after.p99ms } },
      log: log.filter((l) => /snapshot|recovered/.test(l)).slice(-6),
    }
  } finally {
    client?.close()
    await cluster.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

const { values } = parseArgs({
  options: {
    protocol: { type: "string" },
    keys: { type: "string" },
    window: { type: "string" },
    clients: { type: "string" },
    "max-seconds": { type: "string" },
    "value-size": { type: "string" },
    "cpu-prof": { type: "string" },
    "base-port": { type: "string" },
  },
})
const o: Options = {
  keys: Number(values.keys ?? 200_000),
  window: Number(values.window ?? 10),
  clients: Number(values.clients ?? 8),
  maxSeconds: Number(values["max-seconds"] ?? 600),
  valueSize: Number(values["value-size"] ?? 128),
  ...(values["cpu-prof"] !== undefined ? { cpuProf: values["cpu-prof"] } : {}),
}
for (const [k, v] of Object.entries(o)) if (typeof v === "number" && !(v > 0)) {
  console.error(`runtime-growth: --${k} must be a positive number`)
  process.exit(2)
}
const result: Record<string, unknown> = { options: o, loadavg: (await import("node:os")).loadavg().map((x) => Number(x.toFixed(2))) }
let port = Number(values["base-port"] ?? 26000) // clear of the tests' ports (test/runtime: 19000-23700)
for (const p of (values.protocol ?? "raft,paxos").split(",")) result[p] = await growth(p, (port += 300), o)
console.log(JSON.stringify(result, null, 1))
