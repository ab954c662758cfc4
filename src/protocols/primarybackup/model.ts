/** View-based primary-backup KV as a model: named tests after DSLabs lab 2, checked and simulated. */
import type { Model, NamedTest, Params } from "../../checker/model.ts"
import { explore } from "../../checker/explore.ts"
import { findStep, lastState } from "../../checker/path.ts"
import { goal, type StateProperty, startingFrom, withProperties } from "../../checker/transition-system.ts"
import { compile, type Event, type ProtocolState } from "../../core/compile.ts"
import type { Path } from "../../checker/result.ts"
import { type Config, type FaultOptions, type NetworkOptions, type Workload, workload } from "../../core/config.ts"
import { append, appendResult, get, getResult, kvStore, put, putOk } from "../../core/kv.ts"
import type { Address } from "../../core/node.ts"
import { appendsLinearizable, resultsOk } from "../../core/properties.ts"
import { historyLinearizable } from "../../core/linearizable.ts"
import { type Fault, type SimOptions, simDone, type TimedState, timed } from "../../core/timed.ts"
import { afterPath, pathSystem } from "../../checker/staged.ts"
import { drawFaults, explainedRun, simHuntSystem } from "../../core/swarm.ts"
import { privateKeyWorkload } from "../../core/workloads.ts"
import { allClientsDone } from "../../core/properties.ts"
import type { World } from "../../core/world.ts"
import { role } from "../../core/roles.ts"
import { type ClientState, client } from "./client.ts"
import { ackedOpsReplicated, backupAppointed, backupMirrors, doneAfterFailover, doneBeforeFailover, onePrimaryPerView, serverRole, viewsUpTo, vsState } from "./properties.ts"
import { viewWellFormed } from "./view-well-formed.ts"
import { ackedViewHeld } from "./acked-view-held.ts"
import { inflightUnexecuted } from "./inflight-unexecuted.ts"
import { type ServerOptions, server, viewServer } from "./server.ts"
import { inFlightAtMost, underFairDelivery } from "../../core/fair.ts"
import { Effect } from "effect"
import { failoverLive } from "./liveness-failover.ts"
import { viewsLive } from "./liveness-views.ts"
import { clientFollowsPrimary, requestTaken } from "./prompt-steps.ts"
import { liveServersKept, viewChangeAcked, viewNumbered, viewReplyCurrent, viewsOfLiveServers } from "./views-of-live.ts"
import { stableViewLossyLive } from "./liveness-lossy.ts"
import { STALE_ACK_TESTS } from "./stale-ack.ts"
import { FAILOVER_THIRD_TESTS } from "./failover-third.ts"

import { PING_CHECK_MILLIS as PING_CHECK, VIEW_SERVICE } from "./messages.ts"
import type { Rng } from "../../checker/random.ts"
export { VIEW_SERVICE }

export interface Setup {
  readonly servers: number
  readonly workloads: ReadonlyArray<Workload>
  readonly network?: NetworkOptions
  readonly faults?: FaultOptions
  readonly server?: ServerOptions
}

export const serverNames = (n: number): Address[] => Array.from({ length: n }, (_, i) => `server${i + 1}`)

/** Node 0 is the view service, nodes 1..n the servers, then the clients. */
export const primaryBackupConfig = (setup: Setup): Config => ({
  servers: [
    { address: VIEW_SERVICE, def: viewServer },
    ...serverNames(setup.servers).map((address) => ({ address, def: server(kvStore, VIEW_SERVICE, setup.server) })),
  ],
  clients: setup.workloads.map((w, i) => ({ address: `client${i + 1}`, def: client(VIEW_SERVICE), workload: w })),
  ...(setup.network ? { network: setup.network } : {}),
  // Crashed servers stay down (as in DSLabs lab 2): a restarted server would have lost its state.
  faults: { crashable: serverNames(setup.servers), restarts: false, ...setup.faults },
})

/** APPENDS_LINEARIZABLE assumes a key only ever sees appends: checked configurations only, not the private-key workloads. */
const invariants = (config: Config, servers: number, appends = false) => [
  resultsOk(config),
  ...(appends ? [appendsLinearizable(config)] : []),
  onePrimaryPerView(servers),
  ackedOpsReplicated(config),
  backupMirrors(servers, kvStore),
  viewWellFormed(),
  ackedViewHeld(),
  inflightUnexecuted(servers),
]

export interface CheckedSetup extends Setup {
  readonly extra?: ReadonlyArray<StateProperty<ProtocolState>>
  /** Check APPENDS_LINEARIZABLE (default true: workloads of appends only). */
  readonly appends?: boolean
}

export const checked = (setup: CheckedSetup) => {
  const config = primaryBackupConfig(setup)
  return compile(config, {
    name: "primarybackup",
    properties: [...invariants(config, setup.servers, setup.appends ?? true), ...(setup.extra ?? [])],
    // REQUEST_TAKEN reads the delivered request, declared (prompt-steps.ts): every search keeps BFS's fast path (session 14).
    stepProperties: [viewChangeAcked(), liveServersKept(), viewNumbered(), requestTaken(setup.servers), viewReplyCurrent()],
  })
}

export interface SimSetup {
  readonly servers: number
  readonly workloads: ReadonlyArray<Workload>
  readonly sim: SimOptions
  readonly server?: ServerOptions
  readonly goal?: StateProperty<TimedState>
}

export const simulated = (setup: SimSetup, seed: number, name: string) => {
  const config = primaryBackupConfig({ servers: setup.servers, workloads: setup.workloads, ...(setup.server ? { server: setup.server } : {}) })
  return timed(config, setup.sim, seed, { name, properties: [...invariants(config, setup.servers), historyLinearizable(), setup.goal ?? simDone()] })
}

/** The interleaving model of a simulated setup (any server may crash), with the invariants the simulation checks. */
const interleavedOf = (setup: SimSetup) =>
  checked({
    servers: setup.servers,
    workloads: setup.workloads,
    faults: { maxCrashed: setup.servers },
    appends: false,
    extra: [historyLinearizable<ProtocolState>()],
    ...(setup.server ? { server: setup.server } : {}),
  })

/**
 * One seeded simulated run; a run that breaks an invariant is lifted to the interleaving model and
 * minimised there (core/swarm.ts), so its trace is the few steps the bug needs.
 */
const explained = (setup: SimSetup, seed: number, name: string) => explainedRun(simulated(setup, seed, name), seed, () => interleavedOf(setup))

/** Simulated runs per hunt (the `runs` parameter). */
export const HUNT_RUNS = 150

/**
 * A bug hunt: `runs` simulated runs of `servers` servers and `clients` clients, each with its own fault
 * mix (core/swarm.ts) and one to three crashes of whoever is primary or backup at a random time; a
 * violation is lifted to the interleaving model and minimised.
 */
export const simHunt = (servers: number, clients: number, ops: number, horizon: number, server?: ServerOptions) => (p: Params, seed: number) => {
  const setup = (sim: SimOptions): SimSetup => ({ servers, workloads: privateKeys(clients, ops), sim, ...(server ? { server } : {}) })
  return simHuntSystem({
    runs: p.runs ? Number(p.runs) : HUNT_RUNS,
    seed,
    simulate: (rng, runSeed) => {
      const roleCrashes = Array.from({ length: rng.range(1, Math.min(3, servers - 1)) }, (): readonly [number, Role] => [rng.range(100, horizon - 200), rng.next() < 0.6 ? "primary" : "backup"])
      return simulated(setup({ ...drawFaults(rng, horizon, { crashes: false }), faults: crashes(roleCrashes.sort((a, b) => a[0] - b[0])) }), runSeed, "primary-backup hunt")
    },
    interleaved: interleavedOf(setup({})),
  })
}

/**
 * Servers cut off one at a time while they stay up: at random times a random server is partitioned
 * away from the view service, the other servers and the clients for long enough to miss two ping
 * checks (so the view moves on without it), then the network heals and it comes back as the backup
 * of a later view.
 */
export const isolations = (rng: Rng, horizon: number, servers: number, clients: number): Fault[] => {
  const faults: Fault[] = []
  const names = serverNames(servers)
  for (let t = rng.range(50, 250); t < horizon - 300; ) {
    const cut = names[rng.int(servers)]!
    const rest = [VIEW_SERVICE, ...names.filter((n) => n !== cut), ...Array.from({ length: clients }, (_, i) => `client${i + 1}`)]
    faults.push({ at: t, k: "partition", groups: [rest, [cut]] })
    const healed = t + rng.range(2 * PING_CHECK, 3 * PING_CHECK)
    faults.push({ at: healed, k: "heal" })
    t = healed + rng.range(PING_CHECK, 3 * PING_CHECK)
  }
  return faults
}

/**
 * A hunt for stale messages: `runs` simulated runs in which servers stay up but are cut off one at a
 * time (`isolations`), so views change again and again and a server returns as the backup of a later
 * view, while the network duplicates messages and delivers the copies late (up to hundreds of time
 * units: a Forward, StateTransfer or ack of an older view arrives after the view moved on). A
 * violation is lifted to the interleaving model and minimised.
 */
export const staleHunt = (servers: number, clients: number, ops: number, horizon: number) => (p: Params, seed: number) => {
  const setup = (sim: SimOptions): SimSetup => ({ servers, workloads: privateKeys(clients, ops), sim })
  return simHuntSystem({
    runs: p.runs ? Number(p.runs) : HUNT_RUNS,
    seed,
    simulate: (rng, runSeed) =>
      simulated(
        setup({
          maxTime: horizon,
          latency: [1, rng.range(5, 40)],
          duplicate: rng.range(5, 40) / 100,
          duplicateLatency: [1, rng.range(100, 700)],
          ...(rng.next() < 0.5 ? { loss: rng.range(1, 15) / 100 } : {}),
          faults: isolations(rng, horizon, servers, clients),
        }),
        runSeed,
        "primary-backup stale-message hunt"
      ),
    interleaved: interleavedOf(setup({})),
  })
}

/**
 * Guided search for a failover: phase one searches (bfs) for the first acknowledged view with a
 * backup; there the primary crashes; phase two (the returned system) searches on from that state
 * for every client done after a failover.
 */
export const failoverSearch = () => {
  const setup: CheckedSetup = {
    servers: 2,
    workloads: [workload([[append("foo", "x"), appendResult("x")], [get("foo"), getResult("x")]])],
    faults: { maxCrashed: 1 },
  }
  const phase1 = checked({ ...setup, extra: [backupAppointed()] })
  const found = explore(phase1, { maxStates: 100_000 })
  if (found.verdict !== "goal-found" || !found.path) throw new Error(`failover search, phase one: ${found.verdict}`)
  const appointed = lastState(found.path)
  const primary = vsState(appointed).view.primary!
  const phase2 = checked({ ...setup, extra: [doneAfterFailover(2), doneBeforeFailover(2)] })
  const crash = findStep(phase2, appointed, `crash ${primary}`)
  if (!crash) throw new Error(`failover search: cannot crash ${primary}`)
  return startingFrom(phase2, [crash.next])
}

/**
 * A staged search: each phase a BFS of the checked configuration from where the phase before stopped
 * (along the path so far, so traces start from the initial state and replay on the configuration),
 * until its goal; the last phase is the returned system, searched on from the last goal state with
 * every invariant. A phase that breaks an invariant on its way is returned as that path. Stages steer the
 * search through the view changes a bug needs (a server cut off and back) without the whole space.
 */
export const stagedSearch = (setup: CheckedSetup, phases: ReadonlyArray<StateProperty<ProtocolState>>, maxStates = 200_000) => {
  let prefix: Path<ProtocolState, Event> | undefined
  for (const [i, g] of phases.entries()) {
    const sys = checked({ ...setup, extra: [...(setup.extra ?? []), g] })
    const phase = prefix ? afterPath(sys, prefix) : sys
    const found = explore(phase, { maxStates })
    if (found.verdict === "violation" && found.path) return pathSystem(sys, found.path)
    if (found.verdict !== "goal-found" || !found.path) throw new Error(`staged search, phase ${i + 1} (${g.name}): ${found.verdict}`)
    prefix = found.path
  }
  const last = checked(setup)
  return prefix ? afterPath(last, prefix) : last
}

const view = (w: World) => vsState(w).view
const server1 = serverRole(0)
/** Goal: view 2 acknowledged (server1 primary, server2 backup) with an operation in flight at the primary. */
const forwardedInView2 = goal<ProtocolState>("FORWARDED_IN_VIEW_2", (w) => vsState(w).acked && view(w).num === 2 && server1.state(w)?.inflight != null)
/** Goal: view 2 acknowledged (server1 primary, server2 backup). */
const view2Acked = goal<ProtocolState>("VIEW_2_ACKED", (w) => vsState(w).acked && view(w).num === 2)
/** Goal: the view service and `primary` at view `num` with these roles (and, if `done`, every client finished). */
const viewKnown = (num: number, primary: Address, backup: Address | null, done = false) =>
  goal<ProtocolState>(`VIEW_${num}_${primary}_${backup}${done ? "_CLIENTS_DONE" : ""}`, (w) => {
    const v = view(w)
    return v.num === num && v.primary === primary && v.backup === backup && serverRole(Number(primary.slice(6)) - 1).state(w)?.view.num === num && (!done || allClientsDone(w))
  })

/**
 * Goal: view 2 acknowledged with the client's first operation answered and its second (a Get) sent to
 * server1, the primary then; the duplicating network keeps that Get deliverable in later views.
 */
const getSentInView2 = goal<ProtocolState>("GET_SENT_IN_VIEW_2", (w) => vsState(w).acked && view(w).num === 2 && role<ClientState>(3, "client1").state(w)?.seq === 2)

/** Staged: one client's append forwarded in view 2, then `view4` reached; from there every invariant, views above 4 pruned. */
const staleAfter = (view4: StateProperty<ProtocolState>) =>
  stagedSearch({ servers: 2, workloads: [workload([[append("foo", "x"), appendResult("x")]])], extra: [viewsUpTo(4)] }, [forwardedInView2, view4])

// ---- configurations ------------------------------------------------------------------------------

const basicWorkload = workload([
  [put("foo", "bar"), putOk()],
  [append("foo", "baz"), appendResult("barbaz")],
  [get("foo"), getResult("barbaz")],
])

const privateKeys = (clients: number, ops: number) => Array.from({ length: clients }, (_, i) => privateKeyWorkload(`client${i + 1}`, ops))
const RANDOM = { strategy: "random", samples: 1, maxDepth: 10_000_000, minimise: false } as const
/** Simulated time after which a failover test gives up (goal not reached): they finish by about 3,000; a client stuck at a dead primary would ping on forever. */
const GIVE_UP = 30_000
const ops = (p: Params, d: number) => (p.ops ? Number(p.ops) : d)

/** Crash schedules by role: each crash hits whoever holds the role in the view service's view then. */
export type Role = "primary" | "backup"
export const PRIMARY_CRASH: ReadonlyArray<readonly [number, Role]> = [[300, "primary"]]
export const BACKUP_REPLACED: ReadonlyArray<readonly [number, Role]> = [[300, "backup"], [800, "primary"]]
export const REPEATED_FAILOVERS: ReadonlyArray<readonly [number, Role]> = [[300, "primary"], [800, "primary"], [1300, "primary"]]

const crashes = (at: ReadonlyArray<readonly [number, Role]>): Fault[] =>
  at.map(([t, role]) => ({ at: t, k: "crash", node: (w: World) => vsState(w).view[role] ?? undefined }))

/**
 * Liveness under fair delivery with a stable primary: the view service, one server (the primary of
 * view 1 for good: with a second server the lossy space is millions of states), one client's append,
 * a network that reorders and drops; views past 2 are pruned and at most `inFlight` messages are in
 * flight.
 */
const stablePrimaryLive = (inFlight: number, bugNoRetry = false) => {
  const setup: Setup = { servers: 1, workloads: [workload([[append("foo", "x"), appendResult("x")]])], network: { delivery: "multiset", drops: true } }
  const base = primaryBackupConfig(setup)
  // Planted bug (a wrapper: the client has no such option): the retry timer fires and re-sends nothing.
  const config = bugNoRetry ? { ...base, clients: base.clients.map((c) => ({ ...c, def: { ...c.def, onTimer: { ...c.def.onTimer, ClientTimer: noRetry } } })) } : base
  return underFairDelivery(compile(config, { name: "primarybackup", properties: [...invariants(config, 1, true), viewsUpTo(2), inFlightAtMost(inFlight)] }))
}
const noRetry = Effect.fnUntraced(function* (s: unknown) {
  return s
})

/** The named tests, keyed by name (proofs refer to them by these keys, checked by the type checker). */
export const PRIMARYBACKUP_TESTS = {
  "hunt-swarm-3": {
    description:
      "bug hunt: 3 servers, 2 clients with 8 operations each; simulated runs each with its own mix of loss, duplication, partitions and latency and 1-2 crashes of the primary or backup of the moment; a violation is lifted to the interleaving model and minimised",
    build: simHunt(3, 2, 8, 1500),
    options: { strategy: "bfs", seed: 1 },
    expect: "ok",
  },
  "hunt-stale-2": {
    description:
      "bug hunt for stale messages: 2 servers, 2 clients with 6 operations each; each simulated run cuts servers off one at a time (they stay up, miss two ping checks, and come back as the backup of a later view) and duplicates messages with late re-deliveries (an old view's Forward, StateTransfer or ack arrives after the view moved on); a violation is lifted to the interleaving model and minimised",
    build: staleHunt(2, 2, 6, 2500),
    options: { strategy: "bfs", seed: 1 },
    expect: "ok",
  },
  "stale-after-rejoin": {
    description:
      "staged search: 2 servers, one client's append; bfs to view 2 acknowledged with the append forwarded, then to view 4 where the backup, cut off for view 3, is back; then bfs (views above 4 pruned) with every view-2 message still deliverable",
    build: () => staleAfter(viewKnown(4, "server1", "server2")),
    options: { maxStates: 100_000 },
    expect: "ok",
  },
  "stale-after-rejoin-done": {
    description:
      "staged search: as stale-after-rejoin, but the client's append completes in view 3, served by the primary alone, before the backup is back in view 4",
    build: () => staleAfter(viewKnown(4, "server1", "server2", true)),
    options: { maxStates: 100_000 },
    expect: "ok",
  },
  "stale-after-swap": {
    description:
      "staged search: 2 servers, one client's append; bfs to view 2 acknowledged with the append forwarded, then to view 4 where the backup took over (view 3) and the old primary is back as its backup; then bfs (views above 4 pruned) with every older message still deliverable",
    build: () => staleAfter(viewKnown(4, "server2", "server1")),
    options: { maxStates: 100_000 },
    expect: "ok",
  },
  "stale-read-after-swap": {
    description:
      "staged search (session 14): 2 servers, one client's append then get; bfs to view 2 acknowledged with the append answered and the get sent to server1, the primary; then to view 4 where server2 took over (view 3) and server1 is back as its backup; then bfs (views above 4 pruned): the get reaching server1 as backup must go unanswered (a backup that serves reads, blind mutant backup-serves-reads, breaks BACKUP_MIRRORS_PRIMARY)",
    build: () =>
      stagedSearch({ servers: 2, workloads: [workload([[append("foo", "x"), appendResult("x")], [get("foo"), getResult("x")]])], extra: [viewsUpTo(4)] }, [getSentInView2, viewKnown(4, "server2", "server1")]),
    options: { maxStates: 100_000 },
    expect: "ok",
  },
  "hunt-swarm-4": {
    description: "bug hunt: 4 servers, 2 clients with 8 operations each, up to 3 crashes of the primary or backup of the moment; as hunt-swarm-3",
    build: simHunt(4, 2, 8, 2000),
    options: { strategy: "bfs", seed: 1 },
    expect: "ok",
  },
  basic: {
    description: "simulation: one client's put, append, get against 2 servers; results right",
    build: (_p, seed) => explained({ servers: 2, workloads: [basicWorkload], sim: {} }, seed, "primary-backup basic"),
    options: RANDOM,
    expect: "goal-found",
  },
  "primary-then-backup": {
    description: "simulation: the view service appoints a primary (view 1), then a backup (view 2), acknowledged",
    build: (_p, seed) =>
      explained({ servers: 2, workloads: [], sim: { stopWhenDone: false, maxTime: 2000 }, goal: backupAppointed() as StateProperty<TimedState> }, seed, "views"),
    options: RANDOM,
    expect: "goal-found",
  },
  "primary-crash": {
    description: "simulation: the primary of the moment crashes mid-run; the backup takes over with every acknowledged write",
    build: (p, seed) =>
      explained({ servers: 3, workloads: privateKeys(2, ops(p, 40)), sim: { faults: crashes(PRIMARY_CRASH), maxTime: GIVE_UP } }, seed, "primary crash"),
    options: RANDOM,
    expect: "goal-found",
  },
  "backup-replaced": {
    description: "simulation: the backup crashes, the idle server becomes backup by state transfer, then the primary crashes and the new backup serves alone",
    build: (p, seed) => explained({ servers: 3, workloads: privateKeys(2, ops(p, 60)), sim: { faults: crashes(BACKUP_REPLACED), maxTime: GIVE_UP } }, seed, "backup replaced"),
    options: RANDOM,
    expect: "goal-found",
  },
  "repeated-failovers": {
    description: "simulation: 5 servers; the primary of the moment crashes three times while clients run",
    build: (p, seed) => explained({ servers: 5, workloads: privateKeys(3, ops(p, 60)), sim: { faults: crashes(REPEATED_FAILOVERS), maxTime: GIVE_UP } }, seed, "repeated failovers"),
    options: RANDOM,
    expect: "goal-found",
  },
  "prompt-service": {
    description:
      "simulation: 3 servers, 4 clients with 20 operations each on a reliable network all finish by time 1300 (about 1000 is usual): the primary queues what arrives while an operation is in flight and forwards it on the backup's ack, so no client waits for its retry timer",
    build: (p, seed) => explained({ servers: 3, workloads: privateKeys(4, ops(p, 20)), sim: { maxTime: 1300 } }, seed, "prompt service"),
    options: RANDOM,
    expect: "goal-found",
  },
  "unreliable-20": {
    description: "simulation: 20% of messages lost; clients finish with results right",
    build: (p, seed) => explained({ servers: 3, workloads: privateKeys(2, ops(p, 30)), sim: { loss: 0.2 } }, seed, "20% loss"),
    options: RANDOM,
    expect: "goal-found",
  },
  "exhaustive-small": {
    description: "bfs: view service, 2 servers, one client with one append; every invariant, views pruned above 2",
    build: () => checked({ servers: 2, workloads: [workload([[append("foo", "x"), appendResult("x")]])], extra: [viewsUpTo(2)] }),
    options: { maxStates: 300_000 },
    expect: "ok",
  },
  "exhaustive-one-server": {
    description:
      "bfs (session 11): view service, one server, one client's put, append and get on a network that keeps every message (replies arrive again late), views pruned above 1: the whole space; a late reply to an earlier request is never taken for the answer to a later one (RESULTS_OK)",
    build: () => checked({ servers: 1, workloads: [basicWorkload], appends: false, extra: [viewsUpTo(1)] }),
    options: { maxStates: 100_000 },
    expect: "ok",
  },
  "failover-search": {
    description:
      "two-phase search: bfs to the first acknowledged view with a backup, crash its primary there, then bfs until the client's operations complete after the backup took over",
    build: () => failoverSearch(),
    options: { maxStates: 200_000 },
    expect: "goal-found",
  },
  "bug-answer-before-backup": {
    description: "planted bug: the primary answers before the backup acknowledged; BACKUP_MIRRORS_PRIMARY (or, later, ACKED_OPS_REPLICATED) must fail",
    build: () => checked({ servers: 2, workloads: [workload([[append("foo", "x"), appendResult("x")]])], server: { bugAnswerBeforeBackup: true } }),
    options: { strategy: "random", samples: 20_000, maxDepth: 40 },
    expect: "violation",
  },
  "live-requests-complete": {
    description: "liveness: every client request completes under fair delivery with a stable primary (one server, lossy network, client retries; at most 3 in flight)",
    build: () => stablePrimaryLive(3),
    options: { strategy: "bfs" },
    expect: "ok",
  },
  "bug-live-no-client-retry": {
    description: "planted liveness bug: the client's retry timer re-sends nothing; a lasso where its request is lost and the servers ping forever",
    build: () => stablePrimaryLive(3, true),
    options: { strategy: "bfs" },
    expect: "violation",
  },
  "live-failover": {
    description:
      "liveness across a view change: view service, 2 servers, one client's append, a network delivering in any order (nothing lost, at most 3 in flight), views up to 3 (the view service may miss a live primary's pings and promote the backup); staged to view 2 acknowledged with the append sent to server1, then every behaviour: under fair delivery the request completes (the client's retry finds the new primary)",
    build: () => failoverLive(),
    options: { strategy: "bfs" },
    expect: "ok",
  },
  "bug-live-retry-no-getview": {
    description: "planted liveness bug: the client retries at the primary it knows and never asks the view service again; a lasso where the view moved on and the client retries at the old primary forever",
    build: () => failoverLive(true),
    options: { strategy: "bfs" },
    expect: "violation",
  },
  "live-primary-crash": {
    description:
      "liveness across a crash (designed after the fact, session 6b): as live-failover, and at the stage the primary of view 2 crashes (one crash, no restart); under fair delivery the view service promotes the backup and the request completes",
    build: () => failoverLive(false, "primary"),
    options: { strategy: "bfs" },
    expect: "ok",
  },
  "live-backup-crash": {
    description:
      "liveness across a crash (designed after the fact, session 6b): as live-failover, and at the stage the backup of view 2 crashes (one crash, no restart); under fair delivery the view service drops it from the view and the primary serves alone",
    build: () => failoverLive(false, "backup"),
    options: { strategy: "bfs" },
    expect: "ok",
  },
  "live-views": {
    description:
      "liveness of the view service (designed after the fact, session 6b): view service and 2 servers, no clients, no crash, delivery in any order (at most 3 in flight), views up to 2; under fair delivery the view service's view is acknowledged by its primary again and again ([]<>)",
    build: () => viewsLive(),
    options: { strategy: "bfs" },
    expect: "ok",
  },
  "prompt-failovers": {
    description:
      "simulation (session 7): 5 servers, 3 clients with 20 operations each on a reliable network, the primary of the moment crashing at 300 and 800 (the schedule's third crash, at 1300, is past the deadline); all finish by time 1200 (about 1,050-1,180 is usual): each failover costs the view service's detection and the state transfer, and a client that learns the new primary from the view service sends to it at once, not on its next retry",
    build: (p, seed) =>
      explained({ servers: 5, workloads: privateKeys(3, ops(p, 20)), sim: { faults: crashes(REPEATED_FAILOVERS), maxTime: 1200 } }, seed, "prompt failovers"),
    options: RANDOM,
    expect: "goal-found",
  },
  "staged-second-client-queued": {
    description:
      "staged search (session 8; view service, 2 servers, two clients' puts, views up to 2): BFS until view 2 is acknowledged with one put forwarded to the backup; BFS on until both clients finish: the other client's put, reaching the primary meanwhile, must be queued (REQUEST_TAKEN), and a client that learns the primary sends it its request at once (CLIENT_FOLLOWS_PRIMARY): prompt-steps.ts",
    build: () => {
      const sys = stagedSearch({ servers: 2, workloads: privateKeys(2, 1), appends: false, extra: [viewsUpTo(2)] }, [forwardedInView2])
      return withProperties(sys, [...sys.properties, goal<ProtocolState>("CLIENTS_DONE", allClientsDone)], [...(sys.stepProperties ?? []), clientFollowsPrimary<Event>(3)])
    },
    options: { strategy: "bfs", maxStates: 100_000 },
    expect: "goal-found",
  },
  "staged-view-after-crash": {
    description:
      "staged search (session 9; view service, 2 servers, no clients, one crash, views up to 3): BFS until view 2 is acknowledged; then BFS on, either server may crash: every view the view service moves to names only servers that pinged since its last ping check (VIEWS_OF_LIVE_SERVERS, views-of-live.ts)",
    build: () => {
      const sys = stagedSearch({ servers: 2, workloads: [], faults: { maxCrashed: 1 }, extra: [viewsUpTo(3)] }, [view2Acked])
      return withProperties(sys, sys.properties, [...(sys.stepProperties ?? []), viewsOfLiveServers<Event>()])
    },
    options: { strategy: "bfs", maxStates: 50_000 },
    expect: "ok",
  },
  "live-lossy-view": {
    description:
      "liveness (session 9): view service, 2 servers, one client's append, a network that loses messages and delivers in any order (at most 3 in flight), views up to 2; staged at view 2 acknowledged with the append sent to the primary: under fair delivery every behaviour that keeps the view completes it (the primary re-sends a Forward or its ack lost): liveness-lossy.ts",
    build: () => stableViewLossyLive(),
    options: { strategy: "bfs" },
    expect: "ok",
  },
} satisfies Record<string, NamedTest>

export const primaryBackupModel: Model = {
  name: "primarybackup",
  description: "view-based primary-backup KV: a view service, forwarding to the backup, state transfer, exactly-once",
  params: {
    ops: { default: "", int: { min: 1, max: 100_000 }, description: "operations per client (each test has its own default)" },
    runs: { default: String(HUNT_RUNS), int: { min: 1, max: 100_000 }, description: "bug hunts: simulated runs" },
  },
  build: () => checked({ servers: 2, workloads: [basicWorkload] }),
  tests: { ...PRIMARYBACKUP_TESTS, ...STALE_ACK_TESTS, ...FAILOVER_THIRD_TESTS },
}
