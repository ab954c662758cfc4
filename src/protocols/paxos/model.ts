/** Multi-Paxos replicated KV as a model: named tests after DSLabs lab 3, checked and simulated. */
import { type ConsensusState, consensusIsStep } from "../../../spec/consensus.ts"
import { type KvState, kvStepOf } from "../../../spec/kv.ts"
import { intParam } from "../../../spec/packed.ts"
import type { Model, Params } from "../../checker/model.ts"
import { Rng } from "../../checker/random.ts"
import { goal, invariant, prune, type StateProperty, type StepProperty } from "../../checker/transition-system.ts"
import { compile, type Event, type ProtocolState } from "../../core/compile.ts"
import { type Config, type FaultOptions, type NetworkOptions, type Workload, workload } from "../../core/config.ts"
import { append, appendResult, get, getResult, kvStore, put, putOk, type KVState } from "../../core/kv.ts"
import type { Address } from "../../core/node.ts"
import { appendsLinearizable, clientsDone, resultsOk } from "../../core/properties.ts"
import { show } from "../../core/show.ts"
import { historyLinearizable } from "../../core/linearizable.ts"
import { type Fault, type SimOptions, simDone, type TimedState, timed } from "../../core/timed.ts"
import { appendWorkload, privateKeyWorkload } from "../../core/workloads.ts"
import { storedAt } from "../../core/outbox.ts"
import type { World } from "../../core/world.ts"
import { refines } from "../../refinement/refinement.ts"
import { client, type PaxosState, server, type ServerOptions, slotStatus } from "./protocol.ts"

export interface Setup {
  readonly servers: number
  readonly workloads: ReadonlyArray<Workload>
  readonly network?: NetworkOptions
  readonly faults?: FaultOptions
  readonly server?: ServerOptions
  /** Whether timers fire in the checker (default true). */
  readonly timers?: boolean
}

export const serverNames = (n: number): Address[] => Array.from({ length: n }, (_, i) => `server${i + 1}`)

export const paxosConfig = (setup: Setup): Config => {
  const servers = serverNames(setup.servers)
  return {
    servers: servers.map((address) => ({ address, def: server(kvStore, servers, setup.server) })),
    clients: setup.workloads.map((w, i) => ({ address: `client${i + 1}`, def: client(servers), workload: w })),
    ...(setup.network ? { network: setup.network } : {}),
    ...(setup.faults ? { faults: setup.faults } : {}),
    ...(setup.timers === false ? { timers: false } : {}),
  }
}

type S = PaxosState<KVState>

/** A server's state: its live state, or what it persisted while it is down. */
const serverState = (w: World, i: number): S | undefined => {
  const n = w.nodes[i]!
  return (n.up ? n.state : storedAt(n.durable)) as S | undefined
}

/** A command's identity: a client command is named by its client and sequence number, a no-op by its slot. */
export const commandKey = (c: { readonly _tag: string } | undefined): string => {
  if (!c) return "?"
  if (c._tag === "AMOCommand") {
    const a = c as unknown as { readonly client: string; readonly seq: number }
    return `${a.client}#${a.seq}`
  }
  return c._tag === "Noop" ? "noop" : show(c)
}

// ---- properties ----------------------------------------------------------------------------------

/** LOGS_CONSISTENT: no two servers have different chosen commands for one slot. */
export const logsConsistent = (servers: number) => {
  const check = (w: World): string | undefined => {
    const seen = new Map<number, { by: number; text: string }>()
    for (let i = 0; i < servers; i++) {
      const s = serverState(w, i)
      if (!s) continue
      for (const slot of s.log.keys()) {
        const st = slotStatus(s, slot)
        if (st.status !== "chosen") continue
        const text = commandKey(st.command)
        const other = seen.get(slot)
        if (other && other.text !== text) return `slot ${slot}: server${other.by + 1} chose ${other.text}, server${i + 1} chose ${text}`
        if (!other) seen.set(slot, { by: i, text })
      }
    }
    return undefined
  }
  return invariant<ProtocolState>("LOGS_CONSISTENT", (w) => check(w) === undefined, check)
}

/** LOG_BOUNDED: compaction keeps every server's log at most `max` slots long. */
export const logBounded = (servers: number, max: number) => {
  const check = (w: World): string | undefined => {
    for (let i = 0; i < servers; i++) {
      const s = serverState(w, i)
      if (s && s.log.size > max) return `server${i + 1} holds ${s.log.size} log slots (cleared below ${s.cleared}, executed ${s.slotOut})`
    }
    return undefined
  }
  return invariant<ProtocolState>("LOG_BOUNDED", (w) => check(w) === undefined, check)
}

/** Client commands a server has executed (each client's commands run once, in sequence order). */
export const commandsExecuted = (s: S): number => {
  let n = 0
  for (const r of s.app.last.values()) n += r.seq
  return n
}

/** Goal: one server alone has executed `k` commands; every other server has executed fewer. */
export const oneServerExecuted = (servers: number, k: number) =>
  goal<ProtocolState>(`ONE_SERVER_EXECUTED_${k}`, (w) => {
    let ahead = 0
    for (let i = 0; i < servers; i++) {
      const s = serverState(w, i)
      if (!s) continue
      if (commandsExecuted(s) >= k) ahead++
    }
    return ahead === 1
  })

/** The chosen log, abstracted: the spec/consensus state. */
export const chosenLog = (servers: number) => (w: World): ConsensusState => {
  let base = 0
  const states: S[] = []
  for (let i = 0; i < servers; i++) {
    const s = serverState(w, i)
    if (!s) continue
    states.push(s)
    if (s.cleared > base) base = s.cleared
  }
  const chosen = new Map<number, string>()
  for (const s of states)
    for (const [slot, e] of s.log) if (e.chosen && slot >= base && !chosen.has(slot)) chosen.set(slot, commandKey(e.command))
  return { base, chosen: new Map([...chosen].sort((a, b) => a[0] - b[0])) }
}

/** Paxos's chosen log refines spec/consensus: per slot one value, and it stays chosen. */
export const refinesConsensus = (servers: number): StepProperty<ProtocolState, Event> =>
  refines<ProtocolState, Event, ConsensusState>({
    name: "REFINES_CONSENSUS",
    abs: chosenLog(servers),
    spec: { isStep: consensusIsStep },
    show: (a) => `base ${a.base}, chosen {${[...a.chosen].map(([k, v]) => `${k}: ${v}`).join(", ")}}`,
  })

/** The executed store of the most advanced server, as a spec/kv state. */
export const executedStore = (servers: number) => (w: World): KvState => {
  let best: S | undefined
  for (let i = 0; i < servers; i++) {
    const s = w.nodes[i]!.up ? (w.nodes[i]!.state as S) : undefined
    if (s && (!best || s.slotOut > best.slotOut)) best = s
  }
  const app = best?.app.app ?? new Map<string, string>()
  return Object.fromEntries([...app].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/**
 * The executed store refines spec/kv. Valid for one client: with one command in flight, no step
 * executes two state-changing commands at once (with several clients one step may execute several).
 */
export const refinesKv = (servers: number): StepProperty<ProtocolState, Event> =>
  refines<ProtocolState, Event, KvState>({ name: "REFINES_KV", abs: executedStore(servers), spec: { isStep: (a, b) => kvStepOf(a, b) !== undefined } })

// ---- configurations ------------------------------------------------------------------------------

const basicWorkload = workload([
  [put("foo", "bar"), putOk()],
  [append("foo", "baz"), appendResult("barbaz")],
  [get("foo"), getResult("barbaz")],
])

export interface CheckedSetup extends Setup {
  readonly goals?: ReadonlyArray<StateProperty<ProtocolState>>
}

export const checked = (setup: CheckedSetup) => {
  const config = paxosConfig(setup)
  const n = setup.servers
  return compile(config, {
    name: "paxos",
    properties: [resultsOk(config), appendsLinearizable(config), logsConsistent(n), ...(setup.goals ?? [])],
    stepProperties: [refinesConsensus(n), ...(setup.workloads.length === 1 ? [refinesKv(n)] : [])],
  })
}

export interface SimSetup {
  readonly servers: number
  readonly workloads: ReadonlyArray<Workload>
  readonly sim: SimOptions
  readonly server?: ServerOptions
  /** Check appends by APPENDS_LINEARIZABLE (its cost grows with the history: short runs only). */
  readonly appends?: boolean
  readonly logBound?: number
}

export const simulated = (setup: SimSetup, seed: number, name: string) => {
  const config = paxosConfig({ servers: setup.servers, workloads: setup.workloads, ...(setup.server ? { server: setup.server } : {}) })
  const n = setup.servers
  const props: Array<StateProperty<TimedState>> = [resultsOk(config), logsConsistent(n), ...(setup.appends ? [appendsLinearizable(config)] : [])]
  if (setup.logBound !== undefined) props.push(logBounded(n, setup.logBound))
  return timed(config, setup.sim, seed, { name, properties: [...props, historyLinearizable(), simDone()] })
}

/** Constant repartitioning: every `every` units a random majority/minority split (clients land on either side), or a heal. */
export const repartitions = (servers: number, clients: number, every: number, until: number, seed: number): Fault[] => {
  const rng = Rng.forSample(seed, 77)
  const names = serverNames(servers)
  const clientNames = Array.from({ length: clients }, (_, i) => `client${i + 1}`)
  const faults: Fault[] = []
  for (let t = every; t < until; t += every) {
    if (rng.next() < 0.25) {
      faults.push({ at: t, k: "heal" })
      continue
    }
    const shuffled = rng.shuffle([...names])
    const cut = Math.floor(servers / 2)
    const major = shuffled.slice(cut)
    const minor = shuffled.slice(0, cut)
    for (const c of clientNames) (rng.next() < 0.5 ? major : minor).push(c)
    faults.push({ at: t, k: "partition", groups: [major, minor] })
  }
  faults.push({ at: until, k: "heal" })
  return faults
}

const privateKeys = (clients: number, ops: number) => Array.from({ length: clients }, (_, i) => privateKeyWorkload(`client${i + 1}`, ops))
const RANDOM = { strategy: "random", samples: 1, maxDepth: 10_000_000, minimise: false } as const
const servers = (p: Params, d: number) => (p.servers ? intParam(p, "servers", d, 1, 9) : d)
const ops = (p: Params, d: number) => (p.ops ? intParam(p, "ops", d, 1, 100_000) : d)

/** Minority partition: server1 (the first leader) and client1 cut off from 200 to 2000; client2 is with the majority. */
export const MINORITY_PARTITION: ReadonlyArray<Fault> = [
  { at: 200, k: "partition", groups: [["server1", "client1"], ["server2", "server3", "client2"]] },
  { at: 2000, k: "heal" },
]

export const paxosModel: Model = {
  name: "paxos",
  description: "Multi-Paxos replicated log serving the exactly-once KV store: ballots, elections, no-op gaps, compaction",
  params: {
    servers: { default: "", description: "number of servers (each test has its own default)" },
    ops: { default: "", description: "operations per client (each test has its own default)" },
    clients: { default: "", description: "number of clients (exhaustive-stable-leader; default 2)" },
  },
  build: () => checked({ servers: 3, workloads: [basicWorkload], goals: [clientsDone()] }),
  tests: {
    "one-client-3": {
      description: "simulation: 3 servers, one client: put, append, get and 30 more operations, results right",
      build: (p, seed) => simulated({ servers: servers(p, 3), workloads: privateKeys(1, ops(p, 30)), sim: {} }, seed, "paxos one client"),
      options: RANDOM,
      expect: "goal-found",
    },
    "one-client-5": {
      description: "simulation: 5 servers, one client, results right",
      build: (p, seed) => simulated({ servers: servers(p, 5), workloads: privateKeys(1, ops(p, 30)), sim: {} }, seed, "paxos one client, 5 servers"),
      options: RANDOM,
      expect: "goal-found",
    },
    "sequential-clients-15": {
      description: "simulation: 15 clients, each running its own operations in sequence, 5 servers",
      build: (p, seed) => simulated({ servers: servers(p, 5), workloads: privateKeys(15, ops(p, 20)), sim: {} }, seed, "paxos 15 clients"),
      options: RANDOM,
      expect: "goal-found",
    },
    "concurrent-appends-25": {
      description: "simulation: 25 clients appending to one key at once; APPENDS_LINEARIZABLE",
      build: (p, seed) =>
        simulated(
          { servers: servers(p, 3), workloads: Array.from({ length: 25 }, (_, i) => appendWorkload(`client${i + 1}`, ops(p, 5))), sim: {}, appends: true },
          seed,
          "paxos 25 appenders"
        ),
      options: RANDOM,
      expect: "goal-found",
    },
    "minority-partition": {
      description: "simulation: the leader and client1 cut off in a minority; client2 progresses with the majority; after healing both finish",
      build: (p, seed) => simulated({ servers: 3, workloads: privateKeys(2, ops(p, 60)), sim: { faults: MINORITY_PARTITION } }, seed, "paxos minority partition"),
      options: RANDOM,
      expect: "goal-found",
    },
    "switching-partitions": {
      description: "simulation: the majority side moves between server groups every 300 units",
      build: (p, seed) =>
        simulated(
          {
            servers: 5,
            workloads: privateKeys(2, ops(p, 40)),
            sim: {
              faults: [
                { at: 100, k: "partition", groups: [["server1", "server2", "server3", "client1", "client2"], ["server4", "server5"]] },
                { at: 400, k: "partition", groups: [["server3", "server4", "server5", "client1", "client2"], ["server1", "server2"]] },
                { at: 700, k: "partition", groups: [["server1", "server4", "server5", "client1", "client2"], ["server2", "server3"]] },
                { at: 1000, k: "partition", groups: [["server1", "server2", "server5", "client1", "client2"], ["server3", "server4"]] },
                { at: 1300, k: "heal" },
              ],
            },
          },
          seed,
          "paxos switching partitions"
        ),
      options: RANDOM,
      expect: "goal-found",
    },
    "leader-crash-recovery": {
      description: "simulation: the leader crashes, a new leader takes over, the old one recovers from its persisted state and catches up",
      build: (p, seed) =>
        simulated(
          {
            servers: 3,
            workloads: privateKeys(2, ops(p, 60)),
            server: { persist: true },
            sim: { faults: [{ at: 150, k: "crash", node: "server1" }, { at: 900, k: "restart", node: "server1" }, { at: 1500, k: "crash", node: "server2" }, { at: 2200, k: "restart", node: "server2" }] },
          },
          seed,
          "paxos leader crash"
        ),
      options: RANDOM,
      expect: "goal-found",
    },
    "log-compaction-10000": {
      description: "simulation: 10,000 operations; LOG_BOUNDED: no server ever holds more than 50 log slots",
      build: (p, seed) => simulated({ servers: 3, workloads: privateKeys(2, ops(p, 5000)), sim: {}, logBound: 50 }, seed, "paxos compaction"),
      options: RANDOM,
      expect: "goal-found",
    },
    "unreliable-20": {
      description: "simulation: 20% of messages lost; clients finish with results right",
      build: (p, seed) => simulated({ servers: 3, workloads: privateKeys(3, ops(p, 30)), sim: { loss: 0.2 } }, seed, "paxos 20% loss"),
      options: RANDOM,
      expect: "goal-found",
    },
    "constant-repartitioning": {
      description: "simulation: a new random partition every 150 units for 6,000 units; clients finish (simReport gives the longest wait)",
      build: (p, seed) =>
        simulated({ servers: 5, workloads: privateKeys(3, ops(p, 40)), sim: { faults: repartitions(5, 3, 150, 6000, seed) } }, seed, "paxos repartitioning"),
      options: RANDOM,
      expect: "goal-found",
    },
    "bounded-one-client": {
      description: "bfs, 3 servers, one client, two operations: no slot gets two chosen values; refines consensus and KV (state budget)",
      build: () =>
        checked({ servers: 3, workloads: [workload([[put("foo", "x"), putOk()], [append("foo", "y"), appendResult("xy")]])] }),
      options: { maxStates: 40_000 },
      expect: "budget-exhausted",
    },
    "bounded-two-clients": {
      description: "bfs, 3 servers, two clients appending to one key: LOGS_CONSISTENT, APPENDS_LINEARIZABLE, refines consensus (state budget)",
      build: () => checked({ servers: 3, workloads: [appendWorkload("client1", 1), appendWorkload("client2", 1)] }),
      options: { maxStates: 40_000 },
      expect: "budget-exhausted",
    },
    "exhaustive-stable-leader": {
      description: "bfs, 3 servers, concurrent appenders, no timeouts (a stable leader): the whole space, every invariant and refinement",
      build: (p) =>
        checked({ servers: 3, workloads: Array.from({ length: p.clients ? Number(p.clients) : 2 }, (_, i) => appendWorkload(`client${i + 1}`, 1)), timers: false }),
      expect: "ok",
    },
    "goal-one-server-3": {
      description: "bfs with timers off (no elections or retries): a state where one server alone has executed 3 commands",
      build: () => checked({ servers: 3, workloads: [basicWorkload], timers: false, goals: [oneServerExecuted(3, 3)] }),
      options: { maxStates: 100_000 },
      expect: "goal-found",
    },
    "bug-accept-below-promise": {
      description: "planted bug: an acceptor accepts phase 2 below its promised ballot; LOGS_CONSISTENT must fail",
      build: () =>
        checked({
          servers: 3,
          workloads: [appendWorkload("client1", 1), appendWorkload("client2", 1)],
          server: { bugAcceptBelowPromise: true },
          // The bug needs one change of leader: searching only those runs gives BFS's shortest trace
          // in ~150k states, where the unpruned space needs twice that and random walks hit it by luck.
          goals: [prune<ProtocolState>("AT_MOST_ONE_BALLOT_CHANGE", (w) => w.nodes.some((n) => (n.state as { round?: number } | null)?.round !== undefined && (n.state as { round: number }).round > 1))],
        }),
      options: { strategy: "bfs", maxStates: 400_000 },
      expect: "violation",
    },
  },
}
