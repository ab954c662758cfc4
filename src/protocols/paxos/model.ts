/** Multi-Paxos replicated KV as a model: named tests after DSLabs lab 3, checked and simulated. */
import { Effect } from "effect"
import { symmetricClients } from "../../core/symmetry.ts"
import { intParam } from "../../../spec/packed.ts"
import type { Model, NamedTest, Params } from "../../checker/model.ts"
import { Rng } from "../../checker/random.ts"
import { deriveSeed } from "../../checker/hash.ts"
import { invariant, prune, type StateProperty, type StepProperty, type TransitionSystem, withProperties } from "../../checker/transition-system.ts"
import { compile, type Event, type ProtocolState } from "../../core/compile.ts"
import { partitionLink } from "../../core/execute.ts"
import { type Config, type FaultOptions, type NetworkOptions, type Workload, workload } from "../../core/config.ts"
import { append, appendResult, get, getResult, keyNotFound, kvStore, put, putOk, type KVState } from "../../core/kv.ts"
import type { Address } from "../../core/node.ts"
import { appendsLinearizable, clientsDone, resultsOk } from "../../core/properties.ts"
import { historyLinearizable } from "../../core/linearizable.ts"
import { type Fault, type SimOptions, simDone, type TimedState, timed } from "../../core/timed.ts"
import { appendWorkload, privateKeyWorkload } from "../../core/workloads.ts"
import type { World } from "../../core/world.ts"
import { refinesKv } from "../../core/kv-refinement.ts"
import { readsNodes } from "../../core/step-reads.ts"
import { type ClientOptions, exactlyOnceClient } from "../../core/exactly-once.ts"
import { inFlightAtMost, requestsComplete, underFairDelivery } from "../../core/fair.ts"
import { roles } from "../../core/roles.ts"
import { appliedConsistent, catchUpPossible, cmpBallot, dedupComplete, type Deduped, executedOnce, followersCurrent, logBounded, logsConsistent, oneServerExecuted, paxosSpecInvariants, persistedReplica, type Replica, stableLeader, type Store } from "./properties.ts"
import { afterCompaction, deposedReader, duellingLeaders, noopCompaction, noopLastCompaction, laggingFollower, lowerRoundRival, leadershipComesBack, onlyCampaigners, orphanedCommand, ownStaleProposal, staleVotes } from "./targeted.ts"
import { ballotChangesAtMost, crashesAtMost } from "../../core/bounds.ts"
import { firstBreakingRun, swarm, type SwarmMix, swarmSimOptions } from "../../core/swarm.ts"
import { scriptedFaults } from "./scenarios.ts"
import { allClientsDone } from "../../core/properties.ts"
import type { CheckOptions } from "../../checker/result.ts"
import { refinesConsensus } from "./refinement.ts"
import { acceptorDurable, type DurableReplica, executedStored, recoversStored, reportsStored, storageReplayable } from "./properties-durable.ts"
import { candidateCountsItself, leaderLogContiguous, leaderSendsOwnBallot, promisesOnlyRise, proposalsPursued, quorumActs, stepsDownOnlyToHigher } from "./properties-leader.ts"
import { type TimedReplica, timersArmed } from "./properties-timers.ts"
import { acceptedKept, catchUpAnswered, decisionsHeld, decisionsLearned, logWindow } from "./properties-learned.ts"
import { heardBeforeTimeout } from "./heard-before-timeout.ts"
import { alwaysEventually } from "../../checker/temporal.ts"
import { type ElectionTimer, HeartbeatReply, type HeartbeatTimer, P1b, P2b, type PaxosDurable, type PaxosServerState, type PaxosState, paxosLog, paxosServer, type ServerOptions } from "./server.ts"
import { groupAddresses, type ReplicatedLog } from "../../core/replicated-log.ts"
import type { ReadIndexOptions } from "../../core/read-index.ts"
import { splitVote } from "./split-vote.ts"
import { leaderBehind } from "./leader-behind.ts"
import { formerLeaderAfterNoop } from "./former-leader-after-noop.ts"
import { newLeaderReads, readAckedTwice, staleReadAck } from "./stale-read-ack.ts"
import { movedOn } from "./moved-on.ts"
import { acceptsAtPromise, phase2Answered } from "./properties-acceptor.ts"
import { recoveryRebuilds } from "./properties-recovery.ts"
import { paxosReadIndexLog } from "./read-index.ts"
import { replicatedService } from "../../core/replicated-service.ts"
import { ONE_SERVER_TESTS } from "./one-server.ts"

export interface Setup {
  readonly servers: number
  readonly workloads: ReadonlyArray<Workload>
  readonly network?: NetworkOptions
  readonly faults?: FaultOptions
  readonly server?: ServerOptions
  /** Whether timers fire in the checker (default true). */
  readonly timers?: boolean
  /** The clients' options (default: broadcast every request, retry on a timer). */
  readonly client?: ClientOptions
  /** A planted bug: the log every server runs, changed (see `PLANTED`). */
  readonly plant?: Planted
  /** Gets by leader-confirmed reads (read-index.ts), with their options; default: through the log. */
  readonly reads?: ReadIndexOptions
}

/** `log` whose persistence hook writes `rewrite(d)` where it would write `d` (for planted storage bugs). */
const writesRewritten = (log: ReplicatedLog<PaxosState>, rewrite: (d: PaxosDurable) => PaxosDurable): ReplicatedLog<PaxosState> => {
  const after = log.def.hooks?.after
  if (!after) return log
  const rewriting = (ctx: any): any => ({
    self: ctx.self,
    peers: ctx.peers,
    send: (to: string, m: any) => ctx.send(to, m),
    broadcast: (to: Iterable<string>, m: any) => ctx.broadcast(to, m),
    setTimer: (t: any, min: number, max?: number) => ctx.setTimer(t, min, max),
    cancelTimer: (t: any) => ctx.cancelTimer(t),
    persist: (d: PaxosDurable) => ctx.persist(rewrite(d)),
    choose: (n: number) => ctx.choose(n),
    complete: (r: any) => ctx.complete(r),
    emit: (e: any) => ctx.emit(e),
  })
  return { ...log, def: { ...log.def, hooks: { ...log.def.hooks, after: (b: PaxosState, a: PaxosState, ctx: any) => after(b, a, rewriting(ctx)) } } }
}

/**
 * Planted bugs for the hunt-bug-* tests, made by wrapping the shipped log's handlers (server.ts stays as
 * shipped): each is a mistake people make, and each needs a deeper search than one ballot change.
 */
export const PLANTED = {
  /** A new leader reads only its own log: the entries promises carry are ignored (it re-proposes what it alone accepted). */
  "promises-ignored": (log: ReplicatedLog<PaxosState>): ReplicatedLog<PaxosState> => {
    const p1b = log.def.onMessage.P1b!
    return {
      ...log,
      def: { ...log.def, onMessage: { ...log.def.onMessage, P1b: (s: PaxosState, m: P1b, from: string, ctx: any) => p1b(s, new P1b({ ...m, entries: [] }), from, ctx) } },
    }
  },
  /** A follower reports the leader's executed slot as its own in heartbeat replies: the leader compacts past a lagging server. */
  "reply-leader-progress": (log: ReplicatedLog<PaxosState>): ReplicatedLog<PaxosState> => {
    const reply = log.def.onMessage.HeartbeatReply!
    return {
      ...log,
      def: {
        ...log.def,
        onMessage: {
          ...log.def.onMessage,
          HeartbeatReply: (s: PaxosState, m: HeartbeatReply, from: string, ctx: any) =>
            reply(s, new HeartbeatReply({ ...m, executed: Math.max(m.executed, s.slotOut) }), from, ctx),
        },
      },
    }
  },
  /** A leader counts every phase-2 reply for a slot as a vote, whatever ballot it carries (a stale rejection counts). */
  "stale-votes-counted": (log: ReplicatedLog<PaxosState>): ReplicatedLog<PaxosState> => {
    const p2b = log.def.onMessage.P2b!
    return {
      ...log,
      def: {
        ...log.def,
        onMessage: {
          ...log.def.onMessage,
          P2b: (s: PaxosState, m: P2b, from: string, ctx: any) =>
            p2b(s, s.active && cmpBallot(m.round, m.leader, s.round, s.leader) < 0 ? new P2b({ ...m, round: s.round, leader: s.leader }) : m, from, ctx),
        },
      },
    }
  },
  /** A leader that stepped down lets its heartbeat timer lapse without starting an election timer: it never stands again. */
  "step-down-silent": (log: ReplicatedLog<PaxosState>): ReplicatedLog<PaxosState> => {
    const heartbeat = log.def.onTimer!.HeartbeatTimer!
    return {
      ...log,
      def: {
        ...log.def,
        onTimer: { ...log.def.onTimer, HeartbeatTimer: (s: PaxosState, t: HeartbeatTimer, ctx: any) => (s.active ? heartbeat(s, t, ctx) : Effect.succeed(s)) },
      },
    }
  },
  /** With persistence: a promise of another leader's ballot in the same round is not written (the write is keyed on the round alone). */
  "promise-not-persisted": (log: ReplicatedLog<PaxosState>): ReplicatedLog<PaxosState> => {
    const after = log.def.hooks?.after
    if (!after) return log
    return {
      ...log,
      def: { ...log.def, hooks: { ...log.def.hooks, after: (b: PaxosState, a: PaxosState, ctx: any) => (b.round === a.round && b.log === a.log && b.cleared === a.cleared ? a : after(b, a, ctx)) } },
    }
  },
  /**
   * With persistence: the hook's writes keep the promise, the compaction point and the snapshot but
   * no log slots (acceptor amnesia): a crashed replica's storage has lost what it accepted and learned.
   */
  "slots-not-persisted": (log: ReplicatedLog<PaxosState>): ReplicatedLog<PaxosState> => writesRewritten(log, (d) => ({ ...d, log: new Map() })),
  /** With persistence: the hook's writes keep the promise, the log and the compaction point, but not the parent's snapshot (storage keeps the initial none). */
  "snapshot-not-persisted": (log: ReplicatedLog<PaxosState>): ReplicatedLog<PaxosState> => writesRewritten(log, (d) => ({ ...d, snap: undefined, snapSlot: -1 })),
  /** A follower whose election timer fires after it heard from the leader resets `heard` but does not re-arm the timer: it watches the leader once. */
  "election-timer-lapses": (log: ReplicatedLog<PaxosState>): ReplicatedLog<PaxosState> => {
    const election = log.def.onTimer!.ElectionTimer!
    return {
      ...log,
      def: {
        ...log.def,
        onTimer: { ...log.def.onTimer, ElectionTimer: (s: PaxosState, t: ElectionTimer, ctx: any) => (!s.active && s.heard ? Effect.succeed({ ...s, heard: false }) : election(s, t, ctx)) },
      },
    }
  },
  /** A leader reads a follower's reported executed slot as the last slot it executed (off by one): its catch-up starts a slot late. */
  "catch-up-one-late": (log: ReplicatedLog<PaxosState>): ReplicatedLog<PaxosState> => {
    const reply = log.def.onMessage.HeartbeatReply!
    return {
      ...log,
      def: { ...log.def, onMessage: { ...log.def.onMessage, HeartbeatReply: (s: PaxosState, m: HeartbeatReply, from: string, ctx: any) => reply(s, new HeartbeatReply({ ...m, executed: m.executed + 1 }), from, ctx) } },
    }
  },
  /** A leader reads a heartbeat reply of a ballot not below its own (>= instead of >) as news of a newer leader: it stops leading, promised to the same ballot. */
  "reply-ballot-deposes": (log: ReplicatedLog<PaxosState>): ReplicatedLog<PaxosState> => {
    const reply = log.def.onMessage.HeartbeatReply!
    return {
      ...log,
      def: {
        ...log.def,
        onMessage: {
          ...log.def.onMessage,
          HeartbeatReply: (s: PaxosState, m: HeartbeatReply, from: string, ctx: any) =>
            s.active && cmpBallot(m.round, m.leader, s.round, s.leader) >= 0 ? Effect.succeed({ ...s, active: false, votes: new Map() }) : reply(s, m, from, ctx),
        },
      },
    }
  },
  /** A follower's election timer forgets that it heard from the leader: it stands whenever the timer fires. */
  "election-ignores-heard": (log: ReplicatedLog<PaxosState>): ReplicatedLog<PaxosState> => {
    const election = log.def.onTimer!.ElectionTimer!
    return {
      ...log,
      def: { ...log.def, onTimer: { ...log.def.onTimer, ElectionTimer: (s: PaxosState, t: ElectionTimer, ctx: any) => election({ ...s, heard: false }, t, ctx) } },
    }
  },
} as const
export type Planted = keyof typeof PLANTED

export const serverNames = (n: number): Address[] => Array.from({ length: n }, (_, i) => `server${i + 1}`)

/** A configuration with typed handles on its servers: `servers[i].state(w)` is a `PaxosServerState`. */
export const paxosCluster = (setup: Setup) => {
  const names = serverNames(setup.servers)
  const service = setup.plant
    ? replicatedService(kvStore, PLANTED[setup.plant](paxosLog(groupAddresses(names, "log"), setup.server)), setup.server?.persist ? { persist: true } : {})
    : setup.reads
      ? replicatedService(kvStore, paxosReadIndexLog(groupAddresses(names, "log"), setup.server, setup.reads), setup.server?.persist ? { persist: true } : {})
      : paxosServer(kvStore, names, setup.server)
  const config: Config = {
    servers: names.map((address) => ({ address, def: service.def })),
    clients: setup.workloads.map((w, i) => ({ address: `client${i + 1}`, def: exactlyOnceClient(names, setup.client), workload: w })),
    ...(setup.network ? { network: setup.network } : {}),
    ...(setup.faults ? { faults: setup.faults } : {}),
    ...(setup.timers === false ? { timers: false } : {}),
  }
  return { config, service, servers: roles(names, service.def) }
}

export const paxosConfig = (setup: Setup): Config => paxosCluster(setup).config

/** The Paxos group of a cluster: each server's log component, live or as persisted while down. */
export const replicasOf = (cluster: ReturnType<typeof paxosCluster>): Replica[] =>
  cluster.servers.map((r) =>
    persistedReplica(
      r.address,
      (w) => {
        const s = r.state(w)
        return s && cluster.service.log.state(s)
      },
      (w) => r.stored(w, "log")
    )
  )

/** The applied store of the server whose log has executed most. */
export const executedStore = (cluster: ReturnType<typeof paxosCluster>) => (w: World): KVState | undefined => {
  let best: PaxosServerState<KVState> | undefined
  for (const r of cluster.servers) {
    const s = r.state(w)
    if (s && (!best || s.log.slotOut > best.log.slotOut)) best = s
  }
  return best?.app.app
}

/**
 * REFINES_KV's scope (core/step-reads.ts): a node's step that leaves each server down, or up with the
 * same executed slot and the very same store, leaves `executedStore` as it was (a stutter); the other
 * servers' records are the same in both worlds, so the answer is that node's alone.
 */
const executedStoreUnmoved = (cluster: ReturnType<typeof paxosCluster>) => (from: World, to: World): boolean => {
  for (const r of cluster.servers) {
    const a = r.state(from)
    const b = r.state(to)
    if (a !== b && (a === undefined || b === undefined || a.log.slotOut !== b.log.slotOut || a.app.app !== b.app.app)) return false
  }
  return true
}

// ---- configurations ------------------------------------------------------------------------------

const basicWorkload = workload([
  [put("foo", "bar"), putOk()],
  [append("foo", "baz"), appendResult("barbaz")],
  [get("foo"), getResult("barbaz")],
])

export interface CheckedSetup extends Setup {
  readonly goals?: ReadonlyArray<StateProperty<ProtocolState>>
  /**
   * Declare the clients interchangeable, for --symmetry. Never the servers: a ballot is (round,
   * server) compared in that order, so renaming servers changes which ballot wins.
   */
  readonly symmetricClients?: boolean
  /**
   * Declare the servers after the first interchangeable (with timers off: no election, so every
   * ballot is the first server's and no two servers' ballots are ever compared).
   */
  readonly symmetricFollowers?: boolean
  /** Check STEPS_DOWN_ONLY_TO_HIGHER, PROMISES_ONLY_RISE (properties-leader.ts), ACCEPTS_AT_PROMISE (properties-acceptor.ts), DECISIONS_HELD and ACCEPTED_KEPT (properties-learned.ts) at every step (the hunts and staged searches do). */
  readonly leaderSteps?: boolean
}

/** Whether node `a`'s sends reach node `b` under the configuration's partition (its nodes in order: servers, then clients). */
const linkedIn = (config: Config) => {
  const link = partitionLink(config.network?.partition)
  const names = [...config.servers, ...config.clients].map((n) => n.address)
  return (a: number, b: number) => link(names[a]!, names[b]!)
}

export const checked = (setup: CheckedSetup, goals?: (cluster: ReturnType<typeof paxosCluster>) => ReadonlyArray<StateProperty<ProtocolState>>) => {
  const cluster = paxosCluster(setup)
  const clients = setup.symmetricClients ? symmetricClients(cluster.config) : cluster.config
  const followers = cluster.config.servers.slice(1).map((s) => s.address)
  const config = setup.symmetricFollowers && followers.length > 1 ? { ...clients, symmetry: [...(clients.symmetry ?? []), followers] } : clients
  const group = replicasOf(cluster)
  return compile(config, {
    name: "paxos",
    properties: [resultsOk(config), appendsLinearizable(config), logsConsistent(group), ...(setup.goals ?? []), ...(goals?.(cluster) ?? [])],
    stepProperties: [
      refinesConsensus(group),
      ...(setup.workloads.length === 1 ? [readsNodes(refinesKv<ProtocolState, Event>(executedStore(cluster)), executedStoreUnmoved(cluster))] : []),
      ...(setup.leaderSteps ? [readsNodes(stepsDownOnlyToHigher<ProtocolState, Event>(timedReplicasOf(cluster))), readsNodes(promisesOnlyRise<ProtocolState, Event>(timedReplicasOf(cluster))), readsNodes(acceptsAtPromise<ProtocolState, Event>(timedReplicasOf(cluster))), readsNodes(acceptedKept<ProtocolState, Event>(timedReplicasOf(cluster))), decisionsHeld<Event>(timedReplicasOf(cluster)) as StepProperty<ProtocolState, Event>, decisionsLearned<ProtocolState>(timedReplicasOf(cluster)) as StepProperty<ProtocolState, Event>, catchUpAnswered<ProtocolState>(timedReplicasOf(cluster)) as StepProperty<ProtocolState, Event>, phase2Answered<ProtocolState>(timedReplicasOf(cluster), linkedIn(config)) as StepProperty<ProtocolState, Event>, candidateCountsItself<ProtocolState>(timedReplicasOf(cluster)) as StepProperty<ProtocolState, Event>, leaderSendsOwnBallot<Event>(timedReplicasOf(cluster)) as StepProperty<ProtocolState, Event>] : []),
      ...(setup.leaderSteps && setup.server?.persist
        ? [reportsStored<Event>(durableGroup(cluster)) as StepProperty<ProtocolState, Event>, recoversStored<Event>(durableGroup(cluster)) as StepProperty<ProtocolState, Event>]
        : []),
    ],
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
  const cluster = paxosCluster({ servers: setup.servers, workloads: setup.workloads, ...(setup.server ? { server: setup.server } : {}) })
  const { config } = cluster
  const group = replicasOf(cluster)
  const props: Array<StateProperty<TimedState>> = [resultsOk(config), logsConsistent(group), ...(setup.appends ? [appendsLinearizable(config)] : [])]
  if (setup.logBound !== undefined) props.push(logBounded(group, setup.logBound))
  return timed(config, setup.sim, seed, { name, properties: [...props, historyLinearizable(), simDone()] })
}

/**
 * A reliable network with a fixed latency (5 units; heartbeats every 25, election timeouts 150-300), no
 * fault, one client: the first leader leads for good (STABLE_LEADER) and a follower is at most one slot
 * behind it (FOLLOWERS_CURRENT_1): a decision reaches the followers in 5 units, the next one takes 20.
 */
export const promptStableLeader = (ops: number, seed: number) => {
  const cluster = paxosCluster({ servers: 3, workloads: privateKeys(1, ops) })
  const group = replicasOf(cluster)
  const properties = [resultsOk(cluster.config), logsConsistent<TimedState>(group), stableLeader<TimedState>(group), followersCurrent<TimedState>(group, 1), simDone()]
  return timed(cluster.config, { latency: [5, 5] }, seed, { name: "paxos prompt stable leader", properties })
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

/**
 * Liveness under fair delivery with a stable leader: 3 servers, one client appending once, sending to
 * the leader only and retrying on its timer, a network that reorders and drops; server1 leads ballot 0
 * for good (a ballot change is pruned) and at most 3 messages are in flight (with 2, the step that
 * chooses the client's slot sends two Decisions and the Reply, past the bound, so the client is never
 * done and the property could not fail: the checker refuses such a check).
 */
const stableLeaderLive = (client: ClientOptions) =>
  underFairDelivery(
    checked({ servers: 3, workloads: [appendWorkload("client1", 1)], network: { delivery: "multiset", drops: true }, client: { mode: "leader", ...client } }, (c) => [
      prune<ProtocolState>("BALLOT_CHANGED", (w) => replicasOf(c).some((r) => (r.log(w)?.round ?? 0) > 0)),
      inFlightAtMost(3),
    ])
  )

/**
 * Liveness of leader-confirmed reads: live-requests-complete's system (a network that reorders and
 * drops, server1 leading ballot 0 for good, at most 3 in flight) with reads through read-index.ts and
 * one client reading once: the read completes (ClientsDone) though probes and acknowledgements may be
 * lost, since each retry of a pending read probes again. A retry after the read was answered (its reply
 * lost) starts a new read under a new probe number: at most 2 probes (a counter that would grow for ever).
 */
const stableLeaderReadsLive = () =>
  underFairDelivery(
    checked({ servers: 3, workloads: [workload([[get("foo"), keyNotFound()]])], network: { delivery: "multiset", drops: true }, client: { mode: "leader" }, reads: {} }, (c) => [
      prune<ProtocolState>("BALLOT_CHANGED", (w) => replicasOf(c).some((r) => (r.log(w)?.round ?? 0) > 0)),
      prune<ProtocolState>("PROBES_PAST_2", (w) => replicasOf(c).some((r) => ((r.log(w) as { readonly probes?: number } | undefined)?.probes ?? 0) > 2)),
      inFlightAtMost(3),
    ])
  )

/**
 * Liveness of catch-up: the system of live-requests-complete (one client appending once, a network
 * that reorders and drops, server1 leading ballot 0 for good, at most 3 messages in flight: with 2, no
 * step that broadcasts a decision stays within the bound), where every request completes (ClientsDone) and always
 * eventually every server has executed as far as the leader (FollowersCaughtUp): a follower that lost
 * a decision gets it again in the catch-up answering its heartbeat reply.
 */
const followersCatchUpLive = (plant?: Planted) => {
  const setup: CheckedSetup = { servers: 3, workloads: [appendWorkload("client1", 1)], network: { delivery: "multiset", drops: true }, client: { mode: "leader" }, ...(plant ? { plant } : {}) }
  const servers = paxosCluster(setup).servers
  const caughtUp = (w: ProtocolState) => {
    const top = servers[0]!.state(w)?.log.slotOut ?? 0
    return servers.every((r) => (r.state(w)?.log.slotOut ?? top) >= top)
  }
  const system = checked(setup, (c) => [prune<ProtocolState>("BALLOT_CHANGED", (w) => replicasOf(c).some((r) => (r.log(w)?.round ?? 0) > 0)), inFlightAtMost(3)])
  return underFairDelivery(system, [requestsComplete, alwaysEventually<ProtocolState>("FollowersCaughtUp", caughtUp)])
}

/**
 * Liveness on a reliable network: one client appending once, sending to the leader, a network that
 * reorders but never drops, server1 leading ballot 0 for good, at most 4 in flight (a heartbeat with
 * its reproposals fits): every request completes (ClientsDone). A server that never gets a value chosen
 * has no lasso within live-requests-complete's bound, whose every fair continuation passes it.
 */
const reliableRequestsLive = () =>
  underFairDelivery(
    checked({ servers: 3, workloads: [appendWorkload("client1", 1)], network: { delivery: "multiset" }, client: { mode: "leader" } }, (c) => [
      prune<ProtocolState>("BALLOT_CHANGED", (w) => replicasOf(c).some((r) => (r.log(w)?.round ?? 0) > 0)),
      inFlightAtMost(4),
    ])
  )

/**
 * Liveness after the leader crashes: 3 servers and no client on a reliable network that reorders;
 * server1, the ballot-0 leader, may crash at any point and never restarts. Under fair delivery and
 * fair timers, always eventually some live server leads (LiveLeader). Bounds: at most one ballot
 * change (one election suffices) and at most 4 messages in flight. With every server crashable and
 * two ballot changes (hunt-live-any-leader-crash), the leader that crashes may be one elected after
 * others were deposed: those must stand again.
 */
const leaderCrashLive = (plant?: Planted, { crashable = ["server1"], ballotChanges = 1 }: { readonly crashable?: ReadonlyArray<Address>; readonly ballotChanges?: number } = {}) => {
  const setup: CheckedSetup = { servers: 3, workloads: [], network: { delivery: "multiset" }, faults: { maxCrashed: 1, crashable, restarts: false }, ...(plant ? { plant } : {}) }
  const servers = paxosCluster(setup).servers
  const system = checked(setup, (c) => [ballotChangesAtMost<ProtocolState, PaxosState>(ballotChanges, replicasOf(c).map((r) => r.log), (s) => s.round), inFlightAtMost(4)])
  return underFairDelivery(system, [alwaysEventually<ProtocolState>("LiveLeader", (w) => servers.some((r) => r.state(w)?.log.active === true))])
}

/**
 * Liveness of a leader-mode client across a change of leader: 3 persisting servers, one client appending
 * once, sending to one server at a time (server1 first), a network that reorders; server1, the ballot-0
 * leader, may crash at any point and never restarts. Under fair delivery and fair timers every request
 * completes (ClientsDone): the client must find the new leader, which non-leaders do not name (Paxos
 * servers send no WrongLeader). Bounds: at most one ballot change, at most 3 messages in flight, which
 * counts only deliverable ones: what is sent to the crashed server1 leaves the network (forgetDown),
 * else the client's requests to it fill the bound and the check is vacuous (within 3) or takes
 * millions of states (within 5).
 */
export const clientFindsLeaderLive = (forgetDown = true) =>
  underFairDelivery(
    checked(
      {
        servers: 3,
        workloads: [appendWorkload("client1", 1)],
        network: { delivery: "multiset" },
        faults: { maxCrashed: 1, crashable: ["server1"], restarts: false, ...(forgetDown ? { forgetDown } : {}) },
        client: { mode: "leader" },
        server: { persist: true },
      },
      (c) => [ballotChangesAtMost<ProtocolState, PaxosState>(1, replicasOf(c).map((r) => r.log), (s) => s.round), inFlightAtMost(3)]
    )
  )

/**
 * A stable leader under prompt heartbeats: 3 servers, one client appending once, a network that
 * repeats messages; a follower's election timer fires only after a heartbeat reached it since it last
 * fired (heardBeforeTimeout: what heartbeats every 25 units do against election timeouts of 150-300
 * in real time). With a live leader whose heartbeats arrive, no follower ever stands: STABLE_LEADER.
 */
export const promptHeartbeatsStable = (plant?: Planted, ops = 1) => heardBeforeTimeout(stableLeaderSystem(plant, ops), PROMPT_HEARTBEATS)

const PROMPT_HEARTBEATS = { timer: "ElectionTimer", message: "Heartbeat" } as const

/** The system of hunt-prompt-heartbeats with every schedule (a follower's timer may fire before any heartbeat reached it); with 2 ops or more, the hunt's invariants too. */
export const stableLeaderSystem = (plant?: Planted, ops = 1) =>
  checked({ servers: 3, workloads: [appendWorkload("client1", ops)], ...(plant ? { plant } : {}) }, (c) => [stableLeader<ProtocolState>(replicasOf(c)), ...(ops > 1 ? huntInvariants(c) : [])])

// ---- bug hunting: deep but bounded searches ------------------------------------------------------

/** Each live server's executed prefix and the state machine it applied (for APPLIED_CONSISTENT). */
const appliedOf = (cluster: ReturnType<typeof paxosCluster>) =>
  cluster.servers.map((r) => ({
    name: r.address,
    applied: (w: World) => {
      const s = r.state(w)
      return s && { slotOut: s.log.slotOut, app: s.app }
    },
  }))

/** Each live server's log and exactly-once state (for DEDUP_COMPLETE). */
const dedupedOf = (cluster: ReturnType<typeof paxosCluster>): Deduped[] =>
  cluster.servers.map((r) => ({
    name: r.address,
    state: (w: World) => {
      const s = r.state(w)
      return s && { log: cluster.service.log.state(s), app: s.app }
    },
  }))

/** Each live server's applied KV store (for EXECUTED_ONCE). */
const storesOf = (cluster: ReturnType<typeof paxosCluster>): Store[] => cluster.servers.map((r) => ({ name: r.address, store: (w: World) => r.state(w)?.app.app }))

/** A persisting cluster's replicas: each live log state and what it stored. */
const durableGroup = (c: ReturnType<typeof paxosCluster>): DurableReplica[] =>
  c.servers.map((r) => ({ name: r.address, live: (w: World) => { const s = r.state(w); return s && c.service.log.state(s) }, stored: (w: World) => r.stored(w, "log") as PaxosDurable | undefined }))

/** ACCEPTOR_DURABLE, STORAGE_REPLAYABLE, EXECUTED_STORED (properties-durable.ts) and RECOVERY_REBUILDS (properties-recovery.ts) over a persisting cluster's replicas; none without persistence. */
const durableInvariants = <W extends World>(c: ReturnType<typeof paxosCluster>, persist: boolean | undefined): ReadonlyArray<StateProperty<W>> => {
  if (!persist) return []
  const group = durableGroup(c)
  return [acceptorDurable<W>(group, groupAddresses([c.servers[0]!.address], "log")[0]!), storageReplayable<W>(group), executedStored<W>(group), recoveryRebuilds<W>(c.config)]
}

/** The invariants of a hunt beyond `checked`'s: compaction waits for the slowest server; replicas that executed the same prefix agree; no command runs twice, and each executed one is in the exactly-once table; Paxos's own (properties.ts: promises bound votes, leaders hold a quorum, chosen values a majority). */
const huntInvariants = (c: ReturnType<typeof paxosCluster>) => [
  catchUpPossible<ProtocolState>(replicasOf(c)),
  appliedConsistent<ProtocolState>(appliedOf(c)),
  executedOnce<ProtocolState>(c.config, storesOf(c)),
  dedupComplete<ProtocolState>(dedupedOf(c)),
  ...paxosSpecInvariants<ProtocolState>(replicasOf(c)),
  leaderLogContiguous<ProtocolState>(replicasOf(c)),
  timersArmed<ProtocolState>(timedReplicasOf(c)),
  logWindow<ProtocolState>(timedReplicasOf(c)),
  quorumActs<ProtocolState>(timedReplicasOf(c)),
  proposalsPursued<ProtocolState>(timedReplicasOf(c)),
]

/** Each server's node index and live log replica (for TIMERS_ARMED). */
const timedReplicasOf = (c: ReturnType<typeof paxosCluster>): TimedReplica[] =>
  c.servers.map((r) => ({
    name: r.address,
    index: r.index,
    live: (w: World) => {
      const s = r.state(w)
      return s && c.service.log.state(s)
    },
  }))

/**
 * A targeted staged search (targeted.ts) over 3 servers (or `shape.servers`) and `clients` clients
 * appending once (or `shape.ops` times) to one key, at most 2 (`shape.ballotChanges`) ballot changes, the hunt's invariants;
 * each stage's BFS within 20,000 states (the shipped server's stages take at most a thousand).
 */
const targeted = (
  search: typeof orphanedCommand,
  clients: number,
  plant?: Planted,
  shape: {
    readonly servers?: number
    readonly ops?: number
    readonly ballotChanges?: number
    readonly workloads?: ReadonlyArray<Workload>
    readonly reads?: ReadIndexOptions
    readonly server?: ServerOptions
  } = {}
) => {
  const setup: CheckedSetup = {
    servers: shape.servers ?? 3,
    workloads: shape.workloads ?? Array.from({ length: clients }, (_, i) => appendWorkload(`client${i + 1}`, shape.ops ?? 1)),
    ...(plant ? { plant } : {}),
    ...(shape.reads ? { reads: shape.reads } : {}),
    ...(shape.server ? { server: shape.server } : {}),
    leaderSteps: true,
  }
  const group = replicasOf(paxosCluster(setup))
  const stage = (campaigners: ReadonlyArray<number>, partition?: ReadonlyArray<ReadonlyArray<Address>>) =>
    checked({ ...setup, ...(partition ? { network: { partition } } : {}) }, (c) => [
      onlyCampaigners(replicasOf(c), campaigners),
      ballotChangesAtMost<ProtocolState, PaxosState>(shape.ballotChanges ?? 2, replicasOf(c).map((r) => r.log), (s) => s.round),
      ...huntInvariants(c),
      ...durableInvariants<ProtocolState>(c, shape.server?.persist),
    ])
  return search(stage, group, { maxStates: 20_000 })
}

/** The staged orphaned-command search (targeted.ts), two clients. */
export const orphaned = (plant?: Planted) => targeted(orphanedCommand, 2, plant)

/** The staged moved-on search (moved-on.ts): client1 appends twice, client2 and client3 once. */
export const movedOnSearch = () =>
  targeted(movedOn, 3, undefined, { workloads: [appendWorkload("client1", 2), appendWorkload("client2", 1), appendWorkload("client3", 1)] })

/** The staged duelling-leaders search (targeted.ts), two clients. */
export const duelSearch = (plant?: Planted) => targeted(duellingLeaders, 2, plant)

/** The staged lagging-follower search (targeted.ts), 5 servers, one client appending twice. */
export const laggingSearch = (plant?: Planted) => targeted(laggingFollower, 1, plant, { servers: 5, ops: 2 })

/** The staged leadership-comes-back search (targeted.ts), no client, at most 3 ballot changes. */
export const comesBackSearch = (plant?: Planted) => targeted(leadershipComesBack, 0, plant, { ballotChanges: 3 })

/** A client that puts foo = bar, then reads foo back (RESULTS_OK: bar). */
const writeThenRead = workload([
  [put("foo", "bar"), putOk()],
  [get("foo"), getResult("bar")],
])

/** The staged deposed-reader search (targeted.ts): leader-confirmed reads (with `reads`' planted bug, if any), one client writing then reading. */
export const deposedReaderSearch = (reads: ReadIndexOptions = {}) => targeted(deposedReader, 1, undefined, { workloads: [writeThenRead], reads })

/** A client that reads foo (not found), puts foo = bar, then reads foo again (RESULTS_OK: bar). */
const readWriteRead = workload([
  [get("foo"), keyNotFound()],
  [put("foo", "bar"), putOk()],
  [get("foo"), getResult("bar")],
])

/** The staged stale-read-ack search (stale-read-ack.ts): leader-confirmed reads, one client reading, writing, reading. */
export const staleReadAckSearch = (reads: ReadIndexOptions = {}) => targeted(staleReadAck, 1, undefined, { workloads: [readWriteRead], reads })

/** The staged new-leader-reads search (stale-read-ack.ts): leader-confirmed reads, one client writing then reading. */
export const newLeaderReadsSearch = (reads: ReadIndexOptions = {}) => targeted(newLeaderReads, 1, undefined, { workloads: [writeThenRead], reads })

/** The staged read-acked-twice search (stale-read-ack.ts): 5 servers with leader-confirmed reads, one client writing then reading. */
export const readAckedTwiceSearch = (reads: ReadIndexOptions = {}) => targeted(readAckedTwice, 1, undefined, { servers: 5, workloads: [writeThenRead], reads })

/** The staged noop-compaction search (targeted.ts): 3 persisting servers, two clients appending once. */
export const noopCompactionSearch = (plant?: Planted) => targeted(noopCompaction, 2, plant, { server: { persist: true } })

/** The staged after-compaction search (targeted.ts): hunt-noop-compaction's stages, then on with no goal. */
export const afterCompactionSearch = (plant?: Planted) => targeted(afterCompaction, 2, plant, { server: { persist: true } })

/** The staged lower-round-rival search (targeted.ts), two clients. */
export const lowerRoundRivalSearch = (plant?: Planted) => targeted(lowerRoundRival, 2, plant, { ballotChanges: 3 })

/** The staged noop-last-compaction search (targeted.ts): 3 persisting servers, two clients appending once. */
export const noopLastCompactionSearch = (plant?: Planted) => targeted(noopLastCompaction, 2, plant, { server: { persist: true } })

/** The staged leader-behind search (leader-behind.ts), 3 persisting servers (the durable invariants see its compaction), one client. */
export const leaderBehindSearch = (plant?: Planted) => targeted(leaderBehind, 1, plant, { server: { persist: true } })

/** The staged former-leader-after-noop search (former-leader-after-noop.ts), two clients. */
export const formerLeaderAfterNoopSearch = (plant?: Planted) => targeted(formerLeaderAfterNoop, 2, plant)

/** The staged stale-votes search (targeted.ts), one client. */
export const staleVoteSearch = (plant?: Planted) => targeted(staleVotes, 1, plant)

/** The staged own-stale-proposal search (targeted.ts), one client; with the server's planted bugRejectionCounted when asked. */
export const ownStaleSearch = (bugRejectionCounted = false) => targeted(ownStaleProposal, 1, undefined, bugRejectionCounted ? { server: { bugRejectionCounted } } : {})

const bound = (p: Params) => (p.k ? intParam(p, "k", 2, 1, 9) : 2)

/**
 * A hunt: 3 servers persisting every step, two clients appending once each to one key, at most one
 * server down at a time; every behaviour with at most k ballot changes (a prune past them) and at
 * most k crashes (a step budget). Checked: LOGS_CONSISTENT, APPENDS_LINEARIZABLE, RESULTS_OK,
 * refinement of consensus, CATCH_UP_POSSIBLE, APPLIED_CONSISTENT, ACCEPTED_WITHIN_PROMISE, LEADER_PROMISED,
 * and the `extra` properties.
 */
export const hunt = (k: number, setup: Partial<CheckedSetup> = {}, extra: (c: ReturnType<typeof paxosCluster>) => ReadonlyArray<StateProperty<ProtocolState>> = () => []) =>
  crashesAtMost(
    checked(
      {
        servers: 3,
        workloads: [appendWorkload("client1", 1), appendWorkload("client2", 1)],
        server: { persist: true },
        faults: { maxCrashed: 1 },
        leaderSteps: true,
        ...setup,
      },
      (c) => [ballotChangesAtMost<ProtocolState, PaxosState>(k, replicasOf(c).map((r) => r.log), (s) => s.round), ...huntInvariants(c), ...durableInvariants<ProtocolState>(c, setup.server?.persist ?? true), ...extra(c)]
    ),
    k
  )

/** The shape of a swarm-simulation hunt (defaults: faults until 1200, 2500 more to settle, 3 clients of 6 operations). */
export interface HuntSimOptions {
  readonly until?: number
  readonly settle?: number
  readonly clients?: number
  readonly ops?: number
  /** Clients append to one shared key (APPENDS_LINEARIZABLE) instead of working on private keys. */
  readonly appends?: boolean
  readonly plant?: Planted
  /** Each run's simulator options (default: the swarm mix, `swarmSimOptions`). */
  readonly mixOf?: (seed: number, i: number, mix: SwarmMix) => SimOptions
  /** The interleaving model to lift and minimise the earliest violation in (core/swarm.ts); default none: the timed trace. */
  readonly explain?: TransitionSystem<any, any>
}

/**
 * Swarm simulation: `runs` timed simulations, each with its own mix of loss, duplication, latency,
 * partitions and crash-restarts (persisted state) drawn from its seed until time `until`, run in
 * lockstep by BFS (the earliest violation over all runs is the one reported). Beyond the invariants
 * of a hunt, PROGRESS: by time `until + settle` every client has finished and every live server has
 * executed as far as the furthest one (a lagging server caught up).
 */
export const huntSim = (runs: number, seed: number, { until = 1200, settle = 2500, clients = 3, ops = 6, appends = false, plant, mixOf = swarmSimOptions, explain }: HuntSimOptions = {}) => {
  const workloads = appends ? Array.from({ length: clients }, (_, i) => appendWorkload(`client${i + 1}`, ops)) : privateKeys(clients, ops)
  const cluster = paxosCluster({ servers: 3, workloads, server: { persist: true }, ...(plant ? { plant } : {}) })
  const { config } = cluster
  const group = replicasOf(cluster)
  const deadline = until + settle
  const caughtUp = (w: World) => {
    let top = 0
    for (const r of cluster.servers) top = Math.max(top, r.state(w)?.log.slotOut ?? 0)
    return cluster.servers.every((r) => (r.state(w)?.log.slotOut ?? top) === top)
  }
  const progress = invariant<TimedState>(`PROGRESS_BY_${deadline}`, (w) => w.now <= deadline || (allClientsDone(w) && caughtUp(w)), (w) =>
    allClientsDone(w) ? `servers still behind: ${cluster.servers.map((r) => `${r.address} executed ${r.state(w)?.log.slotOut ?? "(down)"}`).join(", ")}` : "clients not done"
  )
  // Private keys: RESULTS_OK checks each client's results in sequence (linearizability per key).
  const properties = [
    resultsOk(config),
    ...(appends ? [appendsLinearizable(config)] : []),
    executedOnce<TimedState>(config, storesOf(cluster)),
    logsConsistent<TimedState>(group),
    catchUpPossible<TimedState>(group),
    appliedConsistent<TimedState>(appliedOf(cluster)),
    ...paxosSpecInvariants<TimedState>(group),
    leaderLogContiguous<TimedState>(group),
    ...durableInvariants<TimedState>(cluster, true),
    progress,
  ]
  const leader = (w: World) => cluster.servers.find((r) => r.state(w)?.log.active)?.address
  const mix = { until, servers: serverNames(3), clients: config.clients.map((c) => c.address), leader }
  return swarm({
    runs,
    seed,
    lockstep: true,
    // Run i's mix and simulation seed come from (seed, i) through `mixOf` and deriveSeed, not the swarm's generator.
    simulate: (_rng, _runSeed, i) => timed(config, { ...mixOf(seed, i, mix), maxTime: deadline + 1, stopWhenDone: false }, deriveSeed(seed, i), { name: "paxos swarm simulation", properties }),
    ...(explain ? { explain } : {}),
  })
}

/**
 * Scripted fault schedules (scenarios.ts) swept over seeds: run `i` plays one of five schedules with its
 * own times, latency and loss; three clients append twice each to one key; checked as `huntSim`.
 */
export const huntScripted = (runs: number, seed: number, plant?: Planted, explain?: TransitionSystem<any, any>) =>
  huntSim(runs, seed, { appends: true, ops: SCRIPTED_OPS, until: 1500, mixOf: scriptedFaults, ...(plant ? { plant } : {}), ...(explain ? { explain } : {}) })
const SCRIPTED_OPS = 2

/**
 * The interleaving model of `huntScripted`'s configuration (or, with `ops`, of three clients appending
 * that many times: hunt-sim-swarm-appends'): any message order, crashes and restarts (one server down
 * at a time), the hunt's state invariants. Without the refinement step checks: the
 * timed runs do not check them, and a lifted run must break the same invariant first.
 */
export const scriptedInterleaved = (plant?: Planted, ops = SCRIPTED_OPS) => {
  const model = checked(
    { servers: 3, workloads: Array.from({ length: 3 }, (_, i) => appendWorkload(`client${i + 1}`, ops)), server: { persist: true }, faults: { maxCrashed: 1 }, ...(plant ? { plant } : {}) },
    (c) => [...huntInvariants(c), ...durableInvariants<ProtocolState>(c, true)]
  )
  return withProperties(model, model.properties, [])
}

/**
 * `huntScripted` with a short trace: the swarm's earliest violation is lifted to the interleaving model
 * of the same configuration (any message order, crashes and restarts, the hunt's invariants) and
 * minimised there (core/swarm.ts); the result is that path as a system. A violation the model
 * cannot show (PROGRESS is about time) keeps the timed run's path; no violation leaves the model's
 * initial state alone (a search of it is "ok").
 */
export const huntScriptedExplained = (runs: number, seed: number, plant?: Planted): TransitionSystem<any, any> => huntScripted(runs, seed, plant, scriptedInterleaved(plant))

/**
 * hunt-sim-swarm-appends' swarm: three clients appending 3 times each to one key, faults until 800; its
 * earliest violation lifted to the interleaving model of the same configuration and minimised there,
 * as `huntScriptedExplained` does (a timed run's trace is a hundred steps and more).
 */
const simAppends = (p: Params, seed: number, plant?: Planted) =>
  huntSim(p.runs ? intParam(p, "runs", 40, 1, 10_000) : 40, seed + 1, { appends: true, ops: SIM_APPENDS_OPS, until: 800, ...(plant ? { plant } : {}), explain: scriptedInterleaved(plant, SIM_APPENDS_OPS) })
const SIM_APPENDS_OPS = 3

/** The abstract state coverage-guided hunts steer by: per server, its ballot, leadership, executed and cleared slots and log size. */
const paxosAbstraction = (w: World): unknown =>
  w.nodes.map((n) => {
    const s = n.state
    return n.up && isPaxosServer(s) ? [s.log.round, s.log.leader, s.log.active, s.log.slotOut, s.log.cleared, s.log.log.size] : n.up ? 0 : -1
  })

/** A server's state (clients have no `log`): the abstraction runs over every node of the world. */
const isPaxosServer = (s: unknown): s is PaxosServerState<KVState> => typeof s === "object" && s !== null && "log" in s

/** Sampled hunts: a fixed seed (the same runs every time), short runs, counterexamples minimised. */
const HUNT_SWARM: CheckOptions = { strategy: "swarm", samples: 600, maxDepth: 60, seed: 1 }
const HUNT_PCT: CheckOptions = { strategy: "pct", samples: 300, maxDepth: 60, seed: 1, pctDepth: 4 }

/**
 * Liveness of compaction (session 11): 3 servers, one client appending once, sending to the leader, a
 * network that reorders but never drops, server1 leading ballot 0 for good, at most 4 in flight. Under
 * fair delivery and timers, always eventually every server has cleared every slot that every server
 * executed (Compacted): heartbeat replies carry the followers' executed slots, the leader's next
 * heartbeat the compaction point, and the leader clears its own log on its heartbeat timer.
 */
const compactionLive = () => {
  const setup: CheckedSetup = { servers: 3, workloads: [appendWorkload("client1", 1)], network: { delivery: "multiset" }, client: { mode: "leader" } }
  const servers = paxosCluster(setup).servers
  const compacted = (w: ProtocolState) => {
    let everywhere = Infinity
    for (const r of servers) everywhere = Math.min(everywhere, r.state(w)?.log.slotOut ?? Infinity)
    return servers.every((r) => (r.state(w)?.log.cleared ?? everywhere) >= everywhere)
  }
  const system = checked(setup, (c) => [prune<ProtocolState>("BALLOT_CHANGED", (w) => replicasOf(c).some((r) => (r.log(w)?.round ?? 0) > 0)), inFlightAtMost(4)])
  return underFairDelivery(system, [alwaysEventually<ProtocolState>("Compacted", compacted)])
}

/** The named tests, keyed by name (proofs refer to them by these keys, checked by the type checker). */
export const PAXOS_TESTS = {
  ...ONE_SERVER_TESTS,
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
  "prompt-stable-leader": {
    description: "simulation: reliable network, fixed latency, no fault, one client, 30 operations: no ballot change (STABLE_LEADER) and followers at most one slot behind the leader (FOLLOWERS_CURRENT_1)",
    build: (p, seed) => promptStableLeader(ops(p, 30), seed),
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
      checked({ servers: 3, workloads: Array.from({ length: p.clients ? Number(p.clients) : 2 }, (_, i) => appendWorkload(`client${i + 1}`, 1)), timers: false, symmetricClients: true, symmetricFollowers: true }),
    expect: "ok",
  },
  "goal-one-server-3": {
    description: "bfs with timers off (no elections or retries): a state where one server alone has executed 3 commands",
    build: () => checked({ servers: 3, workloads: [basicWorkload], timers: false }, (c) => [oneServerExecuted(c.servers.map((r) => (w: World) => r.state(w)?.app), 3)]),
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
        symmetricClients: true,
      },
        // The bug needs one change of leader: searching only those runs gives BFS's shortest trace
        // in ~150k states, where the unpruned space needs twice that and random walks hit it by luck.
        (c) => [prune<ProtocolState>("AT_MOST_ONE_BALLOT_CHANGE", (w) => replicasOf(c).some((r) => (r.log(w)?.round ?? 0) > 1))]
      ),
    options: { strategy: "bfs", maxStates: 400_000 },
    expect: "violation",
  },
  "bounded-ballot-changes": {
    description:
      "bfs, 3 servers, two clients appending to one key, at most 2 ballot changes: the Paxos spec's invariants (ACCEPTED_WITHIN_PROMISE, LEADER_PROMISED) besides LOGS_CONSISTENT (state budget)",
    build: () =>
      checked({ servers: 3, workloads: [appendWorkload("client1", 1), appendWorkload("client2", 1)], symmetricClients: true }, (c) => [
        ballotChangesAtMost<ProtocolState, PaxosState>(2, replicasOf(c).map((r) => r.log), (s) => s.round),
        ...paxosSpecInvariants<ProtocolState>(replicasOf(c)),
        leaderLogContiguous<ProtocolState>(replicasOf(c)),
      ]),
    options: { strategy: "bfs", maxStates: 150_000 },
    expect: "budget-exhausted",
  },
  "rejection-not-a-vote": {
    description:
      "coverage-guided hunt (lossy network, crashes, at most 2 ballot changes) with CHOSEN_BY_MAJORITY: a stale P2a's rejection is never counted as a vote (a bug this hunt found in the shipped server: the rejection carried the promise, which can be the proposer's own newer ballot)",
    build: (p) => hunt(bound(p), { network: { delivery: "multiset", drops: true } }),
    options: { ...HUNT_SWARM, strategy: "coverage", abstraction: paxosAbstraction },
    expect: "ok",
  },
  "own-stale-proposal": {
    description:
      "staged bfs (targeted.ts), 3 servers, one appender: s1 proposes at ballot 0, no follower accepts yet, s1 steps down for (1, s2), s3 promises (2, s1), s1 wins it cut off and re-proposes; healed, on until s1 has the slot chosen while its ballot-0 proposal still reaches s3 (CHOSEN_BY_MAJORITY: the rejection of a leader's own stale proposal is no vote)",
    build: () => ownStaleSearch(),
    options: { strategy: "bfs", maxStates: 20_000 },
    expect: "goal-found",
  },
  "bug-rejection-counted": {
    description:
      "planted bug (the shipped server's until the paxos5 hunts found it): a stale P2a is rejected to the promise's own leader, whose newer ballot the rejection carries; own-stale-proposal finds it counted as a vote and a slot decided that only the leader holds (CHOSEN_BY_MAJORITY, 10 steps, under every seed: the coverage hunt found it under 2 of 8)",
    build: () => ownStaleSearch(true),
    options: { strategy: "bfs", maxStates: 20_000 },
    expect: "violation",
  },
  "orphaned-command": {
    description:
      "staged bfs (targeted.ts), 3 servers, two appenders, at most 2 ballot changes: a command the ballot-0 leader alone accepted, the same command chosen in another slot under ballot 1, a ballot-2 leader whose quorum re-proposes the orphan; then on until a replica executed the command in both slots, with the hunt's invariants (EXECUTED_ONCE: it runs once)",
    build: () => orphaned(),
    options: { strategy: "bfs", maxStates: 20_000 },
    expect: "goal-found",
  },
  "stale-votes": {
    description:
      "staged bfs (targeted.ts), 3 servers, one appender, at most 2 ballot changes: the ballot-0 leader proposes, an acceptor promised to ballot 1 rejects it and the leader steps down with the rejection in flight; it wins ballot 2 and re-proposes; on until the slot is chosen, with the hunt's invariants (CHOSEN_BY_MAJORITY: the stale rejection is no vote)",
    build: () => staleVoteSearch(),
    options: { strategy: "bfs", maxStates: 20_000 },
    expect: "goal-found",
  },
  "bug-stale-votes-counted": {
    description: "planted bug: a leader counts phase-2 replies of any ballot as votes; stale-votes finds a slot chosen that no majority holds (CHOSEN_BY_MAJORITY)",
    build: () => staleVoteSearch("stale-votes-counted"),
    options: { strategy: "bfs", maxStates: 20_000 },
    expect: "violation",
  },
  "duelling-leaders": {
    description:
      "staged bfs (targeted.ts), 3 servers, two appenders, at most 2 ballot changes: s2 leads (1, s2) and accepts a command alone; s3 leads (1, s3) and has another chosen in that slot; s2 wins round 2 with a promise reporting (1, s3)'s value beside its own; on until s2 has the slot chosen (LOGS_CONSISTENT: the higher ballot of the round wins)",
    build: () => duelSearch(),
    options: { strategy: "bfs", maxStates: 20_000 },
    expect: "goal-found",
  },
  "lagging-follower-5": {
    description:
      "staged bfs (targeted.ts), 5 servers, one client appending twice: two followers cut off while the leader executes the first command and proposes the second (it alone holds it); healed, no election, on until a cut-off follower has caught up (CHOSEN_BY_MAJORITY: on 5 servers the leader and a follower are no majority, so catch-up must carry chosen slots only)",
    build: () => laggingSearch(),
    options: { strategy: "bfs", maxStates: 20_000 },
    expect: "goal-found",
  },
  "leadership-comes-back": {
    description:
      "staged bfs (targeted.ts), 3 servers, at most 3 ballot changes: s2 takes over from s1, s3 from s2 (the former leaders' heartbeat timers fire after they step down); with s3 cut off, s1 or s2 must win round 3",
    build: () => comesBackSearch(),
    options: { strategy: "bfs", maxStates: 20_000 },
    expect: "goal-found",
  },
  "live-requests-complete": {
    description: "liveness: every client request completes under fair delivery with a stable leader (lossy network, client retries; at most 3 in flight)",
    build: () => stableLeaderLive({}),
    options: { strategy: "bfs" },
    expect: "ok",
  },
  "live-reads-complete": {
    description: "liveness: a leader-confirmed read completes under fair delivery with a stable leader (lossy network, client retries, each retry of a pending read probes again; at most 3 in flight, at most 2 probes)",
    build: () => stableLeaderReadsLive(),
    options: { strategy: "bfs" },
    expect: "ok",
  },
  "bug-live-no-client-retry": {
    description: "planted liveness bug: the client never re-sends after a loss; a lasso where its request is dropped and the cluster heartbeats forever",
    build: () => stableLeaderLive({ retry: false }),
    options: { strategy: "bfs" },
    expect: "violation",
  },
  "hunt-swarm": {
    description: "swarm: 600 runs of 60 steps, each its own mix of deliveries, losses, timeouts, crashes; at most k ballot changes and k crashes (k=2); minimised",
    build: (p) => hunt(bound(p), { network: { delivery: "multiset", drops: true } }),
    options: HUNT_SWARM,
    expect: "ok",
  },
  "hunt-coverage": {
    description: "coverage-guided: 600 runs of 60 steps over the hunt-swarm system; half restart from a run that reached a new abstract state (each server's ballot, leadership, executed and cleared slots, log size)",
    build: (p) => hunt(bound(p), { network: { delivery: "multiset", drops: true } }),
    options: { ...HUNT_SWARM, strategy: "coverage", abstraction: paxosAbstraction },
    expect: "ok",
  },
  "hunt-pct": {
    description: "PCT: 300 runs of 60 steps under randomised actor priorities with 3 change points; stale messages redelivered; at most k ballot changes and k crashes",
    build: (p) => hunt(bound(p)),
    options: HUNT_PCT,
    expect: "ok",
  },
  "hunt-sim-swarm": {
    description: "swarm simulation: 40 runs, each its own mix of loss, duplication, latency, partitions and crash-restarts from the seed; BFS in lockstep reports the earliest violation; every run finishes and catches up",
    build: (p, seed) => huntSim(p.runs ? intParam(p, "runs", 40, 1, 10_000) : 40, seed),
    options: { strategy: "bfs", seed: 1 },
    expect: "ok",
  },
  "hunt-bug-reply-leader-progress": {
    description: "planted bug: followers report the leader's executed slot as theirs, so the leader compacts past a lagging server; the swarm simulation finds CATCH_UP_POSSIBLE broken",
    build: (_p, seed) => huntSim(6, seed, { plant: "reply-leader-progress" }),
    options: { strategy: "bfs", seed: 1 },
    expect: "violation",
  },
  "hunt-bug-promises-ignored": {
    description: "planted bug: a new leader ignores the entries promises carry and re-proposes only what it accepted itself; hunt-sim-swarm-appends finds two values chosen for a slot (lifted and minimised: 26-40 steps, where the timed runs took 142-367); a swarm that misses it is followed by another, three at most",
    // A swarm of 40 runs missed it under seed 39 of 18-45: up to three swarms, from seeds derived from the test's.
    build: (p, seed) => firstBreakingRun(3, seed, { strategy: "bfs" }, (s) => simAppends(p, s, "promises-ignored")),
    options: { strategy: "bfs", seed: 1 },
    expect: "violation",
  },
  "hunt-scripted": {
    description:
      "scripted fault schedules swept over seeds: 120 simulations, each one of five schedules (the leader cut off then rejoining with another server; the leader cut off amid its proposals; a follower crashing early and restarting, then the leader cut off (twice as often); a server crashing and restarting after a ballot change, then the old leader rejoining it; a server crashing just after promising the old leader's new ballot) with times and latencies drawn from the seed; three clients append to one key; every run finishes and catches up; a violation is lifted to the interleaving model and minimised",
    build: (p, seed) => huntScriptedExplained(p.runs ? intParam(p, "runs", 120, 1, 10_000) : 120, seed),
    options: { strategy: "bfs", seed: 1 },
    expect: "ok",
  },
  "hunt-sim-swarm-appends": {
    description: "swarm simulation: 40 runs as hunt-sim-swarm, three clients appending to one key at once (APPENDS_LINEARIZABLE), faults every 30-330 units, half the crashes hitting the leader; a violation is lifted to the interleaving model and minimised",
    build: (p, seed) => simAppends(p, seed),
    options: { strategy: "bfs", seed: 1 },
    expect: "ok",
  },
  "live-leader-crash": {
    description: "liveness: after the ballot-0 leader crashes for good, always eventually a live server leads (fair delivery and timers, reliable network, at most one ballot change, at most 4 in flight)",
    build: () => leaderCrashLive(),
    options: { strategy: "bfs" },
    expect: "ok",
  },
  "live-client-finds-leader": {
    description:
      "liveness (101k states): a client that sends to one server at a time, server1 (the leader it starts with) crashing for good; always eventually its request completes: it finds the new leader though no server names it (fair delivery and timers, reliable network, at most one ballot change, at most 3 deliverable messages in flight: those to the crashed server are forgotten)",
    build: () => clientFindsLeaderLive(),
    options: { strategy: "bfs" },
    expect: "ok",
  },
  "bug-live-election-timer-lapses": {
    description: "planted liveness bug: a follower that heard from the leader does not re-arm its election timer; a lasso where the leader crashes and no one ever stands",
    build: () => leaderCrashLive("election-timer-lapses"),
    options: { strategy: "bfs" },
    expect: "violation",
  },
  "hunt-live-followers-catch-up": {
    description: "liveness (207k states): with a stable leader on a lossy network, at most 3 in flight, always eventually every server has executed as far as the leader (a lost decision comes again with the catch-up)",
    build: () => followersCatchUpLive(),
    options: { strategy: "bfs" },
    expect: "ok",
  },
  "hunt-bug-live-catch-up-one-late": {
    description: "planted liveness bug (687k states): the leader's catch-up starts one slot after the follower's first unexecuted one; a lasso where a follower lost a decision and never executes it",
    build: () => followersCatchUpLive("catch-up-one-late"),
    options: { strategy: "bfs" },
    expect: "violation",
  },
  "hunt-live-requests-reliable": {
    description: "liveness (104k states): on a reliable network that reorders, with a stable leader and at most 4 in flight, every client request completes",
    build: () => reliableRequestsLive(),
    options: { strategy: "bfs" },
    expect: "ok",
  },
  "hunt-prompt-heartbeats": {
    description: "bfs: 3 servers, one client, a network that repeats messages; a follower's election timer fires only after a heartbeat reached it since it last fired (as in real time: heartbeats every 25 units, timeouts 150-300): no ballot ever changes (STABLE_LEADER)",
    build: () => promptHeartbeatsStable(),
    options: { strategy: "bfs" },
    expect: "ok",
  },
  "hunt-prompt-heartbeats-appends": {
    description: "bfs: hunt-prompt-heartbeats with the client appending twice, so the second command meets compaction of the first slot; the hunts' invariants (compaction, applied state, Paxos's own) and STABLE_LEADER",
    build: () => promptHeartbeatsStable(undefined, 2),
    options: { strategy: "bfs" },
    expect: "ok",
  },
  "hunt-bug-election-ignores-heard": {
    description: "planted bug: a follower stands whenever its election timer fires, though it heard the leader; hunt-prompt-heartbeats breaks STABLE_LEADER in 3 steps (heartbeat sent, delivered, timer)",
    build: () => promptHeartbeatsStable("election-ignores-heard"),
    options: { strategy: "bfs" },
    expect: "violation",
  },
  "hunt-live-any-leader-crash": {
    description: "liveness (702k states): any one server may crash for good, after at most 2 ballot changes; always eventually a live server leads (fair delivery and timers, reliable network, at most 4 in flight): deposed leaders must stand again",
    build: () => leaderCrashLive(undefined, { crashable: serverNames(3), ballotChanges: 2 }),
    options: { strategy: "bfs" },
    expect: "ok",
  },
  "hunt-bug-live-step-down-silent": {
    description: "planted liveness bug (258k states): a leader that stepped down starts no election timer; a lasso of 11 steps where two servers were deposed, the third, a candidate, crashes, and no one ever stands",
    build: () => leaderCrashLive("step-down-silent", { crashable: serverNames(3), ballotChanges: 2 }),
    options: { strategy: "bfs" },
    expect: "violation",
  },
  "hunt-bug-timers-step-down-silent": {
    description:
      "planted bug (hunt-bug-live-step-down-silent's, there a 258k-state liveness search): a leader that stepped down starts no election timer; the hunt's TIMERS_ARMED (every live replica has a heartbeat or election timer pending) breaks by BFS at the step that leaves it without one",
    build: () => hunt(1, { plant: "step-down-silent" }),
    options: { strategy: "bfs" },
    expect: "violation",
  },
  "deposed-leader-reads": {
    description:
      "staged bfs (targeted.ts), 3 servers with leader-confirmed reads, one client writing a key then reading it: s2 leads (1, s2); s3 leads (1, s3) and the write completes through it; s3 cut off, s2 (deposed, unaware) gets the read; on until the read is answered (RESULTS_OK: a read confirmed by a majority in the reader's ballot, at its read point, returns the write)",
    build: () => deposedReaderSearch(),
    options: { strategy: "bfs", maxStates: 20_000 },
    expect: "goal-found",
  },
  "stale-read-ack": {
    description:
      "staged bfs (stale-read-ack.ts), 3 servers with leader-confirmed reads, one client reading a key, writing it, reading it again: s1 answers the first read with s3's acknowledgement still in flight; s1 cut off, s3 leads (1, s3) and the write completes; s2 cut off, s1 (deposed, unaware) may get the second read and the old acknowledgement; on until the client is done (RESULTS_OK: an acknowledgement counts only for reads probed before it was sent)",
    build: () => staleReadAckSearch(),
    options: { strategy: "bfs", maxStates: 20_000 },
    expect: "goal-found",
  },
  "read-acked-twice-5": {
    description:
      "staged bfs (stale-read-ack.ts), 5 servers with leader-confirmed reads, one client writing a key then reading it: s3 leads (1, s3) with s4 and s5 and the write completes; s3-s5 cut off, s1 (deposed, unaware) gets the read, s2 acknowledges it, the client retries, s2 acknowledges the new probe too; healed, on until the read is answered (RESULTS_OK: one replica's acknowledgements count once)",
    build: () => readAckedTwiceSearch(),
    // The last stage (the full network of five) takes about 19,000 states to the goal.
    options: { strategy: "bfs", maxStates: 100_000 },
    expect: "goal-found",
  },
  "new-leader-reads": {
    description:
      "staged bfs (stale-read-ack.ts), 3 servers with leader-confirmed reads, one client writing a key then reading it: s1 has the write chosen with s2 and answers it, its decision to s2 in flight; s1 cut off, s3 wins ballot 1 with s2 and re-proposes the write, gets the read and s2's confirmation first; on until the read is answered (RESULTS_OK: a new leader answers a read only once it applied every slot it held when the read began)",
    build: () => newLeaderReadsSearch(),
    options: { strategy: "bfs", maxStates: 20_000 },
    expect: "goal-found",
  },
  "bug-deposed-leader-reads-unconfirmed": {
    description: "planted bug: leaders serve reads at once, unconfirmed (read-index.ts bugServeLocally); deposed-leader-reads finds the deposed leader answering the read without the write (RESULTS_OK)",
    build: () => deposedReaderSearch({ bugServeLocally: true }),
    options: { strategy: "bfs", maxStates: 20_000 },
    expect: "violation",
  },
  "hunt-bounded-reads": {
    description: "bfs, 3 servers with leader-confirmed reads, one client writing a key then reading it, at most 1 ballot change: the read after a new leader's phase 1 waits for the slots it re-proposes (RESULTS_OK, the hunt's invariants; state budget)",
    build: () =>
      checked({ servers: 3, workloads: [writeThenRead], reads: {} }, (c) => [ballotChangesAtMost<ProtocolState, PaxosState>(1, replicasOf(c).map((r) => r.log), (s) => s.round), ...huntInvariants(c)]),
    options: { strategy: "bfs", maxStates: 250_000 },
    expect: "budget-exhausted",
  },
  "hunt-bug-leader-abdicates": {
    description:
      "planted bug: a leader reads a heartbeat reply of its own ballot as news of a newer leader and stops leading; the hunt's STEPS_DOWN_ONLY_TO_HIGHER (a leader gives up its ballot only for a higher one) breaks by BFS at that step (no invariant of a state sees it: the cluster only loses its leader)",
    build: () => hunt(1, { plant: "reply-ballot-deposes" }),
    options: { strategy: "bfs" },
    expect: "violation",
  },
  "hunt-noop-compaction": {
    description:
      "staged bfs (targeted.ts), 3 persisting servers, two appenders: s1 proposes both, a follower accepts only the second slot; s1 cut off, s2 wins ballot 1 and fills the first slot with a no-op, which s3 executes alone (no snapshot at a no-op); healed, on until s3 clears that slot (STORAGE_REPLAYABLE: what each replica stored replays past its compaction point; 16,502 states)",
    build: () => noopCompactionSearch(),
    options: { strategy: "bfs", maxStates: 20_000 },
    expect: "goal-found",
  },
  "hunt-after-compaction": {
    description:
      "staged bfs (targeted.ts), hunt-noop-compaction's stages through s3 clearing slot 0 (21 steps), then 5,000 states on from there with no goal: every message sent before the compaction still arrives (the network repeats), so a replica's handling of one about a slot it cleared is checked a step after it cleared (LOG_WINDOW: a cleared slot stays out of the log)",
    build: () => afterCompactionSearch(),
    options: { strategy: "bfs", maxStates: 5_000 },
    expect: "budget-exhausted",
  },
  "hunt-bug-snapshot-not-persisted": {
    description: "planted bug: a persisting replica's writes leave out its parent's snapshot; hunt-noop-compaction finds the first write after a compaction with nothing to replay from (STORAGE_REPLAYABLE)",
    build: () => noopCompactionSearch("snapshot-not-persisted"),
    options: { strategy: "bfs", maxStates: 20_000 },
    expect: "violation",
  },
  "hunt-noop-last-compaction": {
    description:
      "staged bfs (targeted.ts), 3 persisting servers, two appenders, only s2 campaigning: s1 proposes both commands, s3 accepts only the second; s2 wins ballot 1, fills the first slot with a no-op and executes it, not yet the second; every replica executes the no-op; on until s2 announces a compaction point past it (STORAGE_REPLAYABLE: s2, whose last snapshot is before the no-op, may not clear it; 15 steps, 6,001 states in the last stage)",
    build: () => noopLastCompactionSearch(),
    options: { strategy: "bfs", maxStates: 20_000 },
    expect: "goal-found",
  },
  "lower-round-rival": {
    description:
      "staged bfs (targeted.ts), 3 servers, two appenders, at most 3 ballot changes: s3 wins (1, s3) and accepts c1's command alone; s2 wins (2, s2) with s1 and has another command chosen; s2 cut off, s3 wins a later ballot with s1, whose promise reports (2, s2)'s value beside s3's own (1, s3): the later round's must win though s2 sorts first; on until s1 accepts s3's proposal (CHOSEN_BY_MAJORITY; 19 steps, 820 states in the last stage)",
    build: () => lowerRoundRivalSearch(),
    options: { strategy: "bfs", maxStates: 20_000 },
    expect: "goal-found",
  },
  "hunt-lazy-learning": {
    description:
      "bfs: the hunt (3 persisting servers, at most 1 ballot change) with lazyLearning, the runtime's setting (a learned slot waits for the next write), one client appending once, no crash (the refinement reads learned slots, which lazyLearning does not keep): REPORTS_STORED, a heartbeat reply reports as executed only what the sender's storage rebuilds, so no leader clears a slot a crash would take from it (within 20,000 states; the mutant report-unsaved-executed breaks it at 8 steps, 8,675 states)",
    build: () => hunt(1, { server: { persist: true, lazyLearning: true }, workloads: [appendWorkload("client1", 1)], faults: { maxCrashed: 0 } }),
    options: { strategy: "bfs", maxStates: 20_000 },
    expect: "budget-exhausted",
  },
  // Session 11 (wave 8): searches for the classes of bug the wave's first pass missed.
  "split-vote-5": {
    description:
      "staged bfs (split-vote.ts), 5 servers, no client: s2 stands and counts s1's promise, short of a quorum; s3 wins a higher ballot with s1 and s4; s2 stands again and must collect a new quorum for its new ballot (LEADER_PROMISED: a promise of the old ballot does not count)",
    build: () => targeted(splitVote, 0, undefined, { servers: 5 }),
    options: { strategy: "bfs", maxStates: 20_000 },
    expect: "goal-found",
  },
  "live-compaction": {
    description:
      "liveness: with a stable leader on a network that reorders, one client appending once, at most 4 in flight, always eventually every server has cleared every slot that every server executed (compaction happens: the leader's own executed slot counts, and its compaction point reaches the followers)",
    build: () => compactionLive(),
    options: { strategy: "bfs" },
    expect: "ok",
  },
  // Session 12: an old command chosen again after its client moved on.
  "client-moved-on": {
    description:
      "staged bfs (moved-on.ts), 3 servers, client1 appending twice, client2 and client3 once: s1 alone accepts client2's, client3's and then client1's first command (slot 2); s2 wins ballot 1 and has client1's first and second commands chosen in slots 0 and 1; s3 wins ballot 2 with s1 and re-proposes the orphan in slot 2; on until a replica executed client1's first command in two slots (EXECUTED_ONCE: the exactly-once layer drops a command older than its client's last, not only a retry of the last)",
    build: () => movedOnSearch(),
    options: { strategy: "bfs", maxStates: 20_000 },
    expect: "goal-found",
  },
  // Session 14 (wave 11): a new leader behind its followers.
  "leader-behind-followers": {
    description:
      "staged bfs (leader-behind.ts), 3 persisting servers, one appender: s1 has the command chosen with s2, its decision in flight; s3 wins ballot 1 with s2, which reports the slot accepted only, and re-proposes it; both followers execute it and tell s3, still short of it; on until every replica cleared the slot (CATCH_UP_POSSIBLE: the compaction point waits for the leader too)",
    build: () => leaderBehindSearch(),
    options: { strategy: "bfs", maxStates: 20_000 },
    expect: "goal-found",
  },
  // Session 15 (wave 13): several proposals open at once at a stable leader.
  "hunt-three-appenders": {
    description:
      "bfs: 3 servers, a stable leader (no timers: no election, no retry), three clients appending once each, within 10,000 states: proposals open in several slots at once and chosen in any order (ACCEPTED_KEPT: a new command never goes into a slot the leader holds chosen; the hunt's invariants)",
    build: () => checked({ servers: 3, workloads: [1, 2, 3].map((i) => appendWorkload(`client${i}`, 1)), timers: false, leaderSteps: true }, (c) => huntInvariants(c)),
    options: { strategy: "bfs", maxStates: 10_000 },
    expect: "budget-exhausted",
  },
  "hunt-crash-recovery": {
    description:
      "bfs: the hunt (3 persisting servers, two appenders, at most 1 ballot change and 1 crash) within 20,000 states, a few steps deep whatever the seed: RECOVERS_STORED, a restarted replica holds the promise and every slot its storage held (the mutant recover-forgets-accepted breaks it in 3 steps), besides ACCEPTOR_DURABLE and the hunt's invariants",
    build: () => hunt(1),
    options: { strategy: "bfs", maxStates: 20_000 },
    expect: "budget-exhausted",
  },
  // Session 16 (wave 14): two leader changes, the second undoing the first's no-op.
  "former-leader-after-noop": {
    description:
      "staged bfs (former-leader-after-noop.ts), 3 servers, two appenders: s1 proposes both commands, s3 accepts only the second slot; s1 cut off, s2 wins ballot 1 with s3 and has a no-op chosen in the first, s3 holding it accepted; s2 cut off, s1 wins ballot 2 with s3, whose promise reports the no-op beside s1's own older proposal; on until s1 has the slot chosen (LOGS_CONSISTENT, CHOSEN_BY_MAJORITY: the later ballot's no-op wins the merge)",
    build: () => formerLeaderAfterNoopSearch(),
    options: { strategy: "bfs", maxStates: 20_000 },
    expect: "goal-found",
  },
} satisfies Record<string, NamedTest>

export const paxosModel: Model = {
  name: "paxos",
  description: "Multi-Paxos replicated log serving the exactly-once KV store: ballots, elections, no-op gaps, compaction",
  params: {
    servers: { default: "", int: { min: 1, max: 9 }, description: "number of servers (each test has its own default)" },
    ops: { default: "", int: { min: 1, max: 100_000 }, description: "operations per client (each test has its own default)" },
    clients: { default: "", int: { min: 1, max: 10 }, description: "number of clients (exhaustive-stable-leader; default 2)" },
    runs: { default: "", int: { min: 1, max: 10_000 }, description: "hunt-sim-swarm: number of simulations (default 40; hunt-scripted 120)" },
    k: { default: "", int: { min: 1, max: 9 }, description: "hunt-* tests: at most k ballot changes and k crashes (default 2)" },
  },
  build: () => checked({ servers: 3, workloads: [basicWorkload], goals: [clientsDone()] }),
  tests: PAXOS_TESTS,
}
