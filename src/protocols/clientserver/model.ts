/** The exactly-once KV client/server as a model: named tests after DSLabs lab 1. */
import { intParam } from "../../../spec/packed.ts"
import type { Model, NamedTest, Params } from "../../checker/model.ts"
import type { StateProperty } from "../../checker/transition-system.ts"
import { compile, type ProtocolState } from "../../core/compile.ts"
import { inFlightAtMost, underFairDelivery } from "../../core/fair.ts"
import { type Config, type NetworkOptions, workload } from "../../core/config.ts"
import { append, appendResult, get, getResult, kvStore, put, putOk, type KVCommand, type KVResult, type KVState } from "../../core/kv.ts"
import type { Application } from "../../core/application.ts"
import { historyLinearizable } from "../../core/linearizable.ts"
import { dedupBounded } from "./properties.ts"
import { refinesKv } from "./refinement.ts"
export { dedupBounded }
import { appendsLinearizable, clientsDone, resultsOk } from "../../core/properties.ts"
import { simDone, timed } from "../../core/timed.ts"
import type { Workload } from "../../core/config.ts"
import { appendWorkload, privateKeyWorkload } from "../../core/workloads.ts"
import { type ClientOptions, exactlyOnceClient } from "../../core/exactly-once.ts"
import { server, type ServerOptions } from "./server.ts"

export interface Setup {
  readonly app?: Application<KVState, KVCommand, KVResult>
  readonly workloads: ReadonlyArray<Workload>
  readonly network?: NetworkOptions
  readonly server?: ServerOptions
  readonly client?: ClientOptions
  /** Interchangeable clients, for --symmetry. */
  readonly symmetry?: Config["symmetry"]
}

export const clientServerConfig = (setup: Setup): Config => ({
  servers: [{ address: "server", def: server(setup.app ?? kvStore, setup.server) }],
  clients: setup.workloads.map((w, i) => ({ address: `client${i + 1}`, def: exactlyOnceClient("server", setup.client), workload: w })),
  ...(setup.network ? { network: setup.network } : {}),
  ...(setup.symmetry ? { symmetry: setup.symmetry } : {}),
})

const basicWorkload = workload([
  [put("foo", "bar"), putOk()],
  [append("foo", "baz"), appendResult("barbaz")],
  [get("foo"), getResult("barbaz")],
])

const checked = (setup: Setup, goal: boolean, options: { readonly refinement?: boolean; readonly extra?: ReadonlyArray<StateProperty<ProtocolState>> } = {}) => {
  const config = clientServerConfig(setup)
  return compile(config, {
    name: "clientserver",
    properties: [resultsOk(config), appendsLinearizable(config), historyLinearizable(), ...(options.extra ?? []), ...(goal ? [clientsDone()] : [])],
    stepProperties: options.refinement === false ? [] : [refinesKv()],
  })
}

/** Planted bug for refinement: a Put that also wipes every other key. No client reads them back. */
export const clobberingKv: Application<KVState, KVCommand, KVResult> = {
  ...kvStore,
  execute: (s, c) => (c._tag === "Put" ? [putOk(), new Map([[c.key, c.value]])] : kvStore.execute(s, c)),
}
export const clobberSetup = (app: Application<KVState, KVCommand, KVResult>): Setup => ({
  app,
  workloads: [workload([[put("a", "1"), putOk()]]), workload([[put("b", "2"), putOk()]])],
})

/** One client's append and get on a network that drops messages (at most 3 in flight), under fair delivery: <>ClientsDone. */
const lossyLive = (server: ServerOptions = {}) =>
  underFairDelivery(
    checked({ workloads: [workload([[append("foo", "x"), appendResult("x")], [get("foo"), getResult("x")]])], network: { delivery: "multiset", drops: true }, server }, false, { extra: [inFlightAtMost(3)] })
  )

const simulated = (clients: number, ops: number, loss: number, seed: number) => {
  const config = clientServerConfig({ workloads: Array.from({ length: clients }, (_, i) => privateKeyWorkload(`client${i + 1}`, ops)) })
  return timed(config, { loss, latency: [1, 10] }, seed, {
    name: `clientserver simulated, ${Math.round(loss * 100)}% loss`,
    properties: [resultsOk(config), dedupBounded(config), historyLinearizable(), simDone()],
  })
}

const clients = (p: Params) => intParam(p, "clients", 2, 1, 50)
const ops = (p: Params, d: number) => (p.ops ? intParam(p, "ops", d, 1, 100_000) : d)

/** The named tests, keyed by name (proofs refer to them by these keys, checked by the type checker). */
export const CLIENTSERVER_TESTS = {
  basic: {
    description: "one client: put, append, get; search reaches all clients done with results right",
    build: () => checked({ workloads: [basicWorkload] }, true),
    expect: "goal-found",
  },
  "exhaustive-one-client": {
    description: "one client, the whole space (duplicating network, retries): RESULTS_OK everywhere",
    build: () => checked({ workloads: [basicWorkload] }, false),
    expect: "ok",
  },
  "exhaustive-appends": {
    description: "clients appending to one key concurrently, the whole space: APPENDS_LINEARIZABLE everywhere",
    build: (p) => {
      const names = Array.from({ length: clients(p) }, (_, i) => `client${i + 1}`)
      return checked({ workloads: names.map((c) => appendWorkload(c, ops(p, 1))), ...(names.length > 1 ? { symmetry: [names] } : {}) }, false)
    },
    expect: "ok",
  },
  "exhaustive-lossy": {
    description: "one client on a network that consumes and drops messages, two operations, the whole space",
    build: () =>
      checked({ workloads: [workload([[append("foo", "x"), appendResult("x")], [get("foo"), getResult("x")]])], network: { delivery: "multiset", drops: true } }, false),
    options: { maxDepth: 12 },
    expect: "budget-exhausted",
  },
  "live-requests-complete": {
    description:
      "liveness: every request completes under fair delivery (one client, a network that drops messages, retries; at most 3 in flight): a retried command whose reply was lost is answered again",
    build: () => lossyLive(),
    options: { strategy: "bfs" },
    expect: "ok",
  },
  "bug-live-silent-retries": {
    description: "planted liveness bug: the server does not answer a retry of a command it executed; a lasso where the reply is lost and the client retries forever",
    build: () => lossyLive({ bugSilentRetries: true }),
    options: { strategy: "bfs" },
    expect: "violation",
  },
  "unreliable-20": {
    description: "simulation: clients on a network that loses 20% of messages all finish, results right",
    build: (p, seed) => simulated(clients(p), ops(p, 50), 0.2, seed),
    options: { strategy: "random", samples: 1, maxDepth: 1_000_000, minimise: false },
    expect: "goal-found",
  },
  "unreliable-50": {
    description: "simulation: clients on a network that loses half of all messages all finish, results right",
    build: (p, seed) => simulated(clients(p), ops(p, 50), 0.5, seed),
    options: { strategy: "random", samples: 1, maxDepth: 1_000_000, minimise: false },
    expect: "goal-found",
  },
  "dedup-bounded": {
    description: "simulation: thousands of operations, the dedup table stays one entry per client",
    build: (p, seed) => simulated(clients(p), ops(p, 1500), 0.2, seed),
    options: { strategy: "random", samples: 1, maxDepth: 10_000_000, minimise: false },
    expect: "goal-found",
  },
  "bug-execute-retries": {
    description: "planted bug: the server executes a retried Append again; RESULTS_OK must fail",
    build: () =>
      checked(
        { workloads: [workload([[append("foo", "x"), appendResult("x")], [get("foo"), getResult("x")]])], server: { bugExecuteRetries: true } },
        false
      ),
    expect: "violation",
  },
  "bug-put-clobbers": {
    description: "planted bug: a Put also wipes the other keys; results look right, refinement of spec/kv must fail",
    build: () => checked(clobberSetup(clobberingKv), false),
    expect: "violation",
  },
  "bug-drop-seq": {
    description: "planted bug: the client never advances its sequence number; RESULTS_OK must fail",
    build: () => checked({ workloads: [basicWorkload], client: { bugDropSeq: true } }, false),
    expect: "violation",
  },
} satisfies Record<string, NamedTest>

export const clientServerModel: Model = {
  name: "clientserver",
  description: "exactly-once KV: client ids, sequence numbers, a dedup table, retries on a timer",
  params: {
    clients: { default: "2", int: { min: 1, max: 50 }, description: "number of clients" },
    ops: { default: "", int: { min: 1, max: 100_000 }, description: "operations per client (each test has its own default)" },
  },
  build: () => checked({ workloads: [basicWorkload] }, true),
  tests: CLIENTSERVER_TESTS,
}
