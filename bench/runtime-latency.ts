/**
 * `node --import tsx bench/runtime-latency.ts [--protocol raft,paxos] [--ops N] [--value-size B] [--baseline DIR [--rounds R]] [--contend N[,KIB]]`
 *
 * `--contend N[,KIB]`: the whole run under N busy loops and a disk writer (runtime-contend.ts).
 *
 * Where one put's time goes at 1 client: a 3-node cluster whose nodes mark every frame decoded, step
 * done, WAL write submitted and durable and frame sent (`tla-ts node --timing FILE`), and one closed-loop
 * client (whose envelopes are marked too) issuing N puts one at a time. Each put's marks are those between its call and its return; the
 * leader is the node that received the Request, followers are named f1/f2 by who received the
 * replication message first. Prints one JSON object per protocol: the median offset (ms from the
 * client's call) of every mark seen in at least half the puts, in order, with the step from the
 * previous mark (the median of that difference within a put, not the difference of medians), the
 * loopback hops (frame sent to frame decoded) and fdatasyncs (write submitted to durable), p10/p50/p90, the put's p50, p95 and p99, the fdatasyncs per put, the share of puts answered before the leader's own write was durable (`repliesBeforeOwnWrite`, Service.standsWithout), for each put at p95 or above the longest gap between two consecutive marks (`tailGaps`, by its two marks), each put slower than 5 ms attributed to its largest delay (`slowOps`: GC, an event-loop stall of a process that ran or was not scheduled, a slow fdatasync; from the pauses every process marks, Timing.observePauses), and every mark of the puts of median and p99 latency. Less sensitive to machine load than
 * throughput: it shows which waits are disk, which are CPU and which are neither. With `--baseline DIR` (another
 * checkout), its nodes and this one's alternate, R rounds (default 2), and each run prints only its latency
 * figures and slow-operation causes.
 */
import { once } from "node:events"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { parseArgs } from "node:util"
import { ClusterClient } from "../src/runtime/client.ts"
import { LocalCluster } from "../src/runtime/jepsen.ts"
import { toCommand } from "../src/runtime/kv-ops.ts"
import { Timing } from "../src/runtime/timing.ts"
import { contend, parseContend } from "./runtime-contend.ts"

type Mark = readonly [number, string]

const HOPS: ReadonlyArray<readonly [string, string, string]> = [
  ["request", "client: send Request leader", "leader: recv Request client"],
  ["reply", "leader: send Reply client", "client: recv Reply leader"],
  ["leader to f1", "leader: send AppendEntries f1", "f1: recv AppendEntries leader"],
  ["leader to f1", "leader: send P2a f1", "f1: recv P2a leader"],
  ["f1 to leader", "f1: send AppendEntriesReply leader", "leader: recv AppendEntriesReply f1"],
  ["f1 to leader", "f1: send P2b leader", "leader: recv P2b f1"],
  ["leader write to durable", "leader: write", "leader: durable"],
  ["f1 write to durable", "f1: write", "f1: durable"],
]

/** An operation slower than this is attributed to a cause (`slowOps`). */
const SLOW_MS = 5

interface Slow {
  readonly ms: number
  /** The largest of the delays below, by name; "other" when none of them explains a quarter of the operation. */
  readonly cause: string
  /** Each delay seen within the operation, in ms: a process's GC, its event loop stalled while it ran (`blocked`) or while it was not scheduled (`descheduled`), an fdatasync (record written to durable) of 3 ms or more. */
  readonly delays: Readonly<Record<string, number>>
}

/**
 * Why one slow operation was slow: the pauses each process marked within it (Timing.observePauses: GC, and
 * event-loop stalls, split by whether the process used the CPU meanwhile) and its slow fdatasyncs.
 */
const attribute = (ms: number, all: ReadonlyArray<readonly [number, string]>, pauses: ReadonlyArray<readonly [string, ReadonlyArray<Mark>]>): Slow => {
  const delays: Record<string, number> = {}
  const add = (k: string, d: number) => (delays[k] = round((delays[k] ?? 0) + d))
  for (const [who, ps] of pauses)
    for (const [, l] of ps) {
      const w = l.split(" ")
      if (w[0] === "gc") add(`gc ${who}`, Number(w[2]))
      else if (w[0] === "stall") add(`${Number(w[3]) >= Number(w[1]) / 2 ? "blocked" : "descheduled"} ${who}`, Number(w[1]))
    }
  // fdatasyncs: each node's "write" to its next "durable".
  const sorted = [...all].sort((a, b) => a[0] - b[0])
  for (const [t, l] of sorted) {
    const m = /^(\w+): write$/.exec(l)
    if (!m) continue
    const done = sorted.find(([u, k]) => u >= t && k === `${m[1]}: durable`)
    if (done && done[0] - t >= 3) add(`fdatasync ${m[1]}`, done[0] - t)
  }
  const top = Object.entries(delays).sort((a, b) => b[1] - a[1])[0]
  return { ms: round(ms), cause: top && top[1] >= ms / 4 ? top[0].replace(/ (leader|f\d|client)$/, (_, r: string) => (r === "leader" || r === "client" ? ` ${r}` : " follower")) : "other", delays }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor((s.length - 1) / 2)]!
}
const round = (x: number) => Number(x.toFixed(3))

/** Labels without sequence numbers, with node ids replaced by roles. */
const normalise = (label: string, role: ReadonlyMap<string, string>): string =>
  label
    .replace(/ persist( lazy)? \d+$/, " persist$1")
    .replace(/^(write|durable) \d+$/, "$1")
    .replace(/ (n\d+)$/, (_, id: string) => ` ${role.get(id) ?? id}`)

export const latencyBreakdown = async (protocol: string, ops: number, valueSize: number, basePort: number, bin?: string) => {
  const dir = mkdtempSync(join(tmpdir(), `tla-ts-latency-${protocol}-`))
  const cluster = new LocalCluster(protocol, dir, basePort, 3, () => {}, false)
  if (bin) cluster.bin = bin
  cluster.ownSessions = true
  const files = cluster.members.map((m) => join(dir, `${m.id}.timing`))
  cluster.members.forEach((m, i) => m.args.push("--timing", files[i]!))
  let client: ClusterClient | undefined
  const clientTiming = new Timing()
  clientTiming.observePauses()
  const calls: Array<readonly [number, number]> = []
  try {
    await cluster.start()
    await cluster.waitLeader(60_000)
    client = await ClusterClient.connect(cluster.endpoints, { connectTimeout: 10_000, seed: 1, timing: clientTiming })
    const session = client.session()
    const value = "v".repeat(valueSize)
    for (let i = 0; i < ops + 50; i++) {
      const call = performance.timeOrigin + performance.now()
      await session.execute(toCommand({ op: "put", key: `k${i % 1000}`, value }), 5000)
      const ret = performance.timeOrigin + performance.now()
      if (i >= 50) calls.push([call, ret]) // the first 50 warm up
    }
    client.forget(session)
  } finally {
    clientTiming.stop()
    client?.close()
    // SIGTERM: each node writes its marks as it stops.
    await Promise.all(
      cluster.members.map(async (m) => {
        if (!m.proc) return
        const exited = once(m.proc, "exit")
        m.proc.kill("SIGTERM")
        await exited
      })
    )
    await cluster.stop()
  }
  const allMarks = [
    ...files.map((f): ReadonlyArray<Mark> =>
      readFileSync(f, "utf8")
        .split("\n")
        .filter((l) => l)
        .map((l) => JSON.parse(l) as Mark)
    ),
    clientTiming.all,
  ]
  const isPause = ([, l]: Mark) => l.startsWith("gc ") || l.startsWith("stall ")
  const marks = allMarks.map((ms) => ms.filter((m) => !isPause(m)))
  const pauses = allMarks.map((ms) => ms.filter(isPause))
  const ids = [...cluster.members.map((m) => m.id), "client"]
  rmSync(dir, { recursive: true, force: true })
  const offsets = new Map<string, number[]>()
  const hops: Record<string, number[]> = {}
  const perPut: Array<Map<string, number>> = []
  let syncs = 0
  const lat = calls.map(([c, r]) => r - c)
  const p50 = median(lat)
  const medianOp = lat.indexOf(p50)
  const p99 = [...lat].sort((a, b) => a - b)[Math.floor(lat.length * 0.99)]!
  const p99Op = lat.indexOf(p99)
  let example: Array<readonly [number, string]> = []
  let tail: Array<readonly [number, string]> = []
  // For each slow put (p95 and above): the longest gap between two consecutive marks, named by its ends.
  const p95 = [...lat].sort((a, b) => a - b)[Math.floor(lat.length * 0.95)]!
  const slowGaps = new Map<string, number[]>()
  const slow: Slow[] = []
  for (const [op, [call, ret]] of calls.entries()) {
    const within = marks.map((ms) => ms.filter(([t]) => t >= call && t <= ret))
    const leader = within.findIndex((ms) => ms.some(([, l]) => l === "recv Request client"))
    if (leader < 0) continue
    const role = new Map<string, string>([
      [ids[leader]!, "leader"],
      ["client", "client"],
    ])
    const firstRecv = within.map((ms, i) => (i === leader ? Infinity : (ms.find(([, l]) => l.startsWith("recv "))?.[0] ?? Infinity)))
    cluster.members
      .map((m, i) => [m.id, firstRecv[i]!] as const)
      .filter(([id]) => id !== ids[leader])
      .sort((a, b) => a[1] - b[1])
      .forEach(([id], k) => role.set(id, `f${k + 1}`))
    const mine = new Map<string, number>()
    perPut.push(mine)
    const add = (label: string, t: number) => {
      let xs = offsets.get(label)
      if (!xs) offsets.set(label, (xs = []))
      xs.push(t - call)
      mine.set(label, t - call)
    }
    add("client call", call)
    const all: Array<readonly [number, string]> = []
    within.forEach((ms, i) => {
      const who = role.get(ids[i]!)!
      const seen = new Set<string>()
      for (const [t, l] of ms) {
        const label = `${who}: ${normalise(l, role)}`
        all.push([round(t - call), label])
        if (label.endsWith(": durable")) syncs++
        if (seen.has(label)) continue
        seen.add(label)
        add(label, t)
      }
    })
    add("client return", ret)
    // Loopback hops (frame sent to frame decoded) and fdatasyncs (record written to durable), per put.
    const at = (label: string, after = -Infinity) => {
      let first: number | undefined
      for (const [t, l] of all) if (l === label && t >= after && (first === undefined || t < first)) first = t
      return first
    }
    for (const [name, from, to] of HOPS) {
      const a = at(from)
      const b = a === undefined ? undefined : at(to, a)
      if (a !== undefined && b !== undefined) (hops[name] ??= []).push(b - a)
    }
    if (ret - call >= p95) {
      const seq = [[0, "client call"] as const, ...all.sort((a, b) => a[0] - b[0]), [round(ret - call), "client return"] as const]
      let gap = 0
      let name = ""
      for (let i = 1; i < seq.length; i++)
        if (seq[i]![0] - seq[i - 1]![0] > gap) {
          gap = seq[i]![0] - seq[i - 1]![0]
          name = `${seq[i - 1]![1]} -> ${seq[i]![1]}`
        }
      const xs = slowGaps.get(name) ?? []
      slowGaps.set(name, [...xs, round(gap)])
    }
    if (ret - call > SLOW_MS) slow.push(attribute(ret - call, all, pauses.map((ps, i) => [role.get(ids[i]!)!, ps.filter(([t]) => t >= call && t <= ret)] as const)))
    if (op === medianOp) example = [[0, "client call"], ...all.sort((a, b) => a[0] - b[0]), [round(ret - call), "client return"]]
    if (op === p99Op) tail = [[0, "client call"], ...all.sort((a, b) => a[0] - b[0]), [round(ret - call), "client return"]]
  }
  const n = calls.length
  const rows = [...offsets]
    .filter(([, xs]) => xs.length >= n / 2)
    .map(([label, xs]) => ({ label, ms: round(median(xs)), seenIn: round(xs.length / n) }))
    .sort((a, b) => a.ms - b.ms)
  // A step: the median, over the puts that have both marks, of the time from the previous row's mark to this one's.
  const step = (a: string, b: string) => {
    const ds = perPut.filter((m) => m.has(a) && m.has(b)).map((m) => m.get(b)! - m.get(a)!)
    return ds.length === 0 ? null : round(median(ds))
  }
  const timeline = rows.map((r, i) => ({ ...r, step: i === 0 ? 0 : step(rows[i - 1]!.label, r.label) }))
  const spread = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b)
    return { p10: round(s[Math.floor(s.length * 0.1)]!), p50: round(s[Math.floor(s.length * 0.5)]!), p90: round(s[Math.floor(s.length * 0.9)]!) }
  }
  const hopMs = Object.fromEntries(Object.entries(hops).map(([k, xs]) => [k, spread(xs)]))
  const tailGaps = Object.fromEntries([...slowGaps].sort((a, b) => b[1].length - a[1].length).map(([k, xs]) => [k, xs]))
  const byCause: Record<string, number> = {}
  for (const o of slow) byCause[o.cause] = (byCause[o.cause] ?? 0) + 1
  const slowOps = { over5ms: slow.length, byCause, ops: slow.sort((a, b) => b.ms - a.ms) }
  // Puts whose reply left before the leader's own write was durable (Service.standsWithout).
  const repliesBeforeOwnWrite = round((offsets.get("leader: replies stand without own write")?.length ?? 0) / n)
  return { puts: n, p50ms: round(p50), p95ms: round(p95), p99ms: round(p99), fdatasyncsPerPut: round(syncs / n), repliesBeforeOwnWrite, hopMs, tailGaps, slowOps, timeline, medianPut: example.map(([t, l]) => `${t.toFixed(3)} ${l}`), p99Put: tail.map(([t, l]) => `${t.toFixed(3)} ${l}`) }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { protocol: { type: "string" }, ops: { type: "string" }, "value-size": { type: "string" }, baseline: { type: "string" }, rounds: { type: "string" }, contend: { type: "string" } } })
  const result: Record<string, unknown> = { loadavg: readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).map(Number) }
  const ops = Number(values.ops ?? 300)
  const valueSize = Number(values["value-size"] ?? 128)
  const protocols = (values.protocol ?? "raft,paxos").split(",")
  const contention = parseContend(values.contend)
  if (contention) result.contend = contention
  const load = contention && contend(contention)
  try {
    if (values.baseline !== undefined) {
      // Nodes of another checkout and of this one, alternating, each round's figures side by side (the same client library drives both).
      const bin = resolve(values.baseline, "bin", "tla-ts.js")
      if (!existsSync(bin)) throw new Error(`--baseline: no ${bin}`)
      let port = 22000
      for (let r = 1; r <= Number(values.rounds ?? 2); r++)
        for (const p of protocols)
          for (const [side, b] of [["baseline", bin], ["current", undefined]] as const) {
            const x = await latencyBreakdown(p, ops, valueSize, (port += 300), b)
            result[`${p} round ${r} ${side}`] = { p50ms: x.p50ms, p95ms: x.p95ms, p99ms: x.p99ms, over5ms: x.slowOps.over5ms, byCause: x.slowOps.byCause, repliesBeforeOwnWrite: x.repliesBeforeOwnWrite, loadavg: readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).map(Number) }
          }
    } else for (const [k, p] of protocols.entries()) result[p] = await latencyBreakdown(p, ops, valueSize, 22000 + k * 300)
  } finally {
    await load?.stop()
  }
  console.log(JSON.stringify(result, null, 1))
}
