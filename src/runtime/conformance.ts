/**
 * Conformance between the checker and the runtime: runs a model's named configuration (its own server
 * and client definitions, its workloads) on the real runtime, in one process (real sockets, disk and
 * timers), and follows every real step in the checker's transition system: each delivery or timer
 * must be one of the successors the checker enumerates from the state reached so far. The matched
 * labels form a trace that `tla-ts replay` accepts; a real step the checker does not offer is a
 * divergence, reported with the step.
 */
import { readFileSync } from "node:fs"
import type { Params } from "../checker/model.ts"
import { prepare } from "../checker/run-model.ts"
import type { Model } from "../checker/model.ts"
import { TRACE_FORMAT, TRACE_VERSION, type TraceFile } from "../checker/trace-file.ts"
import type { Cluster } from "../core/execute.ts"
import type { Address, ClientDef, NodeDef, Tagged } from "../core/node.ts"
import type { StepEvent } from "./actor.ts"
import { ClusterClient } from "./client.ts"
import { RuntimeServer } from "./server.ts"
import { SERVICES } from "./services.ts"
import { mergeRecords, type ProtocolSystem, type RecordedStep, recordOf, StepFollower } from "./trace-merge.ts"
import type { Endpoint } from "./transport.ts"

export interface ConformanceOptions {
  /** The loaded model (the caller resolves names through the registry). */
  readonly model: Model
  readonly test: string
  readonly params?: Params
  readonly seed: number
  readonly dir: string
  readonly basePort: number
  readonly timeoutMs: number
  /** Replace server i's definition (to plant a divergence). */
  readonly serverDef?: (i: number, def: NodeDef<any, any, any>) => NodeDef<any, any, any>
}

export interface ConformanceResult {
  readonly trace: TraceFile
  /** Every client finished its workload before the time ran out. */
  readonly finished: boolean
  readonly divergence?: string
}

export class ConformanceError extends Error {}

/** A model's named configuration, as the runtime runs it: its system, its servers and its clients. */
export interface ModelConfig {
  readonly model: Model
  readonly test: string | undefined
  readonly prepared: ReturnType<typeof prepare>
  readonly system: ProtocolSystem
  readonly cluster: Cluster
  readonly servers: ReadonlyArray<{ readonly i: number; readonly address: Address }>
  readonly clients: ReadonlyArray<{ readonly i: number; readonly address: Address }>
}

export const modelConfig = (model: Model, test: string | undefined, params: Params, seed: number): ModelConfig => {
  if (!SERVICES[model.name]) throw new ConformanceError(`the runtime has no service for model "${model.name}"`)
  const prepared = prepare(model, { ...(test !== undefined ? { test } : {}), params, options: { seed } })
  const system = prepared.system as ProtocolSystem
  const cluster = system.cluster
  const what = `${model.name}${test ? ` --test ${test}` : ""}`
  if (!cluster) throw new ConformanceError(`${what} is not an interleaving protocol configuration`)
  const inits = system.initial()
  if (inits.length !== 1) throw new ConformanceError(`${what} has ${inits.length} initial states`)
  const servers: Array<{ i: number; address: Address }> = []
  const clients: Array<{ i: number; address: Address }> = []
  cluster.addresses.forEach((address, i) => (cluster.isClient(i) ? clients : servers).push({ i, address }))
  return { model, test, prepared, system, cluster, servers, clients }
}

export const followerOf = (c: ModelConfig): StepFollower => new StepFollower(c.system, c.cluster, c.system.initial()[0]!)

/** The trace of the steps a follower took. */
export const traceOf = (c: ModelConfig, follower: StepFollower): TraceFile => ({
  format: TRACE_FORMAT,
  version: TRACE_VERSION,
  model: c.model.name,
  params: c.prepared.params,
  ...(c.test !== undefined ? { test: c.test } : {}),
  seed: c.prepared.seed,
  strategy: "random",
  verdict: "ok",
  initial: 0,
  steps: follower.labels,
  events: follower.events,
})

/**
 * Runs the configuration's clients, each through its workload, as sessions of `client`; `onStep`
 * sees each client step. Resolves true once every client finished, false when the time ran out.
 */
export const runWorkloads = (c: ModelConfig, client: ClusterClient, timeoutMs: number, onStep: (node: number, ev: StepEvent) => void): Promise<boolean> => {
  let left = c.clients.length
  const done = new Promise<void>((resolve) => {
    if (left === 0) resolve()
    for (const cl of c.clients) {
      const commands = c.cluster.workloads[cl.i]!
      let next = 1
      let completed = 0
      const session = client.session({
        id: cl.address,
        def: c.cluster.defs[cl.i] as ClientDef<any, any, any, any>,
        nextCommand: () => (next < commands.length ? commands[next++] : undefined),
        onStep: (out, ev) => {
          onStep(cl.i, ev)
          if (out.completed !== undefined && ++completed === commands.length && --left === 0) resolve()
        },
      })
      if (commands.length > 0) session.actor.command(commands[0] as Tagged)
      else if (--left === 0) resolve()
    }
  })
  let timer: NodeJS.Timeout | undefined
  return Promise.race([done.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs)))]).finally(() => clearTimeout(timer))
}

export const runConformance = async (o: ConformanceOptions): Promise<ConformanceResult> => {
  const c = modelConfig(o.model, o.test, o.params ?? {}, o.seed)
  const { cluster, servers } = c
  const service = SERVICES[o.model.name]!
  const follower = followerOf(c)
  const follow = (node: number, ev: StepEvent) => {
    const r = recordOf(ev)
    if (r !== undefined && r.kind !== "init") follower.follow(node, r)
  }

  const peerEp = (k: number): Endpoint => ({ host: "127.0.0.1", port: o.basePort + k })
  const clientEp = (k: number): Endpoint => ({ host: "127.0.0.1", port: o.basePort + 50 + k })
  const peers = new Map(servers.map((s, k) => [s.address, peerEp(k)]))
  const running = servers.map(
    (s, k) =>
      new RuntimeServer({
        service,
        id: s.address,
        peers,
        clientPort: clientEp(k),
        dataDir: `${o.dir}/${s.address}`,
        seed: o.seed + k,
        log: () => {},
        def: o.serverDef ? o.serverDef(k, cluster.defs[s.i]!) : cluster.defs[s.i]!,
        record: (ev) => follow(s.i, ev),
      })
  )
  let client: ClusterClient | undefined
  try {
    for (const r of running) await r.start()
    // Clients start once every server knows the leader, so that a client's first request (which may
    // go to a follower and come back with a leader hint) is not lost to an election.
    const settled = () => {
      const views = running.map((r, k) => service.leader(r.state, servers[k]!.address))
      return views.filter((v) => v.startsWith("leader")).length === 1 && views.every((v) => v.startsWith("leader") || v.startsWith("following"))
    }
    for (const end = Date.now() + o.timeoutMs; !settled(); ) {
      if (Date.now() > end) throw new ConformanceError(`no leader known to every server within ${o.timeoutMs / 1000} s`)
      await new Promise((r) => setTimeout(r, 5))
    }
    client = await ClusterClient.connect(servers.map((_, k) => clientEp(k)), { connectTimeout: o.timeoutMs, seed: o.seed, all: true })
    const finished = await runWorkloads(c, client, o.timeoutMs, follow)
    return { trace: traceOf(c, follower), finished, ...(follower.divergence !== undefined ? { divergence: follower.divergence } : {}) }
  } finally {
    client?.close()
    for (const r of running) await r.stop()
  }
}

/** Reads a node's trace file (one RecordedStep a line, as `tla-ts node --trace-out` writes it). */
export const readRecordedSteps = (file: string): RecordedStep[] => {
  let text: string
  try {
    text = readFileSync(file, "utf8")
  } catch (e) {
    throw new ConformanceError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
  }
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l, k) => {
      try {
        const r = JSON.parse(l) as RecordedStep
        if (r.kind === "message" || r.kind === "timer" || r.kind === "init" || r.kind === "recover") return r
      } catch {}
      throw new ConformanceError(`${file}:${k + 1}: not a recorded step`)
    })
}

/**
 * The trace of a multi-process run: each server's recorded steps (its trace file) and each client's,
 * merged into one run the checker explores (see mergeRecords), or the divergence.
 */
export const mergeTrace = (c: ModelConfig, nodeSteps: ReadonlyMap<number, ReadonlyArray<RecordedStep>>): { readonly trace: TraceFile; readonly divergence?: string } => {
  const follower = followerOf(c)
  mergeRecords(
    follower,
    [...nodeSteps].map(([node, steps]) => ({ node, steps }))
  )
  return { trace: traceOf(c, follower), ...(follower.divergence !== undefined ? { divergence: follower.divergence } : {}) }
}
