/**
 * `node --import tsx bench/runtime.ts [--seconds S] [--clients 1,8,64] [--protocol raft,paxos] [--no-etcd]`
 *
 * A protocol written `raft:held` runs with `--no-overlap` (every message of a persisting step waits for
 * its write), to measure the leader's overlap side by side; `--disk-delay MS` makes the nodes' disk that
 * much slower, so the overlap's saving (one disk wait per operation instead of two in a row) shows
 * above the noise of a busy machine.
 *
 * Side by side in one run: etcd (Debian's etcd-server, 3 members on 127.0.0.1, driven by
 * ../shared/tools/kvload) and tla-ts's Raft and Paxos KV clusters (3 nodes, fdatasync per commit
 * group), closed-loop clients, 128-byte puts and linearizable gets. Prints one JSON object: each
 * system's throughput and latency per point, and tla-ts/etcd ratios. etcd's puts write fresh keys
 * (kvload's only mode); tla-ts's overwrite keys drawn from 1000, as its gets read.
 */
import { execFileSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { parseArgs } from "node:util"
import { ClusterClient } from "../src/runtime/client.ts"
import { LocalCluster } from "../src/runtime/jepsen.ts"
import { preload, runLoad } from "../src/runtime/load.ts"

const ETCD = "/usr/bin/etcd"

export interface RuntimeBenchOptions {
  /** Seconds per point (default 3). */
  readonly seconds?: number
  readonly clients?: ReadonlyArray<number>
  readonly protocols?: ReadonlyArray<string>
  readonly etcd?: boolean
  /** Where kvload lives (default ../shared/tools/kvload). */
  readonly kvload?: string
  /** Milliseconds per protocol time unit on the tla-ts nodes (default 1). */
  readonly timeUnit?: number
  /** The tla-ts nodes' disk made this many ms slower (node --disk-delay): what the leader's overlap saves shows above the CPU's noise. */
  readonly diskDelayMs?: number
}

interface Point {
  readonly op: "put" | "get"
  readonly clients: number
  readonly throughput: number
  readonly p50ms: number | null
  readonly p99ms: number | null
  readonly errors: number
}

const etcd = (seconds: number, clientCounts: ReadonlyArray<number>, KVLOAD: string): Point[] | string => {
  if (!existsSync(ETCD)) return "not installed (apt-get install -y etcd-server)"
  if (!existsSync(join(KVLOAD, "bench.mjs"))) return `no load generator at ${KVLOAD}`
  const dir = mkdtempSync(join(tmpdir(), "tla-ts-etcd-"))
  const env = { ...process.env, KVLOAD_DIR: dir }
  const sh = (...args: string[]) => execFileSync("bash", [join(KVLOAD, "cluster.sh"), ...args], { env, stdio: ["ignore", "pipe", "pipe"], timeout: 30_000 })
  const load = (args: string[]) => {
    const out = join(dir, "out.jsonl")
    rmSync(out, { force: true })
    execFileSync(process.execPath, [join(KVLOAD, "bench.mjs"), ...args, "--out", out], { env, stdio: ["ignore", "pipe", "pipe"], timeout: (seconds + 60) * 1000 })
    const lines = readFileSync(out, "utf8").trim().split("\n")
    return JSON.parse(lines[lines.length - 1]!)
  }
  try {
    execFileSync("mkdir", ["-p", join(dir, "data"), join(dir, "logs"), join(dir, "pids")])
    sh("start3")
    for (let i = 0; ; i++) {
      try {
        const st = execFileSync(process.execPath, [join(KVLOAD, "bench.mjs"), "--op", "status"], { stdio: "pipe", timeout: 5000 }).toString()
        if (/"isLeader":true/.test(st)) break
      } catch {}
      if (i > 100) throw new Error("etcd did not elect a leader")
      execFileSync("sleep", ["0.2"])
    }
    const points: Point[] = []
    for (const c of clientCounts) {
      const r = load(["--op", "put", "--clients", String(c), "--duration", String(seconds), "--value-size", "128"])
      points.push({ op: "put", clients: c, throughput: r.ops_per_s, p50ms: r.lat_ms.p50, p99ms: r.lat_ms.p99, errors: r.errors })
    }
    load(["--op", "preload", "--keyspace", "1000"])
    for (const c of clientCounts) {
      const r = load(["--op", "get", "--clients", String(c), "--duration", String(seconds), "--keyspace", "1000"])
      points.push({ op: "get", clients: c, throughput: r.ops_per_s, p50ms: r.lat_ms.p50, p99ms: r.lat_ms.p99, errors: r.errors })
    }
    return points
  } catch (e) {
    return `failed: ${(e as Error).message.split("\n")[0]}`
  } finally {
    try {
      sh("stop")
    } catch {}
    rmSync(dir, { recursive: true, force: true })
  }
}

const tlaTs = async (variant: string, basePort: number, seconds: number, clientCounts: ReadonlyArray<number>, timeUnit?: number, diskDelayMs?: number): Promise<Point[]> => {
  const [protocol, held] = variant.split(":")
  const dir = mkdtempSync(join(tmpdir(), `tla-ts-bench-${protocol}-`))
  const cluster = new LocalCluster(protocol!, dir, basePort, 3, () => {}, false, timeUnit, [...(held === "held" ? ["--no-overlap"] : []), ...(diskDelayMs ? ["--disk-delay", String(diskDelayMs)] : [])])
  let client: ClusterClient | undefined
  try {
    await cluster.start()
    await cluster.waitLeader(30_000)
    client = await ClusterClient.connect(cluster.endpoints, { connectTimeout: 10_000, seed: 1 })
    // Warm-up, not measured: nodes that started one by one settle their first elections.
    await runLoad(client, { clients: 4, seconds: 2, valueSize: 128, keys: 1000, workload: "put", seed: 0, opTimeoutMs: 5000 })
    const points: Point[] = []
    const point = async (op: "put" | "get", c: number) => {
      const r = await runLoad(client!, { clients: c, seconds, valueSize: 128, keys: 1000, workload: op, seed: c, opTimeoutMs: 5000 })
      points.push({ op, clients: c, throughput: r.throughput, p50ms: r.p50ms, p99ms: r.p99ms, errors: r.errors })
    }
    for (const c of clientCounts) await point("put", c)
    await preload(client, 1000, 128, 5000)
    for (const c of clientCounts) await point("get", c)
    return points
  } finally {
    client?.close()
    await cluster.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

export const benchRuntime = async (o: RuntimeBenchOptions = {}): Promise<Record<string, unknown>> => {
  const seconds = o.seconds ?? 3
  const clientCounts = o.clients ?? [1, 8, 64]
  const result: Record<string, unknown> = { seconds, clients: clientCounts, timeUnitMs: o.timeUnit ?? 1, diskDelayMs: o.diskDelayMs ?? 0, loadavg: readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).map(Number) }
  const base = o.etcd === false ? "skipped" : etcd(seconds, clientCounts, resolve(o.kvload ?? "../shared/tools/kvload"))
  result.etcd = base
  for (const [k, p] of (o.protocols ?? ["raft", "paxos"]).entries()) {
    const points = await tlaTs(p, 20000 + k * 300, seconds, clientCounts, o.timeUnit, o.diskDelayMs)
    result[p] = points
    if (Array.isArray(base))
      result[`${p}VsEtcd`] = points.map((pt) => {
        const e = base.find((b) => b.op === pt.op && b.clients === pt.clients)!
        return { op: pt.op, clients: pt.clients, throughput: Number((pt.throughput / e.throughput).toFixed(2)), p99: pt.p99ms && e.p99ms ? Number((pt.p99ms / e.p99ms).toFixed(2)) : null }
      })
  }
  return result
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string" },
      clients: { type: "string" },
      protocol: { type: "string" },
      "no-etcd": { type: "boolean" },
      kvload: { type: "string" },
      "time-unit": { type: "string" },
      "disk-delay": { type: "string" },
    },
  })
  const r = await benchRuntime({
    ...(values.seconds ? { seconds: Number(values.seconds) } : {}),
    ...(values.clients ? { clients: values.clients.split(",").map(Number) } : {}),
    ...(values.protocol ? { protocols: values.protocol.split(",") } : {}),
    ...(values.kvload ? { kvload: values.kvload } : {}),
    ...(values["time-unit"] ? { timeUnit: Number(values["time-unit"]) } : {}),
    ...(values["disk-delay"] ? { diskDelayMs: Number(values["disk-delay"]) } : {}),
    etcd: !values["no-etcd"],
  })
  console.log(JSON.stringify(r, null, 1))
}
