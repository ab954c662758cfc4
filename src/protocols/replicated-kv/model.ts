/**
 * One KV service over interchangeable consensus logs: the same service (core/replicated-service.ts)
 * and the same named tests on the spec-backed log (spec/consensus as an atomic component) and on
 * Multi-Paxos, chosen by the `log` parameter. On the spec-backed log the service is checked in a far
 * smaller space; Paxos's refinement of spec/consensus is its own obligation (proofs/paxos.ts). Raft runs
 * bootstrapped (its first server the elected leader of term 1), as Paxos's first server leads ballot 0.
 */
import { symmetricClients } from "../../core/symmetry.ts"
import { intParam } from "../../../spec/packed.ts"
import type { Model, NamedTest, Params } from "../../checker/model.ts"
import { compile, type Event, type ProtocolState } from "../../core/compile.ts"
import { type Config, workload, type Workload } from "../../core/config.ts"
import { type ClientOptions, exactlyOnceClient } from "../../core/exactly-once.ts"
import type { Application } from "../../core/application.ts"
import { append, appendResult, get, getResult, type KVCommand, type KVResult, kvStore, type KVState, put, putOk } from "../../core/kv.ts"
import { refinesKv } from "../../core/kv-refinement.ts"
import { historyLinearizable } from "../../core/linearizable.ts"
import type { Address } from "../../core/node.ts"
import { appendsLinearizable, resultsOk } from "../../core/properties.ts"
import type { ReadIndexOptions } from "../../core/read-index.ts"
import { type ReplicatedLog } from "../../core/replicated-log.ts"
import { replicatedService, type ServiceState } from "../../core/replicated-service.ts"
import { roles } from "../../core/roles.ts"
import { type SimOptions, simDone, type TimedState, timed } from "../../core/timed.ts"
import { explainedRun } from "../../core/swarm.ts"
import { appendWorkload, privateKeyWorkload } from "../../core/workloads.ts"
import type { World } from "../../core/world.ts"
import { clobberingKv } from "../clientserver/model.ts"
import { commandsExecuted } from "../paxos/properties.ts"
import { logChecks } from "./log-checks.ts"
import { LOGS, logFor, logParam, type LogKind } from "./logs.ts"
import { READ_SEARCH_TESTS } from "./read-searches.ts"

export { LOGS, type LogKind }

export interface Setup {
  readonly log: LogKind
  readonly servers: number
  readonly workloads: ReadonlyArray<Workload>
  /** Whether timers fire in the checker (default true; off: Paxos keeps its first leader). */
  readonly timers?: boolean
  /** The replicated application (default the KV store; planted bugs swap it). */
  readonly app?: Application<KVState, KVCommand, KVResult>
  /** Gets by leader-confirmed reads (core/read-index.ts), with its options; default: through the log. */
  readonly reads?: ReadIndexOptions
  /** The clients' options (default: no think time). */
  readonly client?: ClientOptions
  /** Raft: terms stop at this one (timers on, a bounded number of leader changes). */
  readonly maxTerm?: number
}

const serverNames = (n: number): Address[] => Array.from({ length: n }, (_, i) => `server${i + 1}`)

/** The cluster with typed handles: `servers[i].state(w)` is the service state, `service.log.state(...)` its log. */
export const kvCluster = (setup: Setup) => {
  const names = serverNames(setup.servers)
  const service = replicatedService(setup.app ?? kvStore, logFor(setup.log, names, { ...(setup.reads ? { reads: setup.reads } : {}), ...(setup.maxTerm !== undefined ? { maxTerm: setup.maxTerm } : {}) }) as ReplicatedLog<any>)
  const config: Config = {
    servers: names.map((address) => ({ address, def: service.def })),
    clients: setup.workloads.map((w, i) => ({ address: `client${i + 1}`, def: exactlyOnceClient(names, setup.client), workload: w })),
    ...(setup.timers === false ? { timers: false } : {}),
  }
  return { config, service, servers: roles(names, service.def) }
}
type Cluster = ReturnType<typeof kvCluster>

/** The applied store of the server that has applied most. */
export const appliedStore = (cluster: Cluster) => (w: World): KVState | undefined => {
  let best: ServiceState<KVState, unknown> | undefined
  for (const r of cluster.servers) {
    const s = r.state(w)
    if (s && (!best || commandsExecuted(s.app) > commandsExecuted(best.app))) best = s
  }
  return best?.app.app
}

/**
 * The configuration with its clients interchangeable and, with timers off (a stable first leader,
 * clients sending to it), the servers after the first too.
 */
const symmetric = (config: Config, timers: boolean): Config => {
  const clients = symmetricClients(config)
  const followers = config.servers.slice(1).map((s) => s.address)
  return timers || followers.length < 2 ? clients : { ...clients, symmetry: [...(clients.symmetry ?? []), followers] }
}

export const checked = (setup: Setup, declareSymmetry = false) => {
  const cluster = kvCluster(setup)
  const config = declareSymmetry ? symmetric(cluster.config, setup.timers ?? true) : cluster.config
  const log = logChecks<ProtocolState, Event>(setup.log, [cluster.servers])
  return compile(config, {
    name: `replicated-kv on ${setup.log}`,
    properties: [resultsOk(config), appendsLinearizable(config), historyLinearizable(), ...log.properties],
    stepProperties: [...log.steps, ...(setup.workloads.length === 1 ? [refinesKv<ProtocolState, Event>(appliedStore(cluster))] : [])],
  })
}

export const simulated = (setup: Setup, seed: number, sim: SimOptions = {}) => {
  const cluster = kvCluster(setup)
  const { config } = cluster
  const log = logChecks<TimedState, unknown>(setup.log, [cluster.servers])
  return timed(config, sim, seed, {
    name: `replicated-kv on ${setup.log}, simulated`,
    properties: [resultsOk(config), historyLinearizable(), ...log.properties, simDone()],
  })
}

const logOf = (p: Params): LogKind => logParam(p, "spec")
const clients = (p: Params) => intParam(p, "clients", 2, 1, 5)

const basicWorkload = workload([
  [put("foo", "bar"), putOk()],
  [append("foo", "baz"), appendResult("barbaz")],
  [get("foo"), getResult("barbaz")],
])
const RANDOM = { strategy: "random", samples: 1, maxDepth: 1_000_000, minimise: false } as const

/**
 * A deposed leader and a reader cut off with it: client1 puts a, then reads it 6 times (thinking
 * 100 ms before each operation); at 150 ms a partition leaves server1 (the first leader) with client1
 * alone, while client2 appends to a through the leader the majority elects; healed at 800 ms. With leader-confirmed reads client1's reads wait
 * for the heal (server1 cannot confirm); a leader that serves them unconfirmed answers stale values.
 * On Raft, or Paxos with --param log=paxos (the spec-backed log has no leader to depose).
 */
const staleRead = (p: Params, seed: number, bug: boolean) => {
  const setup: Setup = {
    log: logOf(p) === "spec" ? "raft" : logOf(p),
    servers: 3,
    workloads: [{ commands: [put("a", "0"), ...Array.from({ length: 6 }, () => get("a"))] }, appendWorkload("client2", 3, "a")],
    client: { thinkTime: 100 },
    reads: bug ? { bugServeLocally: true } : {},
  }
  const faults = [
    { at: 150, k: "partition" as const, groups: [["server1", "client1"], ["server2", "server3", "client2"]] },
    { at: 800, k: "heal" as const },
  ]
  // A violation is lifted to the interleaving model and minimised there, against the same properties: a short trace.
  const sim = simulated(setup, seed, { faults })
  const names = new Set(sim.properties!.map((q) => q.name))
  return explainedRun(sim, seed, () => {
    const sys = checked(setup)
    return { ...sys, properties: sys.properties!.filter((q) => names.has(q.name)) }
  }, 60)
}

/** The named tests, keyed by name (proofs refer to them by these keys, checked by the type checker). */
export const TESTS = {
  "exhaustive-one-client": {
    description: "bfs, 3 servers, one client's put, append, get, a stable leader: the whole space; RESULTS_OK and REFINES_KV in every state",
    build: (p) => checked({ log: logOf(p), servers: 3, workloads: [basicWorkload], timers: false }, true),
    expect: "ok",
  },
  "exhaustive-appends": {
    description: "bfs, 3 servers, concurrent appenders to one key (clients, default 2), a stable leader: the whole space; APPENDS_LINEARIZABLE",
    build: (p) => checked({ log: logOf(p), servers: 3, workloads: Array.from({ length: clients(p) }, (_, i) => appendWorkload(`client${i + 1}`, 1)), timers: false }, true),
    expect: "ok",
  },
  "bug-clobbering-put": {
    description: "planted bug: a Put that also wipes every other key (no client reads them back); REFINES_KV must fail",
    build: (p) => checked({ log: logOf(p), servers: 3, workloads: [workload([[put("a", "1"), putOk()], [put("b", "2"), putOk()]])], timers: false, app: clobberingKv }, true),
    expect: "violation",
  },
  "simulated-clients": {
    description: "simulation: 3 servers, 3 clients with 20 operations each on their own keys, Gets by leader-confirmed reads; results right, history linearizable",
    build: (p, seed) => simulated({ log: logOf(p), servers: 3, workloads: Array.from({ length: 3 }, (_, i) => privateKeyWorkload(`client${i + 1}`, 20)), reads: {} }, seed),
    options: RANDOM,
    expect: "goal-found",
  },
  "deposed-leader-reads": {
    description: "simulation: the first leader is partitioned away with a reader while the majority elects another and appends; leader-confirmed reads wait for the heal; linearizable (Raft, or --param log=paxos)",
    build: (p, seed) => staleRead(p, seed, false),
    options: RANDOM,
    expect: "goal-found",
  },
  "bug-read-without-confirmation": {
    description: "planted bug: the same partition, and leaders serve reads without confirming their leadership; the deposed leader answers a stale read (not linearizable), lifted and minimised to a short trace",
    build: (p, seed) => staleRead(p, seed, true),
    options: RANDOM,
    expect: "violation",
  },
  ...READ_SEARCH_TESTS,
} satisfies Record<string, NamedTest>

export const replicatedKvModel: Model = {
  name: "replicated-kv",
  description: "one exactly-once KV service over a consensus log chosen by --param log=spec|paxos|raft",
  params: {
    log: { default: "spec", description: `the log under the service: ${LOGS.join(", ")}` },
    clients: { default: "2", int: { min: 1, max: 5 }, description: "exhaustive-appends: concurrent appenders (1-5)" },
  },
  build: (p) => checked({ log: logOf(p), servers: 3, workloads: [basicWorkload], timers: false }),
  tests: TESTS,
}
