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
import { exactlyOnceClient } from "../../core/exactly-once.ts"
import type { Application } from "../../core/application.ts"
import { append, appendResult, get, getResult, type KVCommand, type KVResult, kvStore, type KVState, put, putOk } from "../../core/kv.ts"
import { refinesKv } from "../../core/kv-refinement.ts"
import { historyLinearizable } from "../../core/linearizable.ts"
import type { Address } from "../../core/node.ts"
import { appendsLinearizable, resultsOk } from "../../core/properties.ts"
import { type ReplicatedLog } from "../../core/replicated-log.ts"
import { replicatedService, type ServiceState } from "../../core/replicated-service.ts"
import { roles } from "../../core/roles.ts"
import { simDone, type TimedState, timed } from "../../core/timed.ts"
import { appendWorkload, privateKeyWorkload } from "../../core/workloads.ts"
import type { World } from "../../core/world.ts"
import { clobberingKv } from "../clientserver/model.ts"
import { commandsExecuted } from "../paxos/properties.ts"
import { logChecks } from "./log-checks.ts"
import { LOGS, logFor, logParam, type LogKind } from "./logs.ts"

export { LOGS, type LogKind }

export interface Setup {
  readonly log: LogKind
  readonly servers: number
  readonly workloads: ReadonlyArray<Workload>
  /** Whether timers fire in the checker (default true; off: Paxos keeps its first leader). */
  readonly timers?: boolean
  /** The replicated application (default the KV store; planted bugs swap it). */
  readonly app?: Application<KVState, KVCommand, KVResult>
}

const serverNames = (n: number): Address[] => Array.from({ length: n }, (_, i) => `server${i + 1}`)

/** The cluster with typed handles: `servers[i].state(w)` is the service state, `service.log.state(...)` its log. */
export const kvCluster = (setup: Setup) => {
  const names = serverNames(setup.servers)
  const service = replicatedService(setup.app ?? kvStore, logFor(setup.log, names) as ReplicatedLog<any>)
  const config: Config = {
    servers: names.map((address) => ({ address, def: service.def })),
    clients: setup.workloads.map((w, i) => ({ address: `client${i + 1}`, def: exactlyOnceClient(names), workload: w })),
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

export const simulated = (setup: Setup, seed: number) => {
  const cluster = kvCluster(setup)
  const { config } = cluster
  const log = logChecks<TimedState, unknown>(setup.log, [cluster.servers])
  return timed(config, {}, seed, {
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
    description: "simulation: 3 servers, 3 clients with 20 operations each on their own keys; results right, history linearizable",
    build: (p, seed) => simulated({ log: logOf(p), servers: 3, workloads: Array.from({ length: 3 }, (_, i) => privateKeyWorkload(`client${i + 1}`, 20)) }, seed),
    options: RANDOM,
    expect: "goal-found",
  },
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
