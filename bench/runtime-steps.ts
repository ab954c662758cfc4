/**
 * `node --import tsx bench/runtime-steps.ts [--protocol paxos,raft] [--ops N] [--batch B] [--heartbeat-every E] [--rounds R] [--baseline DIR] [--dist]`
 *
 * The CPU a put costs the three nodes of a cluster, without sockets, disks or a scheduler: three nodes
 * of a runtime service (services.ts, as `tla-ts node` runs them) in one process, B client requests
 * delivered to the leader per turn (B = closed-loop clients), every message encoded and decoded as a
 * frame, each node's persisted values of a turn written as one storage record (diff, JSON, checksum)
 * and the leader's heartbeat timer fired every E puts (`--heartbeat-every`, default 25: its 25 ms period at 1,000 puts/s; the leader's log holds the slots of about two periods). Messages are delivered in
 * the order sent, each batch of a node's messages merged as the runtime merges them (Service.merges).
 * Raft's AppendEntries are not superseded here as the runtime's send queue does (Service.supersedes),
 * so its figures at B > 1 overstate what a node spends; it was written for Paxos.
 * Prints CPU microseconds per put (process.cpuUsage: user + system of this process; a busy machine
 * slows it less than it slows a cluster's throughput) and the leader's log size at the end. With
 * `--baseline DIR` (another checkout with node_modules) its modules run the same workload, alternating
 * with this checkout's R times (default 3), so a change to the handlers or the runtime's encoding is
 * measured before/after in one run. `--dist`: both checkouts' builds (dist/, as `tla-ts node` runs), not their sources.
 */
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { parseArgs } from "node:util"

type Services = typeof import("../src/runtime/services.ts")
type Driver = typeof import("../src/runtime/driver.ts")
type Wire = typeof import("../src/runtime/wire.ts")
type Patch = typeof import("../src/runtime/patch.ts")
type Storage = typeof import("../src/runtime/storage.ts")
interface Checkout {
  readonly services: Services
  readonly driver: Driver
  readonly wire: Wire
  readonly patch: Patch
  readonly storage: Storage
}

/** A checkout's modules: its sources, or with `dist` its build (what `tla-ts node` runs; readable profiles). */
const load = async (root: string, dist: boolean): Promise<Checkout> => {
  const at = (p: string) => import(pathToFileURL(resolve(root, dist ? `dist/${p.replace(/\.ts$/, ".js")}` : p)).href)
  return { services: await at("src/runtime/services.ts"), driver: await at("src/runtime/driver.ts"), wire: await at("src/runtime/wire.ts"), patch: await at("src/runtime/patch.ts"), storage: await at("src/runtime/storage.ts") }
}

type Msg = { readonly _tag: string; readonly [k: string]: unknown }
interface Send {
  readonly from: string
  readonly to: string
  readonly msg: Msg
}

const rootOf = (a: string) => a.split("/")[0]!

/** Runs `ops` puts through one fresh cluster of `protocol`; returns CPU µs per put and the leader's log size. */
const run = (c: Checkout, protocol: string, ops: number, batch: number, every: number): { readonly cpuUsPerPut: number; readonly leaderLog: number } => {
  const service = c.services.SERVICES[protocol]!
  const ids = ["n1", "n2", "n3"]
  const def = service.server(ids)
  const registry = service.registry
  interface N {
    state: unknown
    timers: ReadonlyArray<{ readonly timer: Msg }>
    durable: unknown
    written: unknown
    dirty: boolean
  }
  const nodes = new Map<string, N>()
  const envOf = (id: string) => ({ def, self: id, peers: ids, chooser: { choose: () => 0 }, durable: () => nodes.get(id)!.durable })
  const queue: Send[] = []
  const after = (id: string, out: { state: unknown; sends: ReadonlyArray<Send>; timers: ReadonlyArray<{ readonly timer: Msg }>; persisted: boolean; durable: unknown }) => {
    const n = nodes.get(id)!
    n.state = out.state
    n.timers = out.timers
    if (out.persisted) {
      n.durable = out.durable
      n.dirty = true
    }
    // Every frame as the runtime makes it: encoded, then decoded with the schemas at its receiver.
    for (const s of out.sends) {
      const text = c.wire.encodeEnvelope(s.to, s.msg as never, s.from)
      if (ids.includes(rootOf(s.to))) queue.push({ from: s.from, to: s.to, msg: c.wire.decodeEnvelope(text, registry, true).msg as Msg })
    }
  }
  for (const id of ids) {
    nodes.set(id, { state: undefined, timers: [], durable: undefined, written: undefined, dirty: false })
    after(id, c.driver.runInit(envOf(id)) as never)
  }
  /** A turn's records: each node's persisted value since its last record, as one diff. */
  const writeRecords = () => {
    for (const n of nodes.values())
      if (n.dirty) {
        c.storage.frameRecord(JSON.stringify(c.patch.diff(n.written, n.durable)))
        n.written = n.durable
        n.dirty = false
      }
  }
  /** Delivers every queued message (and those they cause), merging each run of mergeable ones as the runtime does. */
  const drain = () => {
    while (queue.length > 0) {
      let s = queue.shift()!
      const merges = service.merges
      while (merges && queue.length > 0 && queue[0]!.to === s.to && queue[0]!.from === s.from) {
        const m = merges(s.msg as never, queue[0]!.msg as never)
        if (m === undefined) break
        s = { ...s, msg: m as Msg }
        queue.shift()
      }
      const id = rootOf(s.to)
      const n = nodes.get(id)!
      after(id, c.driver.runMessage(envOf(id), n.state, n.timers as never, s.to, s.msg as never, s.from) as never)
      if (queue.length === 0 || rootOf(queue[0]!.to) !== id) writeRecords()
    }
    writeRecords()
  }
  const fire = (id: string, tag: string) => {
    const n = nodes.get(id)!
    const t = n.timers.find((r) => r.timer._tag === tag)
    if (t) after(id, c.driver.runTimer(envOf(id), n.state, n.timers.filter((r) => r !== t) as never, t as never) as never)
  }
  const leader = "n1"
  let seq = 0
  const request = (i: number) => {
    const client = `c${i % batch}`
    const text = JSON.stringify({ t: leader, f: client, m: { _tag: "Request", command: { _tag: "AMOCommand", command: { _tag: "Put", key: `k${i % 1000}`, value: "v".repeat(124) + String(i % 10000).padStart(4, "0") }, client, seq: ++seq } } })
    return c.wire.decodeEnvelope(text, registry, true, service.clientTags)
  }
  // Raft elects on its first election timer; Paxos starts with n1 leading.
  if (protocol === "raft") {
    fire(leader, "ElectionTimer")
    drain()
  }
  const turn = (from: number) => {
    for (let i = from; i < from + batch; i++) {
      const env = request(i)
      const n = nodes.get(leader)!
      after(leader, c.driver.runMessage(envOf(leader), n.state, n.timers as never, env.to, env.msg as never, env.from!) as never)
    }
    writeRecords()
    drain()
  }
  const heartbeats = () => {
    fire(leader, "HeartbeatTimer")
    drain()
  }
  const warm = Math.min(ops, 2000)
  for (let i = 0; i < warm; i += batch) {
    turn(i)
    if (Math.floor((i + batch) / every) > Math.floor(i / every)) heartbeats()
  }
  const t0 = process.cpuUsage()
  for (let i = 0; i < ops; i += batch) {
    turn(warm + i)
    if (Math.floor((i + batch) / every) > Math.floor(i / every)) heartbeats()
  }
  const cpu = process.cpuUsage(t0)
  const log = (nodes.get(leader)!.state as { log: { log?: ReadonlyMap<number, unknown> } }).log.log
  return { cpuUsPerPut: Number(((cpu.user + cpu.system) / ops).toFixed(2)), leaderLog: log?.size ?? -1 }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { protocol: { type: "string" }, ops: { type: "string" }, batch: { type: "string" }, "heartbeat-every": { type: "string" }, rounds: { type: "string" }, baseline: { type: "string" }, dist: { type: "boolean" } } })
  const ops = Number(values.ops ?? 20000)
  const every = Number(values["heartbeat-every"] ?? 25)
  const batches = (values.batch ?? "1,8,64").split(",").map(Number)
  const protocols = (values.protocol ?? "paxos,raft").split(",")
  const here = await load(resolve(import.meta.dirname, ".."), values.dist === true)
  const base = values.baseline !== undefined ? await load(resolve(values.baseline), values.dist === true) : undefined
  const result: Record<string, unknown> = { ops, heartbeatEvery: every, loadavg: readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).map(Number) }
  for (let r = 1; r <= (base ? Number(values.rounds ?? 3) : 1); r++)
    for (const p of protocols)
      for (const b of batches) {
        if (base) result[`${p} ${b} round ${r} baseline`] = run(base, p, ops, b, every)
        result[`${p} ${b} round ${r}${base ? " current" : ""}`] = run(here, p, ops, b, every)
      }
  console.log(JSON.stringify(result, null, 1))
}
