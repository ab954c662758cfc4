/**
 * Conformance between the checker and the runtime: runs a model's named configuration (its own server
 * and client definitions, its workloads) on the real runtime, in one process (real sockets, disk and
 * timers), and follows every real step in the checker's transition system: each delivery or timer
 * must be one of the successors the checker enumerates from the state reached so far. The matched
 * labels form a trace that `tla-ts replay` accepts; a real step the checker does not offer is a
 * divergence, reported with the step.
 */
import type { Params } from "../checker/model.ts"
import { prepare } from "../checker/run-model.ts"
import type { Model } from "../checker/model.ts"
import { TRACE_FORMAT, TRACE_VERSION, type TraceFile } from "../checker/trace-file.ts"
import type { Event, ProtocolState } from "../core/compile.ts"
import type { Cluster } from "../core/execute.ts"
import type { Address, ClientDef, NodeDef, Tagged } from "../core/node.ts"
import type { TransitionSystem } from "../checker/transition-system.ts"
import type { StepEvent } from "./actor.ts"
import { ClusterClient } from "./client.ts"
import { encode } from "./codec.ts"
import { RuntimeServer } from "./server.ts"
import { SERVICES } from "./services.ts"
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

const sameEvent = (e: Event, node: number, ev: StepEvent & { kind: "message" | "timer" }): boolean => {
  if (ev.kind === "message") return e.k === "deliver" && e.env.dst === node && e.env.from === ev.from && e.env.to === ev.to && encode(e.env.msg) === encode(ev.msg)
  return e.k === "timer" && e.node === node && e.timer.sub === ev.timer.sub && encode(e.timer.timer) === encode(ev.timer.timer)
}

export const runConformance = async (o: ConformanceOptions): Promise<ConformanceResult> => {
  const service = SERVICES[o.model.name]
  if (!service) throw new ConformanceError(`the runtime has no service for model "${o.model.name}"`)
  const prepared = prepare(o.model, { test: o.test, params: o.params ?? {}, options: { seed: o.seed } })
  const system = prepared.system as TransitionSystem<ProtocolState, Event> & { readonly cluster?: Cluster }
  const cluster = system.cluster
  if (!cluster) throw new ConformanceError(`${o.model.name} --test ${o.test} is not an interleaving protocol configuration`)
  const inits = system.initial()
  if (inits.length !== 1) throw new ConformanceError(`${o.model.name} --test ${o.test} has ${inits.length} initial states`)

  let state = inits[0]!
  const labels: string[] = []
  const events: unknown[] = []
  let divergence: string | undefined
  const follow = (node: number, ev: StepEvent) => {
    if (divergence !== undefined || (ev.kind !== "message" && ev.kind !== "timer")) return
    let found: { e: Event; next: ProtocolState } | undefined
    system.successors(state, (e, next) => {
      if (!found && sameEvent(e, node, ev)) found = { e, next }
    })
    if (!found) {
      const what = ev.kind === "message" ? `${ev.from} -> ${ev.to}: ${cluster.show(ev.msg)}` : `timer ${cluster.addresses[node]}: ${cluster.show(ev.timer.timer)}`
      divergence = `real step ${labels.length + 1} (${what}) is not a step the checker offers in the state reached`
      return
    }
    labels.push(system.formatLabel(found.e))
    events.push(system.encodeLabel!(found.e))
    state = found.next
  }

  const servers: Array<{ i: number; address: Address }> = []
  const clients: Array<{ i: number; address: Address }> = []
  cluster.addresses.forEach((address, i) => (cluster.isClient(i) ? clients : servers).push({ i, address }))
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
    let left = clients.length
    const done = new Promise<void>((resolve) => {
      if (left === 0) resolve()
      for (const c of clients) {
        const commands = cluster.workloads[c.i]!
        let next = 1
        let completed = 0
        const session = client!.session({
          id: c.address,
          def: cluster.defs[c.i] as ClientDef<any, any, any, any>,
          nextCommand: () => (next < commands.length ? commands[next++] : undefined),
          onStep: (out, ev) => {
            follow(c.i, ev)
            if (out.completed !== undefined && ++completed === commands.length && --left === 0) resolve()
          },
        })
        if (commands.length > 0) session.actor.command(commands[0] as Tagged)
        else if (--left === 0) resolve()
      }
    })
    const finished = await Promise.race([done.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), o.timeoutMs))])
    return {
      trace: {
        format: TRACE_FORMAT,
        version: TRACE_VERSION,
        model: o.model.name,
        params: prepared.params,
        test: o.test,
        seed: prepared.seed,
        strategy: "random",
        verdict: "ok",
        initial: 0,
        steps: labels,
        events,
      },
      finished,
      ...(divergence !== undefined ? { divergence } : {}),
    }
  } finally {
    client?.close()
    for (const r of running) await r.stop()
  }
}
