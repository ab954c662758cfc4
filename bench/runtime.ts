/**
 * `node --import tsx bench/runtime.ts [--seconds S] [--clients 1,8,64] [--protocol raft,paxos] [--rounds R] [--no-etcd] [--ops put,get] [--contend N[,KIB]]`
 *
 * `--contend N[,KIB]` runs every point under the same contention (runtime-contend.ts): N busy loops
 * and, with KIB, a disk writer fdatasyncing KIB at a time, started once every system is up and
 * stopped at the end, so that etcd and tla-ts take their turns under one load (issue 11's run B,
 * made repeatable). `--ops put` measures puts only.
 *
 * A protocol written `paxos:lazy=MS` runs its nodes with `--lazy-ms MS` (how long a lazy record waits for a write to carry it).
 * A protocol written `raft@DIR` runs the nodes of another checkout (built), beside this one's and etcd.
 * A protocol written `raft:shared` runs its nodes in the bench's own session (before session 15 they all
 * did; see LocalCluster.ownSessions), to show what that costs under contention beside the default.
 * A protocol written `raft:held` runs with `--no-overlap` (every message of a persisting step waits for
 * its write), to measure the leader's overlap side by side; `--disk-delay MS` makes the nodes' disk that
 * much slower, so the overlap's saving (one disk wait per operation instead of two in a row) shows
 * above the noise of a busy machine.
 *
 * Side by side in one run: etcd (Debian's etcd-server, 3 members on 127.0.0.1, driven by
 * ../shared/tools/kvload) and tla-ts's Raft and Paxos KV clusters (3 nodes, fdatasync per commit
 * group), closed-loop clients, 128-byte puts and linearizable gets. Prints one JSON object: each
 * system's throughput, latency and members' CPU per operation (cpuUsPerOp) per point, and tla-ts/etcd
 * ratios (`cpu`: all members' CPU per operation). etcd's puts write fresh keys
 * (kvload's only mode); tla-ts's overwrite keys drawn from 1000, as its gets read.
 *
 * Every cluster is up for the whole run and the systems take turns point by point (etcd, raft, paxos
 * at 1 client, then at 8, ...; the order turning each round), so that a ratio compares measurements
 * seconds apart, not phases a minute apart on a machine whose load moves. With `--rounds R` each point
 * is measured R times: `rounds` holds every round's points and ratios, the top-level points are each
 * system's median (by throughput), and each ratio is the median of the rounds' with its range.
 */
import { execFile } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { parseArgs, promisify } from "node:util"
import { ClusterClient } from "../src/runtime/client.ts"
import { LocalCluster } from "../src/runtime/jepsen.ts"
import { preload, runLoad } from "../src/runtime/load.ts"
import { type ContendOptions, type Contention, contend, parseContend } from "./runtime-contend.ts"
import { cpuMs } from "./runtime-profile.ts"

const ETCD = "/usr/bin/etcd"
const execFileP = promisify(execFile)

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
  /** Times each point is measured (default 1); the systems alternate point by point (see benchRuntime). */
  readonly rounds?: number
  /** The tla-ts nodes' disk made this many ms slower (node --disk-delay): what the leader's overlap saves shows above the CPU's noise. */
  readonly diskDelayMs?: number
  /** Contention for every point (runtime-contend.ts), started once every system is up. */
  readonly contend?: ContendOptions
  /** The operations measured (default put and get). */
  readonly ops?: ReadonlyArray<"put" | "get">
}

interface Point {
  readonly op: "put" | "get"
  readonly clients: number
  readonly throughput: number
  readonly p50ms: number | null
  readonly p99ms: number | null
  readonly errors: number
  /** Each member's CPU (user + system, from /proc) per operation of the point, in µs, highest first (the leader's, as a rule). */
  readonly cpuUsPerOp?: ReadonlyArray<number>
}

/** One system under test: started once, measured point by point (alternating with the others), stopped at the end. */
interface System {
  readonly name: string
  /** Started and preloaded with the keys its gets read (1000 keys of 128 bytes). */
  start(): Promise<void>
  point(op: "put" | "get", clients: number, round: number): Promise<Point>
  stop(): Promise<void>
  /** The member processes, whose CPU each point counts. */
  pids(): ReadonlyArray<number>
}

const etcd = (seconds: number, KVLOAD: string): System | string => {
  if (!existsSync(ETCD)) return "not installed (apt-get install -y etcd-server)"
  if (!existsSync(join(KVLOAD, "bench.mjs"))) return `no load generator at ${KVLOAD}`
  const dir = mkdtempSync(join(tmpdir(), "tla-ts-etcd-"))
  const env = { ...process.env, KVLOAD_DIR: dir }
  const sh = (...args: string[]) => execFileP("bash", [join(KVLOAD, "cluster.sh"), ...args], { env, timeout: 30_000 })
  const load = async (args: string[]) => {
    const out = join(dir, "out.jsonl")
    rmSync(out, { force: true })
    await execFileP(process.execPath, [join(KVLOAD, "bench.mjs"), ...args, "--out", out], { env, timeout: (seconds + 60) * 1000 })
    const lines = readFileSync(out, "utf8").trim().split("\n")
    return JSON.parse(lines[lines.length - 1]!)
  }
  return {
    name: "etcd",
    start: async () => {
      mkdirSync(join(dir, "data"), { recursive: true })
      mkdirSync(join(dir, "logs"))
      mkdirSync(join(dir, "pids"))
      await sh("start3")
      for (let i = 0; ; i++) {
        try {
          const st = (await execFileP(process.execPath, [join(KVLOAD, "bench.mjs"), "--op", "status"], { timeout: 5000 })).stdout
          if (/"isLeader":true/.test(st)) break
        } catch {}
        if (i > 100) throw new Error("etcd did not elect a leader")
        await new Promise((r) => setTimeout(r, 200))
      }
      await load(["--op", "preload", "--keyspace", "1000"])
    },
    // Puts write fresh keys (kvload's only mode), apart from the preloaded ones the gets read.
    point: async (op, c) => {
      const r = await load(op === "put" ? ["--op", "put", "--clients", String(c), "--duration", String(seconds), "--value-size", "128"] : ["--op", "get", "--clients", String(c), "--duration", String(seconds), "--keyspace", "1000"])
      return { op, clients: c, throughput: r.ops_per_s, p50ms: r.lat_ms.p50, p99ms: r.lat_ms.p99, errors: r.errors }
    },
    pids: () => readdirSync(join(dir, "pids")).map((f) => Number(readFileSync(join(dir, "pids", f), "utf8"))),
    stop: async () => {
      try {
        await sh("stop")
      } catch {}
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

const tlaTs = (variant: string, basePort: number, seconds: number, timeUnit?: number, diskDelayMs?: number): System => {
  const [name, ...flags] = variant.split(":")
  const [protocol, checkout] = name!.split("@")
  const held = flags.includes("held") ? "held" : undefined
  const dir = mkdtempSync(join(tmpdir(), `tla-ts-bench-${protocol}-`))
  const cluster = new LocalCluster(protocol!, dir, basePort, 3, () => {}, false, timeUnit, [...(held === "held" ? ["--no-overlap"] : []), ...(diskDelayMs ? ["--disk-delay", String(diskDelayMs)] : []), ...flags.filter((f) => f.startsWith("lazy=")).flatMap((f) => ["--lazy-ms", f.slice(5)])])
  // Each node in a session of its own, as cluster.sh starts etcd's members (LocalCluster.ownSessions).
  cluster.ownSessions = !flags.includes("shared")
  if (checkout) cluster.bin = resolve(checkout, "bin", "tla-ts.js")
  let client: ClusterClient | undefined
  return {
    name: variant,
    start: async () => {
      await cluster.start()
      await cluster.waitLeader(30_000)
      client = await ClusterClient.connect(cluster.endpoints, { connectTimeout: 10_000, seed: 1 })
      // Warm-up, not measured: nodes that started one by one settle their first elections.
      await runLoad(client, { clients: 4, seconds: 2, valueSize: 128, keys: 1000, workload: "put", seed: 0, opTimeoutMs: 5000 })
      await preload(client, 1000, 128, 5000)
    },
    // Puts overwrite keys drawn from the 1000 the gets read.
    point: async (op, c, round) => {
      const r = await runLoad(client!, { clients: c, seconds, valueSize: 128, keys: 1000, workload: op, seed: c + 1000 * round, opTimeoutMs: 5000 })
      return { op, clients: c, throughput: r.throughput, p50ms: r.p50ms, p99ms: r.p99ms, errors: r.errors }
    },
    pids: () => cluster.members.flatMap((m) => (m.proc?.pid === undefined ? [] : [m.proc.pid])),
    stop: async () => {
      client?.close()
      await cluster.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

const loadavg = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).map(Number)
const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? Number((a / b).toFixed(2)) : null)
const sum = (xs: ReadonlyArray<number> | undefined) => (xs === undefined || xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0))

/**
 * The point, with its members' CPU per operation: less dependent on how busy the machine is than
 * throughput, so it says whether tla-ts does more work per put than etcd or only waited longer for a core.
 */
const withCpu = async (s: System, seconds: number, measure: () => Promise<Point>): Promise<Point> => {
  const pids = s.pids()
  const cpu = () => pids.map((p) => (existsSync(`/proc/${p}/stat`) ? cpuMs(p) : NaN))
  const before = cpu()
  const pt = await measure()
  const after = cpu()
  const ops = pt.throughput * seconds
  return ops > 0 ? { ...pt, cpuUsPerOp: after.map((a, i) => Math.round(((a - before[i]!) * 1000) / ops)).sort((a, b) => b - a) } : pt
}
const median = <T>(xs: ReadonlyArray<T>, by: (x: T) => number): T => [...xs].sort((a, b) => by(a) - by(b))[Math.floor((xs.length - 1) / 2)]!

export const benchRuntime = async (o: RuntimeBenchOptions = {}): Promise<Record<string, unknown>> => {
  const seconds = o.seconds ?? 3
  const clientCounts = o.clients ?? [1, 8, 64]
  const rounds = o.rounds ?? 1
  const variants = o.protocols ?? ["raft", "paxos"]
  const result: Record<string, unknown> = { seconds, clients: clientCounts, rounds, timeUnitMs: o.timeUnit ?? 1, diskDelayMs: o.diskDelayMs ?? 0, ...(o.contend ? { contend: o.contend } : {}), loadavg: loadavg() }
  const base = o.etcd === false ? "skipped" : etcd(seconds, resolve(o.kvload ?? "../shared/tools/kvload"))
  if (typeof base === "string") result.etcd = base
  const systems: System[] = [...(typeof base === "string" ? [] : [base]), ...variants.map((p, k) => tlaTs(p, 20000 + k * 300, seconds, o.timeUnit, o.diskDelayMs))]
  const started: System[] = []
  // Every system is up for the whole run and the points alternate between them (the order turning
  // each round), so that each ratio compares two measurements a few seconds apart on a shared machine.
  const perRound: Array<Record<string, Point[] | number[]>> = []
  let load: Contention | undefined
  try {
    for (const s of systems) {
      try {
        await s.start()
        started.push(s)
      } catch (e) {
        if (s !== base) throw e
        result.etcd = `failed: ${(e as Error).message.split("\n")[0]}`
      }
    }
    if (o.contend) {
      load = contend(o.contend)
      await new Promise((r) => setTimeout(r, 1000))
    }
    for (let r = 0; r < rounds; r++) {
      const points: Record<string, Point[] | number[]> = { loadavg: loadavg() }
      for (const op of o.ops ?? (["put", "get"] as const))
        for (const c of clientCounts)
          for (let k = 0; k < started.length; k++) {
            const s = started[(k + r) % started.length]!
            const pts = (points[s.name] ??= []) as Point[]
            pts.push(await withCpu(s, seconds, () => s.point(op, c, r)))
          }
      perRound.push(points)
    }
  } finally {
    await load?.stop()
    for (const s of systems) await s.stop()
  }
  const names = started.map((s) => s.name)
  const vsEtcd = (points: Record<string, Point[] | number[]>, p: string) =>
    (points[p] as Point[]).map((pt) => {
      const e = (points.etcd as Point[]).find((b) => b.op === pt.op && b.clients === pt.clients)!
      return { op: pt.op, clients: pt.clients, throughput: ratio(pt.throughput, e.throughput), p99: ratio(pt.p99ms, e.p99ms), cpu: ratio(sum(pt.cpuUsPerOp), sum(e.cpuUsPerOp)) }
    })
  if (rounds > 1) result.rounds = perRound.map((points) => ({ ...points, ...Object.fromEntries(names.filter((n) => n !== "etcd" && points.etcd).map((p) => [`${p}VsEtcd`, vsEtcd(points, p)])) }))
  // Each system's point of median throughput over the rounds, and the ratios' median and range.
  for (const n of names) {
    const pts = perRound.map((x) => x[n] as Point[])
    result[n] = pts[0]!.map((_, i) => median(pts.map((p) => p[i]!), (p) => p.throughput))
  }
  if (names.includes("etcd"))
    for (const p of names.filter((n) => n !== "etcd")) {
      const each = perRound.map((x) => vsEtcd(x, p))
      result[`${p}VsEtcd`] = each[0]!.map((first, i) => {
        const tp = each.map((e) => e[i]!.throughput ?? NaN).sort((a, b) => a - b)
        const p99 = each.map((e) => e[i]!.p99 ?? NaN).sort((a, b) => a - b)
        const cpu = each.map((e) => e[i]!.cpu ?? NaN).sort((a, b) => a - b)
        const mid = (xs: number[]) => xs[Math.floor((xs.length - 1) / 2)]!
        return { op: first.op, clients: first.clients, throughput: mid(tp), p99: mid(p99), cpu: mid(cpu), ...(rounds > 1 ? { throughputRange: [tp[0]!, tp[tp.length - 1]!], p99Range: [p99[0]!, p99[p99.length - 1]!] } : {}) }
      })
    }
  return result
}

/** `--ops put,get`: the operations to measure, each put or get. */
const parseOps = (v: string): Array<"put" | "get"> => {
  const ops = v.split(",")
  const bad = ops.find((o) => o !== "put" && o !== "get")
  if (bad !== undefined) throw new Error(`--ops takes put and get, comma-separated, got "${bad}"`)
  return ops as Array<"put" | "get">
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
      rounds: { type: "string" },
      contend: { type: "string" },
      ops: { type: "string" },
    },
  })
  const r = await benchRuntime({
    ...(values.seconds ? { seconds: Number(values.seconds) } : {}),
    ...(values.clients ? { clients: values.clients.split(",").map(Number) } : {}),
    ...(values.protocol ? { protocols: values.protocol.split(",") } : {}),
    ...(values.kvload ? { kvload: values.kvload } : {}),
    ...(values["time-unit"] ? { timeUnit: Number(values["time-unit"]) } : {}),
    ...(values["disk-delay"] ? { diskDelayMs: Number(values["disk-delay"]) } : {}),
    ...(values.rounds ? { rounds: Number(values.rounds) } : {}),
    ...(values.contend ? { contend: parseContend(values.contend)! } : {}),
    ...(values.ops ? { ops: parseOps(values.ops) } : {}),
    etcd: !values["no-etcd"],
  })
  console.log(JSON.stringify(r, null, 1))
}
