/** Ping-pong as a model: named tests after DSLabs lab 0 (ping a server until it answers). */
import { intParam } from "../../../spec/packed.ts"
import type { Model, Params } from "../../checker/model.ts"
import { invariant, prune, type StateProperty } from "../../checker/transition-system.ts"
import { compile, type ProtocolState } from "../../core/compile.ts"
import { type Config, type NetworkOptions, type Workload, workload } from "../../core/config.ts"
import { clientsDone, resultsOk } from "../../core/properties.ts"
import { simDone, timed } from "../../core/timed.ts"
import { pingClient } from "./client.ts"
import { Ping, pingServer, Pong } from "./server.ts"

export interface PingSetup {
  readonly workloads: ReadonlyArray<Workload>
  readonly network?: NetworkOptions
  /** Planted bug: the client sends each ping once and never retries. */
  readonly bugNoRetry?: boolean
}

export const pingConfig = (setup: PingSetup): Config => ({
  servers: [{ address: "server", def: pingServer }],
  clients: setup.workloads.map((w, i) => ({
    address: `client${i + 1}`,
    def: pingClient("server", setup.bugNoRetry ? { bugNoRetry: true } : {}),
    workload: w,
  })),
  ...(setup.network ? { network: setup.network } : {}),
})

/** `n` pings with distinct values; each must come back as the matching pong. */
export const pingWorkload = (client: string, n: number): Workload =>
  workload(Array.from({ length: n }, (_, i) => [new Ping({ value: `${client}.${i}` }), new Pong({ value: `${client}.${i}` })] as const))

/**
 * Invariant: a client waiting for a pong can still get one: some message is in flight or some timer
 * is armed. A client that never retries gets stuck once its ping or pong is lost.
 */
export const progressPossible = (): StateProperty<ProtocolState> =>
  invariant<ProtocolState>(
    "PROGRESS_POSSIBLE",
    (w) => !(w.net.length === 0 && w.nodes.every((n) => n.timers.length === 0) && w.nodes.some((n) => n.client?.pending)),
    () => "a client waits for a pong, but no message is in flight and no timer is armed"
  )

/** Prune: states with more than `n` messages in flight (retries on a lossy network are unbounded). */
export const inFlightAtMost = (n: number): StateProperty<ProtocolState> => prune(`IN_FLIGHT_AT_MOST_${n}`, (w) => w.net.length > n)

const checked = (setup: PingSetup, extra: ReadonlyArray<StateProperty<ProtocolState>>) => {
  const config = pingConfig(setup)
  return compile(config, { name: "pingpong", properties: [resultsOk(config), ...extra] })
}

const simulated = (clients: number, pings: number, loss: number, seed: number, bugNoRetry = false) => {
  const config = pingConfig({ workloads: Array.from({ length: clients }, (_, i) => pingWorkload(`client${i + 1}`, pings)), bugNoRetry })
  return timed(config, { loss, latency: [1, 10] }, seed, {
    name: `pingpong simulated, ${Math.round(loss * 100)}% loss`,
    properties: [resultsOk(config), simDone()],
  })
}

const clients = (p: Params) => intParam(p, "clients", 1, 1, 20)
const pings = (p: Params, d: number) => (p.pings ? intParam(p, "pings", d, 1, 100_000) : d)
const lossy: NetworkOptions = { delivery: "multiset", drops: true }
const SIM = { strategy: "random", samples: 1, maxDepth: 1_000_000, minimise: false } as const

export const pingPongModel: Model = {
  name: "pingpong",
  description: "DSLabs lab 0: a client pings a server, retrying on a timer until the matching pong arrives",
  params: {
    clients: { default: "1", int: { min: 1, max: 20 }, description: "number of clients" },
    pings: { default: "", int: { min: 1, max: 100_000 }, description: "pings per client (each test has its own default)" },
  },
  build: (p) => checked({ workloads: Array.from({ length: clients(p) }, (_, i) => pingWorkload(`client${i + 1}`, pings(p, 2))) }, [clientsDone()]),
  tests: {
    basic: {
      description: "pings come back as matching pongs; search reaches every client done",
      build: (p) => checked({ workloads: Array.from({ length: clients(p) }, (_, i) => pingWorkload(`client${i + 1}`, pings(p, 2))) }, [clientsDone()]),
      expect: "goal-found",
    },
    exhaustive: {
      description: "the whole space (duplicating network, retries, stale pongs): RESULTS_OK and PROGRESS_POSSIBLE everywhere",
      build: (p) =>
        checked({ workloads: Array.from({ length: clients(p) + 1 }, (_, i) => pingWorkload(`client${i + 1}`, pings(p, 2))) }, [progressPossible()]),
      expect: "ok",
    },
    "exhaustive-lossy": {
      description: "a network that consumes and drops messages, at most 3 in flight, the whole space: the client can always still finish",
      build: (p) => checked({ workloads: [pingWorkload("client1", pings(p, 2))], network: lossy }, [progressPossible(), inFlightAtMost(3)]),
      expect: "ok",
    },
    "lossy-done": {
      description: "on a network that drops messages, some schedule still gets every client done",
      build: (p) => checked({ workloads: [pingWorkload("client1", pings(p, 2))], network: lossy }, [clientsDone()]),
      expect: "goal-found",
    },
    "unreliable-50": {
      description: "simulation: a network that loses half of all messages; the client finishes, results right",
      build: (p, seed) => simulated(clients(p), pings(p, 20), 0.5, seed),
      options: SIM,
      expect: "goal-found",
    },
    "bug-no-retry": {
      description: "planted bug: the client never resends a ping; once it is dropped the client is stuck (PROGRESS_POSSIBLE fails)",
      build: (p) => checked({ workloads: [pingWorkload("client1", pings(p, 2))], network: lossy, bugNoRetry: true }, [progressPossible()]),
      expect: "violation",
    },
    "bug-no-retry-unreliable": {
      description: "planted bug, simulated: without retries, a client on a 50%-loss network never finishes",
      build: (p, seed) => simulated(clients(p), pings(p, 20), 0.5, seed, true),
      options: SIM,
      expect: "goal-not-found",
    },
  },
}
