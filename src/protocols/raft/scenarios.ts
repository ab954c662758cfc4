/**
 * Building blocks of Raft's named tests: configurations, simulated runs with fault schedules that
 * depend on who leads (found by running the same seed up to the fault time), goals, and scoring.
 */
import { historyLinearizable } from "../../core/linearizable.ts"
import { goal, invariant, type StateProperty, type StepProperty, type TransitionSystem, withProperties } from "../../checker/transition-system.ts"
import { compile, type ProtocolState } from "../../core/compile.ts"
import type { Config, FaultOptions, NetworkOptions, Workload } from "../../core/config.ts"
import type { AMOCommand } from "../../core/application.ts"
import { kvStore } from "../../core/kv.ts"
import type { Tagged } from "../../core/node.ts"
import { allClientsDone, appendsLinearizable, resultsOk } from "../../core/properties.ts"
import { show as defaultShow } from "../../core/show.ts"
import { type Fault, type SimOptions, simDone, simReport, timed, type TimedEvent, type TimedState, type TimedSystem } from "../../core/timed.ts"
import { role } from "../../core/roles.ts"
import { historyOf, type World } from "../../core/world.ts"
import { type ClientOptions, type ClientState, exactlyOnceClient } from "../../core/exactly-once.ts"
import { type Entry, lastIndex, raftServer, type RaftState, type ServerOptions } from "./server.ts"
import { commitIndexMonotone, committedState, raftInvariants, raftReplicas, raftVerdicts, serverStates, voteKept, voteOfTerm } from "./properties.ts"
import { kvRefinement } from "./refinement.ts"
import { messagesCarryTerm } from "./message-terms.ts"
import { conflictHintTrue } from "./conflict-hint.ts"
import { deposedLeaderArmed, leaderUnarmed, restartedArmed, roleRules } from "./role-rules.ts"
import { recoveryRebuilds } from "./recovery-rebuilds.ts"
import { ackHeld } from "./ack-held.ts"
import { termMonotone } from "./term-monotone.ts"
import { rpcArgsFromLog, leaderCommitsOwnTerm } from "./leader-steps.ts"
import { appliedIsLog } from "./applied-is-log.ts"
import { leaderHeartbeatArmed } from "./heartbeat-armed.ts"
import { StepVerdicts } from "../../core/step-verdicts.ts"
import { deliverySteps } from "./receiver-rules.ts"

export const serverNames = (n: number): string[] => Array.from({ length: n }, (_, i) => `s${i + 1}`)
export const clientNames = (n: number): string[] => Array.from({ length: n }, (_, i) => `client${i + 1}`)

export interface RaftSetup {
  readonly servers: number
  readonly workloads?: ReadonlyArray<Workload>
  readonly server?: ServerOptions
  readonly client?: ClientOptions
  readonly network?: NetworkOptions
  readonly faults?: FaultOptions
  /** Declare the servers interchangeable, for --symmetry (only without clients: a client's retry target is a server's index). */
  readonly symmetricServers?: boolean
}

const entryText = (e: Entry) => {
  const c = e.command as AMOCommand
  return `${e.term}:${c.client}.${c.seq}`
}

/** Short labels: Raft messages name their essentials (and log entries as term:client.seq). */
export const showRaft = (x: Tagged): string => {
  const m = x as any
  switch (x._tag) {
    case "RequestVote":
      return `RequestVote(t=${m.term},last=${m.lastLogIndex}/${m.lastLogTerm})`
    case "RequestVoteReply":
      return `RequestVoteReply(t=${m.term},${m.granted ? "granted" : "denied"})`
    case "AppendEntries":
      return `AppendEntries(t=${m.term},prev=${m.prevLogIndex}/${m.prevLogTerm},[${(m.entries as Entry[]).map(entryText).join(",")}],commit=${m.leaderCommit})`
    case "AppendEntriesReply":
      return m.success ? `AppendEntriesReply(t=${m.term},ok,match=${m.matchIndex})` : `AppendEntriesReply(t=${m.term},fail,conflict=${m.conflictIndex}/${m.conflictTerm})`
    case "InstallSnapshot":
      return `InstallSnapshot(t=${m.term},last=${m.lastIncludedIndex}/${m.lastIncludedTerm})`
    case "InstallSnapshotReply":
      return `InstallSnapshotReply(t=${m.term},match=${m.matchIndex})`
    case "Request":
      return `Request(${m.command.client}.${m.command.seq}:${defaultShow(m.command.command)})`
    case "Reply":
      return `Reply(${m.result.client}.${m.result.seq}:${defaultShow(m.result.result)})`
    default:
      return defaultShow(x)
  }
}

export const raftConfig = (setup: RaftSetup): Config => {
  const servers = serverNames(setup.servers)
  const workloads = setup.workloads ?? []
  const service = raftServer(servers, kvStore, setup.server)
  return {
    servers: servers.map((address) => ({ address, def: service.def })),
    clients: workloads.map((workload, i) => ({ address: `client${i + 1}`, def: exactlyOnceClient(servers, { ...setup.client, mode: "leader" }), workload })),
    ...(setup.network ? { network: setup.network } : {}),
    ...(setup.faults ? { faults: setup.faults } : {}),
    ...(setup.symmetricServers ? { symmetry: [servers] } : {}),
    show: showRaft,
  }
}

// ---------------------------------------------------------------------------------------------------
// Exhaustive (interleaving) systems

/**
 * The step properties of the raft model's servers: VOTE_KEPT, VOTE_OF_TERM, COMMIT_INDEX_MONOTONE, TERM_MONOTONE,
 * ROLE_RULES, DEPOSED_LEADER_ARMED, LEADER_UNARMED, RESTARTED_ARMED, LEADER_COMMITS_OWN_TERM and RPC_ARGS_FROM_LOG; `verdicts`, their cache (all but VOTE_OF_TERM, which also
 * reads the candidate's record, judge the records of the node a step changed, the last its sends: one
 * verdict per node step, step-verdicts.ts).
 */
const raftSteps = <L>(n: number, verdicts = new StepVerdicts()) => [
  verdicts.property(voteKept<L>(n, serverNames(n))),
  voteOfTerm<L>(n, serverNames(n)),
  verdicts.property(commitIndexMonotone<L>(raftReplicas(n, serverNames(n)))),
  verdicts.property(termMonotone<L>(n, serverNames(n))),
  verdicts.property(roleRules<L>(n, serverNames(n))),
  verdicts.property(deposedLeaderArmed<L>(n, serverNames(n))),
  verdicts.property(leaderUnarmed<L>(n, serverNames(n))),
  verdicts.property(restartedArmed<L>(n, serverNames(n))),
  verdicts.property(leaderCommitsOwnTerm<L>(raftReplicas(n, serverNames(n)))),
  rpcArgsFromLog<L>(n, serverNames(n), verdicts),
]

/** The exhaustive system of `setup` with the raft model's checks, `extra` state and `extraSteps` step properties after them. */
export const checkedSystem = (
  setup: RaftSetup,
  extra: ReadonlyArray<StateProperty<ProtocolState>> = [],
  name = "raft",
  extraSteps: ReadonlyArray<StepProperty<ProtocolState, any>> = []
) => {
  const config = raftConfig(setup)
  const n = setup.servers
  const refinement = (setup.workloads?.length ?? 0) <= 1 ? [kvRefinement(n) as StepProperty<ProtocolState, any>] : []
  const verdicts = raftVerdicts(n, serverNames(n))
  const steps = new StepVerdicts()
  return compile(config, {
    name,
    properties: [...(raftInvariants(n, serverNames(n), verdicts) as Array<StateProperty<ProtocolState>>), resultsOk(config), ...extra, appliedIsLog(n, serverNames(n), verdicts) as StateProperty<ProtocolState>, leaderHeartbeatArmed(n, serverNames(n)) as StateProperty<ProtocolState>, recoveryRebuilds<ProtocolState>(config, n)],
    stepProperties: [...raftSteps<any>(n, steps), ...refinement, messagesCarryTerm<any>(n, serverNames(n), steps), ackHeld<any>(n, serverNames(n), steps), conflictHintTrue<any>(n, serverNames(n), steps), ...deliverySteps(n, serverNames(n)), ...extraSteps] as Array<StepProperty<ProtocolState, any>>,
  })
}

// ---------------------------------------------------------------------------------------------------
// Simulated systems

export type SimSystem = TransitionSystem<TimedState, TimedEvent> & { readonly config: Config; readonly inject: TimedSystem["inject"]; readonly setup: SimSetup }

export interface SimSetup extends RaftSetup {
  readonly sim: SimOptions
  /** Invariants and goals beyond Raft's invariants, RESULTS_OK and APPENDS_LINEARIZABLE. */
  readonly properties?: ReadonlyArray<StateProperty<TimedState>>
  /** Also check REFINES_KV (single-client configurations). */
  readonly refinement?: boolean
}

/** APPENDS_LINEARIZABLE applies to workloads of appends only (a Put resets a key's history). */
const appendOnly = (ws: ReadonlyArray<Workload>) => ws.length > 0 && ws.every((w) => w.commands.every((c) => c._tag === "Append"))

export const simulated = (setup: SimSetup, seed: number, name = "raft simulated"): SimSystem => {
  const config = raftConfig({ ...setup, client: { countStats: true, ...setup.client } })
  const n = setup.servers
  const verdicts = raftVerdicts(n, serverNames(n))
  const props = [
    ...(raftInvariants(n, serverNames(n), verdicts) as Array<StateProperty<TimedState>>),
    resultsOk(config) as StateProperty<TimedState>,
    ...(appendOnly(setup.workloads ?? []) ? [appendsLinearizable(config) as StateProperty<TimedState>] : []),
    historyLinearizable<TimedState>(),
    ...(setup.properties ?? []),
    appliedIsLog(n, serverNames(n), verdicts) as StateProperty<TimedState>,
    leaderHeartbeatArmed(n, serverNames(n)) as StateProperty<TimedState>,
    recoveryRebuilds<TimedState>(config, n),
  ]
  // A run that has not finished in a simulated minute is stuck: stop it (the goal is then not found).
  const sys = timed(config, { maxTime: 60_000, ...setup.sim }, seed, { name, properties: props, report: (s) => raftReport(s, n) })
  const steps = [...(sys.stepProperties ?? []), ...(raftSteps<TimedEvent>(n) as Array<StepProperty<TimedState, TimedEvent>>), ...(setup.refinement ? [kvRefinement(n) as StepProperty<TimedState, TimedEvent>] : [])]
  const withSteps = withProperties(sys, sys.properties, steps)
  return Object.assign(Object.create(withSteps) as typeof withSteps, { config, inject: sys.inject, setup })
}

/**
 * The interleaving model of a simulated setup, for lifting its runs (core/swarm.ts): the same
 * servers, clients and options, any server may crash and restart, and the invariants the simulation
 * checks that do not read the clock.
 */
export const interleavedOf = (setup: SimSetup) =>
  checkedSystem(
    { ...setup, faults: { maxCrashed: setup.servers } },
    [...(appendOnly(setup.workloads ?? []) ? [appendsLinearizable(raftConfig(setup))] : []), historyLinearizable<ProtocolState>()],
    "raft, interleaved"
  )

/** Runs a one-successor (timed) system to its end, or until `stop` holds of a state; returns the last state. */
export const runToEnd = <S, L>(sys: TransitionSystem<S, L>, stop?: (s: S) => boolean): S => {
  let s: S = sys.initial()[0]!
  for (;;) {
    let next: S | undefined
    sys.successors(s, (_l, x) => (next = x))
    if (next === undefined || stop?.(next)) return s
    s = next
  }
}

/** The leader (highest term) among up servers, or undefined. */
export const leaderOf = (w: World, n: number): { readonly index: number; readonly term: number } | undefined => {
  let best: { index: number; term: number } | undefined
  serverStates(w, n).forEach((s, i) => {
    if (s && s.role === "leader" && (!best || s.term > best.term)) best = { index: i, term: s.term }
  })
  return best
}

/** Who leads just before time `t` when `setup` runs with `seed` (the same run, before any later fault). */
export const leaderBefore = (setup: SimSetup, seed: number, t: number): { readonly index: number; readonly term: number } => {
  const sys = simulated({ ...setup, sim: { ...setup.sim, stopWhenDone: false, maxTime: t } }, seed)
  const s = runToEnd(sys, (x) => x.now >= t)
  return leaderOf(s, setup.servers) ?? { index: 0, term: 0 }
}

/** A partition: `isolated` servers (and `with` clients) on one side, everyone else on the other. */
export const cutOff = (at: number, setup: RaftSetup, isolated: ReadonlyArray<number>, clientsWithIsolated = false): Fault => {
  const servers = serverNames(setup.servers)
  const clients = clientNames(setup.workloads?.length ?? 0)
  const a = isolated.map((i) => servers[i]!)
  const b = servers.filter((_, i) => !isolated.includes(i))
  return { at, k: "partition", groups: clientsWithIsolated ? [[...a, ...clients], b] : [a, [...b, ...clients]] }
}

/** Every server on its own (no majority anywhere); clients with server `clientsWith`. */
export const scatter = (at: number, setup: RaftSetup, clientsWith: number): Fault => {
  const servers = serverNames(setup.servers)
  const clients = clientNames(setup.workloads?.length ?? 0)
  return { at, k: "partition", groups: servers.map((s, i) => (i === clientsWith ? [s, ...clients] : [s])) }
}


// ---------------------------------------------------------------------------------------------------
// Goals and scenario invariants

const upStates = (w: World, n: number) => serverStates(w, n).filter((s): s is RaftState => s !== null)

/** One leader of the newest term, and every up server in that term following it. */
export const agreedLeader = (w: World, n: number): boolean => {
  const up = upStates(w, n)
  const term = Math.max(...up.map((s) => s.term))
  const leaders = up.filter((s) => s.role === "leader" && s.term === term)
  if (leaders.length !== 1) return false
  const names = serverNames(n)
  // Replicas know their leader by its log component's address.
  const leader = `${names[serverStates(w, n).indexOf(leaders[0]!)]}/log`
  return up.every((s) => s.term === term && (s.role === "leader" || s.leader === leader))
}

/** Every up server has the same log and commit index, at least `min`. */
export const allCaughtUp = (w: World, n: number, min = 0): boolean => {
  const up = upStates(w, n)
  if (up.length < n) return false
  const c = up[0]!.commitIndex
  return c >= min && up.every((s) => s.commitIndex === c && lastIndex(s) === lastIndex(up[0]!))
}

export const goalAfter = (t: number, name: string, holds: (s: TimedState) => boolean) => goal<TimedState>(name, (s) => s.now >= t && holds(s))

/** No server's term goes past `max` (a run without faults settles after few elections). */
export const termBounded = (n: number, max: number) =>
  invariant<TimedState>(`TERM_AT_MOST_${max}`, (w) => upStates(w, n).every((s) => s.term <= max), (w) => `terms: ${upStates(w, n).map((s) => s.term).join(",")}`)

/** Within [from, to), no server becomes leader of a term after `term`. */
export const noNewLeader = (n: number, from: number, to: number, term: number) =>
  invariant<TimedState>("NO_LEADER_WITHOUT_MAJORITY", (w) => w.now < from || w.now >= to || upStates(w, n).every((s) => s.role !== "leader" || s.term <= term))

/** Within [from, to), some server other than `old` leads a term after `term`. */
export const newLeaderBy = (n: number, from: number, to: number, old: number, term: number) =>
  invariant<TimedState>("NEW_LEADER_ELECTED", (w) => w.now < from || w.now >= to || serverStates(w, n).some((s, i) => i !== old && s?.role === "leader" && s.term > term))

/** No operation called at or after `from` completes before `to`. */
export const noCompletionBetween = (from: number, to: number) =>
  invariant<TimedState>(
    "MINORITY_DOES_NOT_COMPLETE",
    (w) => w.now < from || historyOf(w).every((o) => o.call < from || o.ret === undefined || o.ret >= to),
    (w) => {
      const o = historyOf(w).find((o) => o.call >= from && o.ret !== undefined && o.ret < to)
      return o && `${o.client}'s ${defaultShow(o.command)} called at ${o.call} completed at ${o.ret} while cut off from a majority`
    }
  )

/** Messages between servers stay under a budget that grows with time (heartbeats) and operations. */
export const messagesBounded = (base: number, perOp: number, perSecond: number) =>
  invariant<TimedState>(
    "MESSAGES_BOUNDED",
    (w) => w.stats.serverMessages <= base + perOp * historyOf(w).length + (perSecond * w.now) / 1000,
    (w) => `${w.stats.serverMessages} messages between servers by time ${w.now}`
  )

/** Every completed operation is in the committed state (the dedup table has each client's last sequence number). */
export const committedDurably = (n: number) =>
  goal<TimedState>("CLIENTS_DONE_AND_COMMITTED", (w) => {
    if (!allClientsDone(w)) return false
    const sm = committedState(w, n).sm
    return clientRoles(w, n).every((r) => {
      const seq = r.state(w)?.seq ?? 0
      return seq === 0 || (sm.last.get(r.address)?.seq ?? 0) >= seq
    })
  })

export const clientsDone = simDone

/** Typed handles on the clients, which follow the `n` servers. */
const clientRoles = (w: World, n: number) => clientNames(w.nodes.length - n).map((a, k) => role<ClientState>(n + k, a))

// ---------------------------------------------------------------------------------------------------
// Scoring

/** simReport plus wrong-leader replies and duplicate responses counted by the clients. */
export const raftReport = (s: TimedState, n: number) => {
  let failed = 0
  let duplicates = 0
  for (const r of clientRoles(s, n)) {
    const c = r.state(s)
    failed += c?.failed ?? 0
    duplicates += c?.duplicates ?? 0
  }
  const terms = upStates(s, n).map((x) => x.term)
  return { ...simReport(s), failedRequests: failed, duplicateResponses: duplicates, maxTerm: Math.max(0, ...terms) }
}
