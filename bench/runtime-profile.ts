/**
 * `node --import tsx bench/runtime-profile.ts [--seconds S] [--clients 1,8,64] [--protocol raft,paxos] [--cpu-prof DIR] [--steps] [--node-flags=FLAGS]... [--baseline DIR [--rounds R]]`
 *
 * Where the runtime's time goes, in figures that do not depend much on how busy the machine is: for
 * closed-loop 128-byte puts on a 3-node cluster, the CPU each node (and the load generator) spends per
 * operation, read from /proc (utime + stime, 10 ms ticks: run enough puts), as milliseconds per node
 * and as microseconds per put of the leader and of each follower; and the fdatasyncs (WAL records: one
 * per batch) and WAL bytes each node writes per operation, its read and write system calls and its context switches (every thread) per operation. With `--cpu-prof DIR` the nodes run under
 * `node --cpu-prof` and are stopped with SIGTERM, so that each writes its V8 CPU profile into DIR
 * (summarise one with `node --import tsx bench/cpu-profile-top.ts FILE`). Each `--node-flags=FLAGS` (space-separated
 * flags for node, "" for none) runs every protocol again with its nodes under those flags, one after
 * the other in the same run, so that a V8 or GC setting is compared side by side. With `--steps` the
 * nodes mark their steps (`tla-ts node --timing`) and each point gets `stepsPerOp`: per node, the steps
 * it took per operation by event (message tag or timer), counted from the marks in the load's window
 * (counts, unlike CPU time, do not depend on how busy the machine is), and `gcPerOp`: per node, the
 * milliseconds of garbage-collection pause per operation and the collections per 1000 operations by kind
 * (scavenge, mark-compact, ...; to compare V8 heap flags with `--node-flags`). With `--baseline DIR` (another
 * checkout, e.g. a `git worktree` of main with node_modules linked in) the nodes of that checkout and of
 * this one run alternately, `--rounds R` times (default 2), so a runtime change is measured before/after
 * in one run on a shared machine. Prints one JSON object.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { parseArgs } from "node:util"
import { ClusterClient } from "../src/runtime/client.ts"
import { LocalCluster } from "../src/runtime/jepsen.ts"
import { runLoad } from "../src/runtime/load.ts"
import { readRecords } from "../src/runtime/storage.ts"

/** The wall clock of this machine's processes in ms (as Timing marks it). */
const wallMs = () => performance.timeOrigin + performance.now()

/**
 * From a node's timing file, between `from` and `to`, per operation: the steps by event (rounded; rare
 * events left out), and its garbage collections (Timing.observePauses: each pause's kind and length) as
 * `gc`: milliseconds of pause per operation and collections per 1000 operations by kind.
 */
const marksPerOp = (file: string, from: number, to: number, ops: number): { readonly steps: Record<string, number>; readonly gc: Record<string, number> } => {
  const counts = new Map<string, number>()
  const gcs = new Map<string, number>()
  let gcMs = 0
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line === "") continue
    const [at, label] = JSON.parse(line) as [number, string]
    if (at < from || at > to) continue
    const [kind, what, ms] = label.split(" ")
    if (kind === "step") counts.set(what!, (counts.get(what!) ?? 0) + 1)
    else if (kind === "gc") {
      gcs.set(what!, (gcs.get(what!) ?? 0) + 1)
      gcMs += Number(ms)
    }
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0)
  return {
    steps: Object.fromEntries([["all", round(total / ops)], ...[...counts].filter(([, n]) => n / ops >= 0.005).map(([e, n]) => [e, round(n / ops)])]),
    gc: Object.fromEntries([["msPerOp", round(gcMs / ops)], ...[...gcs].map(([k, n]) => [`${k}Per1kOps`, round((n * 1000) / ops)])]),
  }
}

/** CPU milliseconds (user, system) of a live process so far, from /proc/PID/stat (10 ms ticks). */
const cpuSplitMs = (pid: number): readonly [number, number] => {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")
  return [Number(f[11]) * 10, Number(f[12]) * 10]
}
/** CPU milliseconds of a live process's main thread (tid = pid: JavaScript, its syscalls) so far; the rest is V8's helper threads (GC, compilers) and libuv's pool (fdatasync). */
const mainThreadMs = (pid: number): number => {
  const f = readFileSync(`/proc/${pid}/task/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")
  return (Number(f[11]) + Number(f[12])) * 10
}
export const cpuMs = (pid: number): number => {
  const [user, system] = cpuSplitMs(pid)
  return user + system
}

/** Read and write system calls of a live process so far (/proc/PID/io syscr, syscw: sockets, files, writev counted once). */
const syscalls = (pid: number): readonly [number, number] => {
  const t = readFileSync(`/proc/${pid}/io`, "utf8")
  return [Number(/syscr: (\d+)/.exec(t)?.[1] ?? NaN), Number(/syscw: (\d+)/.exec(t)?.[1] ?? NaN)]
}

/**
 * Context switches of every thread of a live process so far (/proc/PID/task/TID/status): [voluntary (a
 * thread slept waiting: each is a wake-up, which on a busy machine waits for a core), involuntary
 * (preempted)]. Counts, so less dependent on the machine's load than time.
 */
const switches = (pid: number): readonly [number, number] => {
  let voluntary = 0
  let involuntary = 0
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const t = readFileSync(`/proc/${pid}/task/${task}/status`, "utf8")
      voluntary += Number(/\nvoluntary_ctxt_switches:\s+(\d+)/.exec(t)![1])
      involuntary += Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(t)![1])
    } catch {} // a thread that ended meanwhile
  }
  return [voluntary, involuntary]
}

/** Records and bytes in a node's write-ahead logs. */
const wal = (dir: string): { records: number; bytes: number } => {
  let records = 0
  let bytes = 0
  for (const f of readdirSync(dir).filter((f) => f.startsWith("wal-"))) {
    const r = readRecords(readFileSync(join(dir, f)), f)
    records += r.records.length
    bytes += r.valid
  }
  return { records, bytes }
}

const round = (x: number) => Number(x.toFixed(3))
/** How long the nodes' CPU with no load is measured. */
const IDLE_MS = 3000

export const profileRuntime = async (protocol: string, clientCounts: ReadonlyArray<number>, seconds: number, basePort: number, cpuProfDir?: string, nodeFlags: ReadonlyArray<string> = [], steps = false, bin?: string) => {
  const dir = mkdtempSync(join(tmpdir(), `tla-ts-profile-${protocol}-`))
  const cluster = new LocalCluster(protocol, dir, basePort, 3, () => {}, false)
  if (bin !== undefined) cluster.bin = bin
  const timingFiles = cluster.members.map((m) => join(dir, `${m.id}.timing`))
  if (steps) cluster.members.forEach((m, i) => m.args.push("--timing", timingFiles[i]!))
  const windows: Array<{ readonly point: Record<string, unknown>; readonly from: number; readonly to: number; readonly ops: number }> = []
  cluster.nodeFlags.push(...nodeFlags)
  if (cpuProfDir !== undefined) cluster.nodeFlags.push("--cpu-prof", `--cpu-prof-dir=${cpuProfDir}`)
  let client: ClusterClient | undefined
  const points = []
  try {
    await cluster.start()
    await cluster.waitLeader(60_000)
    client = await ClusterClient.connect(cluster.endpoints, { connectTimeout: 10_000, seed: 1 })
    await runLoad(client, { clients: 4, seconds: 2, valueSize: 128, keys: 1000, workload: "put", seed: 0, opTimeoutMs: 5000 })
    // What the nodes spend with no load (heartbeats, timers): at 1 client it is a large part of the
    // CPU per put, and depends on the throughput; the marginal CPU per put leaves it out.
    const idlePids = cluster.members.map((m) => m.proc!.pid!)
    const idle0 = idlePids.map(cpuMs)
    const idleT0 = performance.now()
    await new Promise((r) => setTimeout(r, IDLE_MS))
    const idleMsPerS = idlePids.map((p, i) => ((cpuMs(p) - idle0[i]!) * 1000) / (performance.now() - idleT0))
    for (const clients of clientCounts) {
      const pids = cluster.members.map((m) => m.proc!.pid!)
      const cpu0 = pids.map(cpuMs)
      const split0 = pids.map(cpuSplitMs)
      const main0 = pids.map(mainThreadMs)
      const sys0 = pids.map(syscalls)
      const switches0 = pids.map(switches)
      const wal0 = cluster.members.map((m) => wal(join(dir, m.id)))
      const self0 = process.cpuUsage()
      const t0 = performance.now()
      const wall0 = wallMs()
      const r = await runLoad(client, { clients, seconds, valueSize: 128, keys: 1000, workload: "put", seed: clients, opTimeoutMs: 5000 })
      const self = process.cpuUsage(self0)
      const elapsedS = (performance.now() - t0) / 1000
      const ops = Math.max(1, r.ops)
      const nodeMs = pids.map((p, i) => cpuMs(p) - cpu0[i]!)
      const leader = cluster.leader()
      const mainUs = pids.map((p, i) => Math.round(((mainThreadMs(p) - main0[i]!) * 1000) / ops))
      const split = pids.map((p, i) => cpuSplitMs(p).map((ms, k) => Math.round(((ms - split0[i]![k]!) * 1000) / ops)))
      const wal1 = cluster.members.map((m) => wal(join(dir, m.id)))
      const point: Record<string, unknown> = {
        clients,
        throughput: r.throughput,
        p50ms: r.p50ms,
        p99ms: r.p99ms,
        errors: r.errors,
        leader: leader === undefined ? null : cluster.members[leader]!.id,
        cpuMsPerOp: { nodes: nodeMs.map((ms) => round(ms / ops)), loadGenerator: round((self.user + self.system) / 1000 / ops) },
        cpuUsPerPut: {
          leader: leader === undefined ? null : Math.round((nodeMs[leader]! * 1000) / ops),
          followers: nodeMs.filter((_, i) => i !== leader).map((ms) => Math.round((ms * 1000) / ops)),
          /** [user, system] of the leader: system is mostly socket writes (loopback delivery) and the WAL. */
          leaderUserSystem: leader === undefined ? null : split[leader],
          /** The leader's main thread; the rest of its CPU is V8's GC and compiler threads and libuv's pool. */
          leaderMainThread: leader === undefined ? null : mainUs[leader],
          /** Less each node's idle CPU for the time of the load (idleMsPerS): what one more put costs, less dependent on the throughput. */
          marginalLeader: leader === undefined ? null : Math.round(((nodeMs[leader]! - idleMsPerS[leader]! * elapsedS) * 1000) / ops),
          marginalFollowers: nodeMs.flatMap((ms, i) => (i === leader ? [] : [Math.round(((ms - idleMsPerS[i]! * elapsedS) * 1000) / ops)])),
          idleMsPerS: idleMsPerS.map(round),
        },
        fdatasyncsPerOp: wal1.map((w, i) => round((w.records - wal0[i]!.records) / ops)),
        /** Each node's [read, write] system calls per operation (socket reads and writes, WAL writes): less dependent on the machine's load than CPU time. */
        syscallsPerOp: pids.map((p, i) => syscalls(p).map((n, k) => round((n - sys0[i]![k]!) / ops))),
        /** Each node's [voluntary, involuntary] context switches per operation, over all its threads (main, libuv's pool, V8's). */
        contextSwitchesPerOp: pids.map((p, i) => switches(p).map((n, k) => round((n - switches0[i]![k]!) / ops))),
        walBytesPerOp: wal1.map((w, i) => Math.round((w.bytes - wal0[i]!.bytes) / ops)),
      }
      points.push(point)
      windows.push({ point, from: wall0, to: wallMs(), ops })
    }
    return points
  } finally {
    client?.close()
    if (cpuProfDir !== undefined || steps)
      // SIGTERM: a node under --cpu-prof writes its profile as it exits, one with --timing its marks.
      await cluster.terminate()
    await cluster.stop()
    if (steps)
      for (const w of windows) {
        const marks = cluster.members.map((m, i) => [m.id, marksPerOp(timingFiles[i]!, w.from, w.to, w.ops)] as const)
        w.point.stepsPerOp = Object.fromEntries(marks.map(([id, x]) => [id, x.steps]))
        w.point.gcPerOp = Object.fromEntries(marks.map(([id, x]) => [id, x.gc]))
      }
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { seconds: { type: "string" }, clients: { type: "string" }, protocol: { type: "string" }, "cpu-prof": { type: "string" }, steps: { type: "boolean" }, "node-flags": { type: "string", multiple: true }, baseline: { type: "string" }, rounds: { type: "string" } } })
  const cpuProfDir = values["cpu-prof"]
  const seconds = Number(values.seconds ?? 3)
  const clients = (values.clients ?? "1,8,64").split(",").map(Number)
  const result: Record<string, unknown> = { seconds, loadavg: readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).map(Number) }
  const flagSets = values["node-flags"] ?? []
  const protocols = (values.protocol ?? "raft,paxos").split(",")
  let port = 21000
  if (values.baseline !== undefined) {
    // Nodes of another checkout and of this one, alternating (the same client library loads both).
    const bin = resolve(values.baseline, "bin", "tla-ts.js")
    if (!existsSync(bin)) throw new Error(`--baseline: no ${bin}`)
    for (let r = 1; r <= Number(values.rounds ?? 2); r++)
      for (const p of protocols)
        for (const [side, b] of [["baseline", bin], ["current", undefined]] as const)
          result[`${p} round ${r} ${side}`] = await profileRuntime(p, clients, seconds, (port += 300), cpuProfDir, [], values.steps === true, b)
  } else if (flagSets.length === 0) for (const p of protocols) result[p] = await profileRuntime(p, clients, seconds, (port += 300), cpuProfDir, [], values.steps === true)
  else
    for (const p of protocols)
      for (const [i, flags] of flagSets.entries())
        result[`${p} [${i}] ${flags || "(no flags)"}`] = await profileRuntime(p, clients, seconds, (port += 300), cpuProfDir, flags.split(" ").filter((f) => f !== ""), values.steps === true)
  console.log(JSON.stringify(result, null, 1))
}
