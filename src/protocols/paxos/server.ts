/**
 * Multi-Paxos as a replicated-log component (core/replicated-log.ts): DSLabs lab 3 / "Paxos Made
 * Moderately Complex" folded into one replica role (acceptor, leader and learner). It knows nothing of
 * what it orders: the KV service is a thin parent over it (core/replicated-service.ts).
 *
 * - Ballots are (round, leader), ordered lexicographically. Every server starts promised to ballot
 *   (0, first server), and that server starts as the active leader: phase 1 of ballot 0 is trivially
 *   complete, since nothing can have been accepted below it.
 * - A follower that heard nothing from a leader during one election timeout (drawn from a range)
 *   starts phase 1 with a higher ballot. Phase 1 runs once per ballot for all slots: the promises
 *   carry every accepted entry; the new leader re-proposes the highest-ballot value of each slot,
 *   fills gaps with no-ops, and from then on a stable leader runs phase 2 only.
 * - The active leader sends heartbeats (carrying the compaction point) and re-sends phase-2 messages
 *   of unchosen slots on each heartbeat (reproposals, for liveness under loss).
 * - Servers piggyback their executed slot on heartbeat replies; once every server has executed a
 *   prefix, the leader announces it and every server clears those slots (log compaction).
 * - Chosen slots are handed to the parent in order as `Committed(slot, command)` (no-ops are not); the
 *   parent applies them through the exactly-once layer, so a command chosen twice runs once.
 */
import { Effect } from "effect"
import type { Application } from "../../core/application.ts"
import { rootOf } from "../../core/execute.ts"
import type { Address, Ctx, NodeDef, Tagged } from "../../core/node.ts"
import { deleteIn, deleteWhere, PersistentMap, setIn, someChanged } from "../../core/persistent-map.ts"
import { committed, groupAddresses, type LogEvent, type ReplicatedLog, restored, sameCommand } from "../../core/replicated-log.ts"
import { replicatedService, type Service, type ServiceState } from "../../core/replicated-service.ts"
import { Decisions, ElectionTimer, Heartbeat, HEARTBEAT_MILLIS, HeartbeatReply, HeartbeatTimer, ELECTION_MILLIS, Noop, P1a, P1b, P2a, P2b, type PaxosMessage, type PaxosTimer } from "./messages.ts"
export * from "./messages.ts"

/** A replica's context: it sends only PaxosMessages, sets only PaxosTimers, and hands its parent log events. */
type C = Ctx<PaxosMessage, PaxosTimer, LogEvent>

// ---- state ---------------------------------------------------------------------------------------

/** A log slot: accepted at (round, leader), or chosen. */
export interface Entry {
  readonly chosen: boolean
  readonly round: number
  readonly leader: Address
  readonly command: Tagged
}

export interface PaxosState {
  /** The ballot this server has promised (and, when it is the leader of it, leads). */
  readonly round: number
  readonly leader: Address
  /** This server leads `(round, self)` and finished its phase 1. */
  readonly active: boolean
  /** Candidate: servers that promised, and the entries their promises carried, merged. */
  readonly promises: ReadonlySet<Address>
  readonly merged: ReadonlyMap<number, Entry>
  /** Leader: for each slot it proposed and has not seen chosen, the servers that accepted. */
  readonly votes: ReadonlyMap<number, ReadonlySet<Address>>
  /** Slots at and above `cleared`; slots below it were executed everywhere and forgotten. */
  readonly log: ReadonlyMap<number, Entry>
  readonly cleared: number
  /** First slot not yet executed. */
  readonly slotOut: number
  /**
   * With persistence: the parent's applied state after slot `snapSlot` (-1: none yet), handed over by
   * the parent's snapshots; slots above it are never cleared, so a recovering replica rebuilds its
   * parent from the snapshot and the chosen slots after it.
   */
  readonly snap: unknown
  readonly snapSlot: number
  /**
   * With persistence: `slotOut` at the last write, the first slot storage cannot rebuild; what this
   * replica reports as executed, so no one clears a slot it would need after a crash.
   */
  readonly saved: number
  /** What this server knows of every server's first unexecuted slot (for compaction). */
  readonly executed: ReadonlyMap<Address, number>
  /** Follower: heard from a leader since the election timer last fired. */
  readonly heard: boolean
}

export type SlotStatus = "empty" | "accepted" | "chosen" | "cleared"

/** A slot as the checker sees it: its status at this server and the command (when known). */
export const slotStatus = (s: PaxosState, slot: number): { readonly status: SlotStatus; readonly command?: Tagged } => {
  if (slot < s.cleared) return { status: "cleared" }
  const e = s.log.get(slot)
  if (!e) return { status: "empty" }
  return { status: e.chosen ? "chosen" : "accepted", command: e.command }
}

const cmpBallot = (r1: number, l1: string, r2: number, l2: string): number => (r1 !== r2 ? r1 - r2 : l1 < l2 ? -1 : l1 > l2 ? 1 : 0)

/**
 * What a persisting replica keeps on disk: its promise and its accepted slots (an acceptor's safety),
 * and its parent's snapshot with the slots after it. A slot learned chosen makes a write of its own
 * unless `lazyLearning` (the runtime) defers it; executing and snapshotting are written with the next
 * write or heartbeat: with lazyLearning a client's reply does not wait for a disk write at the leader. A recovered replica relearns what it lost from the leader (Decisions), which
 * still holds those slots: a replica reports as executed only what its storage holds (`saved`).
 */
export type PaxosDurable = Pick<PaxosState, "round" | "leader" | "log" | "cleared" | "snap" | "snapSlot">

export const paxosDurableOf = (s: PaxosState): PaxosDurable => ({ round: s.round, leader: s.leader, log: s.log, cleared: s.cleared, snap: s.snap, snapSlot: s.snapSlot })

export interface ServerOptions {
  /**
   * Persist the promise, the accepted slots and the parent's snapshot (see PaxosDurable), so a
   * crashed replica recovers them and rebuilds its parent's applied state (crash-restart runs).
   */
  readonly persist?: boolean
  /**
   * With persist: a slot learned chosen goes to storage with the next write or heartbeat but makes no
   * write of its own (the runtime: the leader's step that answers a client waits for no disk write; a
   * recovering replica relearns it from the leader). Off by default: the searches' refinement reads the
   * learned chosen slots, which must then survive a crash of the only replica that learned them.
   */
  readonly lazyLearning?: boolean
  /** Planted bug: an acceptor accepts phase-2 messages below the ballot it promised. */
  readonly bugAcceptBelowPromise?: boolean
  /** Planted bug: a stale P2a is rejected to the promise's own leader too, whose newer ballot the rejection carries, so it counts as a vote. */
  readonly bugRejectionCounted?: boolean
}

// ---- the server ----------------------------------------------------------------------------------

/** The Paxos log of a group whose replicas are `group` (component addresses such as `server1/log`). */
export const paxosLog = (group: ReadonlyArray<Address>, options: ServerOptions = {}): ReplicatedLog<PaxosState> => {
  const servers = group
  const majority = Math.floor(servers.length / 2) + 1
  const first = servers[0]!
  const empty = new Map<never, never>()
  const emptySet = new Set<never>()

  const others = (self: Address) => servers.filter((a) => a !== self)

  /** The first slot this replica may still need (reported to the leader, which clears below everyone's). */
  const executedOf = (s: PaxosState): number => (options.persist ? s.saved : s.slotOut)

  /** Promise a ballot higher than ours: forget any leadership or candidacy. */
  const adopt = (s: PaxosState, round: number, leader: Address): PaxosState =>
    cmpBallot(round, leader, s.round, s.leader) <= 0 ? s : { ...s, round, leader, active: false, promises: emptySet, merged: empty, votes: empty }

  // setIn: a log longer than a checker's (a loaded runtime's) is a PersistentMap, not copied per slot.
  const setEntry = (log: ReadonlyMap<number, Entry>, slot: number, e: Entry): ReadonlyMap<number, Entry> => setIn(log, slot, e)

  /** Hands every chosen slot from slotOut to the parent, in order. */
  const executeReady = (s: PaxosState, ctx: C): PaxosState => {
    let slotOut = s.slotOut
    for (let e = s.log.get(slotOut); e?.chosen; e = s.log.get(slotOut)) {
      if (e.command._tag !== "Noop") ctx.emit(committed(slotOut, e.command))
      slotOut++
    }
    if (slotOut === s.slotOut) return s
    // A persisting replica's own entry moves with what it has saved (the persistence hook).
    if (options.persist) return { ...s, slotOut }
    const executed = new Map(s.executed).set(ctx.self, slotOut)
    return { ...s, slotOut, executed }
  }

  /** The leader learned that `slot` is chosen. */
  const decide = (s: PaxosState, slot: number, command: Tagged): PaxosState => {
    if (slot < s.cleared || s.log.get(slot)?.chosen) return s
    const prev = s.log.get(slot)
    const log = setEntry(s.log, slot, { chosen: true, round: prev?.round ?? s.round, leader: prev?.leader ?? s.leader, command })
    if (!s.votes.has(slot)) return { ...s, log }
    return { ...s, log, votes: deleteIn(s.votes, slot) }
  }

  /** The leader proposes `command` for `slot` at its ballot, counting its own acceptance. */
  const propose = (s: PaxosState, slot: number, command: Tagged, ctx: C): PaxosState => {
    if (majority === 1) return decide(s, slot, command)
    const log = setEntry(s.log, slot, { chosen: false, round: s.round, leader: s.leader, command })
    const votes = setIn(s.votes, slot, new Set([ctx.self]))
    ctx.broadcast(others(ctx.self), new P2a({ round: s.round, leader: s.leader, slot, command }))
    return { ...s, log, votes }
  }

  const nextFreeSlot = (s: PaxosState): number => {
    let slot = Math.max(s.slotOut, s.cleared)
    for (const k of s.log.keys()) if (k >= slot) slot = k + 1
    return slot
  }

  const logEntries = (s: PaxosState): Array<readonly [number, Entry]> => [...s.log].sort((a, b) => a[0] - b[0])

  const mergeEntries = (merged: ReadonlyMap<number, Entry>, entries: ReadonlyArray<readonly [number, Entry]>, cleared: number): ReadonlyMap<number, Entry> => {
    let out: Map<number, Entry> | undefined
    for (const [slot, e] of entries) {
      if (slot < cleared) continue
      const have = (out ?? merged).get(slot)
      if (have && (have.chosen || (!e.chosen && cmpBallot(have.round, have.leader, e.round, e.leader) >= 0))) continue
      out ??= new Map(merged)
      out.set(slot, e)
    }
    return out ?? merged
  }

  /** Phase 1 done: adopt the merged log, re-propose or fill every open slot, start heartbeats. */
  const becomeLeader = (s0: PaxosState, ctx: C): PaxosState => {
    let s: PaxosState = { ...s0, active: true, promises: emptySet, merged: empty, votes: empty }
    let top = s.slotOut - 1
    for (const k of s0.merged.keys()) if (k > top) top = k
    for (let slot = Math.max(s.slotOut, s.cleared); slot <= top; slot++) {
      if (s.log.get(slot)?.chosen) continue
      const e = s0.merged.get(slot)
      s = e?.chosen ? decide(s, slot, e.command) : propose(s, slot, e ? e.command : new Noop(), ctx)
    }
    ctx.cancelTimer(ElectionTimer)
    ctx.cancelTimer(HeartbeatTimer)
    ctx.setTimer(new HeartbeatTimer(), HEARTBEAT_MILLIS)
    sendHeartbeats(s, ctx)
    return executeReady(s, ctx)
  }

  const compactionPoint = (s: PaxosState): number => {
    let min = Infinity
    for (const a of servers) min = Math.min(min, s.executed.get(a) ?? 0)
    return min
  }

  const clearBelow = (s: PaxosState, point: number): PaxosState => {
    // A persisting replica keeps every slot after its parent's snapshot: recovery replays them.
    const clear = Math.min(point, s.slotOut, options.persist ? s.snapSlot + 1 : Infinity)
    if (clear <= s.cleared) return s
    // A large (runtime's) log loses the slots path by path instead of being copied.
    if (s.log instanceof PersistentMap) return { ...s, log: deleteWhere(s.log, (k) => k < clear), cleared: clear }
    const log = new Map(s.log)
    for (const k of log.keys()) if (k < clear) log.delete(k)
    return { ...s, log, cleared: clear }
  }

  const sendHeartbeats = (s: PaxosState, ctx: C) =>
    ctx.broadcast(others(ctx.self), new Heartbeat({ round: s.round, leader: s.leader, clear: compactionPoint(s) }))

  const startElectionTimer = (ctx: C) => ctx.setTimer(new ElectionTimer(), ELECTION_MILLIS[0], ELECTION_MILLIS[1])

  const init = (ctx: C): PaxosState => {
    const leading = ctx.self === first
    if (leading) ctx.setTimer(new HeartbeatTimer(), HEARTBEAT_MILLIS)
    else startElectionTimer(ctx)
    return {
      round: 0,
      leader: first,
      active: leading,
      promises: emptySet,
      merged: empty,
      votes: empty,
      log: empty,
      cleared: 0,
      slotOut: 0,
      executed: empty,
      heard: false,
      snap: undefined,
      snapSlot: -1,
      saved: 0,
    }
  }

  const def: NodeDef<PaxosState, PaxosMessage, PaxosTimer, C> = {
    init,
    recover: (durable, ctx) => {
      if (durable === undefined) return init(ctx)
      const d = durable as PaxosDurable
      // Leadership and candidacy are volatile: a recovered server is a follower of its promised ballot.
      startElectionTimer(ctx)
      // The parent's applied state is rebuilt from the snapshot and the chosen slots after it.
      if (d.snapSlot >= 0) ctx.emit(restored(d.snapSlot, d.snap))
      let slotOut = d.snapSlot + 1
      for (let e = d.log.get(slotOut); e?.chosen; e = d.log.get(++slotOut)) if (e.command._tag !== "Noop") ctx.emit(committed(slotOut, e.command))
      return {
        ...d,
        slotOut,
        saved: slotOut,
        active: false,
        promises: emptySet,
        merged: empty,
        votes: empty,
        executed: new Map([[ctx.self, slotOut]]),
        heard: false,
      }
    },
    onMessage: {
      P1a: Effect.fnUntraced(function* (s0: PaxosState, m: P1a, from: Address, ctx: C) {
        const s = adopt(s0, m.round, m.leader)
        ctx.send(from, new P1b({ round: s.round, leader: s.leader, entries: logEntries(s) }))
        return s === s0 ? s : { ...s, heard: true }
      }),
      P1b: Effect.fnUntraced(function* (s0: PaxosState, m: P1b, from: Address, ctx: C) {
        const s = adopt(s0, m.round, m.leader)
        if (s !== s0 || s.active || s.leader !== ctx.self || m.round !== s.round || m.leader !== s.leader || s.promises.has(from)) return s
        const next = { ...s, promises: new Set([...s.promises, from]), merged: mergeEntries(s.merged, m.entries, s.cleared) }
        return next.promises.size >= majority ? becomeLeader(next, ctx) : next
      }),
      P2a: Effect.fnUntraced(function* (s0: PaxosState, m: P2a, from: Address, ctx: C) {
        const below = cmpBallot(m.round, m.leader, s0.round, s0.leader) < 0
        if (below && !options.bugAcceptBelowPromise) {
          // The rejection tells a proposer of a higher ballot; to the promise's own leader it would carry that leader's newer ballot and count as a vote there.
          if (s0.leader !== from || options.bugRejectionCounted) ctx.send(from, new P2b({ round: s0.round, leader: s0.leader, slot: m.slot }))
          return s0
        }
        let s = below ? s0 : adopt(s0, m.round, m.leader)
        if (!below) s = { ...s, heard: true }
        const e = s.log.get(m.slot)
        if (m.slot >= s.cleared && !e?.chosen) s = { ...s, log: setEntry(s.log, m.slot, { chosen: false, round: m.round, leader: m.leader, command: m.command }) }
        ctx.send(from, new P2b({ round: m.round, leader: m.leader, slot: m.slot }))
        return s
      }),
      P2b: Effect.fnUntraced(function* (s0: PaxosState, m: P2b, from: Address, ctx: C) {
        const s = adopt(s0, m.round, m.leader)
        if (s !== s0 || !s.active || m.round !== s.round || m.leader !== s.leader) return s
        const voters = s.votes.get(m.slot)
        if (!voters || voters.has(from)) return s
        const now = new Set([...voters, from])
        if (now.size < majority) return { ...s, votes: setIn(s.votes, m.slot, now) }
        const command = s.log.get(m.slot)!.command
        ctx.broadcast(others(ctx.self), new Decisions({ entries: [[m.slot, command]] }))
        return executeReady(decide(s, m.slot, command), ctx)
      }),
      Decisions: Effect.fnUntraced(function* (s0: PaxosState, m: Decisions, _from: Address, ctx: C) {
        let s = s0
        for (const [slot, command] of m.entries as ReadonlyArray<readonly [number, Tagged]>) s = decide(s, slot, command)
        return executeReady(s, ctx)
      }),
      Heartbeat: Effect.fnUntraced(function* (s0: PaxosState, m: Heartbeat, from: Address, ctx: C) {
        if (cmpBallot(m.round, m.leader, s0.round, s0.leader) < 0) {
          ctx.send(from, new HeartbeatReply({ round: s0.round, leader: s0.leader, executed: executedOf(s0) }))
          return s0
        }
        const s = savePending(clearBelow({ ...adopt(s0, m.round, m.leader), heard: true }, m.clear), ctx)
        ctx.send(from, new HeartbeatReply({ round: s.round, leader: s.leader, executed: executedOf(s) }))
        return s
      }),
      HeartbeatReply: Effect.fnUntraced(function* (s0: PaxosState, m: HeartbeatReply, from: Address, ctx: C) {
        const s = adopt(s0, m.round, m.leader)
        if (s !== s0 || !s.active) return s
        const known = s.executed.get(from) ?? 0
        const next = m.executed > known ? { ...s, executed: new Map(s.executed).set(from, m.executed) } : s
        if (m.executed < s.slotOut) {
          // The follower lags: send it every chosen slot it has not executed (all still in our log).
          const entries: Array<readonly [number, Tagged]> = []
          for (let slot = Math.max(m.executed, s.cleared); slot < s.slotOut; slot++) entries.push([slot, s.log.get(slot)!.command])
          if (entries.length > 0) ctx.send(from, new Decisions({ entries }))
        }
        return next
      }),
    },
    onTimer: {
      HeartbeatTimer: Effect.fnUntraced(function* (s: PaxosState, _t: HeartbeatTimer, ctx: C) {
        if (!s.active) {
          // We stepped down: watch the new leader instead.
          ctx.cancelTimer(ElectionTimer)
          startElectionTimer(ctx)
          return s
        }
        sendHeartbeats(s, ctx)
        // Reproposals: phase-2 messages of unchosen slots go again to those that did not accept.
        for (const [slot, voters] of s.votes) {
          const e = s.log.get(slot)!
          ctx.broadcast(
            others(ctx.self).filter((a) => !voters.has(a)),
            new P2a({ round: s.round, leader: s.leader, slot, command: e.command })
          )
        }
        ctx.setTimer(new HeartbeatTimer(), HEARTBEAT_MILLIS)
        // Our own compaction point moves with our executed slot.
        return savePending(clearBelow(s, compactionPoint(s)), ctx)
      }),
      ElectionTimer: Effect.fnUntraced(function* (s: PaxosState, _t: ElectionTimer, ctx: C) {
        if (s.active) return s
        startElectionTimer(ctx)
        if (s.heard) return { ...s, heard: false }
        // Phase 1 with a higher ballot, once for every slot.
        const round = s.round + 1
        ctx.broadcast(others(ctx.self), new P1a({ round, leader: ctx.self }))
        const next: PaxosState = {
          ...s,
          round,
          leader: ctx.self,
          active: false,
          promises: new Set([ctx.self]),
          merged: mergeEntries(empty, logEntries(s), s.cleared),
          votes: empty,
        }
        return majority === 1 ? becomeLeader(next, ctx) : next
      }),
    },
  }
  /** Whether the step accepted a value: a changed entry not chosen, or a new one (one server alone decides at once). Only a slot turning chosen is learning. */
  const accepted = (before: PaxosState, after: PaxosState): boolean => someChanged(before.log, after.log, (_, e, b) => !e.chosen || b === undefined)

  /** Whether a slot became chosen in this step. */
  const learned = (before: PaxosState, after: PaxosState): boolean => someChanged(before.log, after.log, (_, e, b) => e.chosen && b?.chosen !== true)

  /** Writes the durable part of `s`; what is saved is then what this replica reports as executed. */
  const write = (s: PaxosState, ctx: C): PaxosState => {
    ctx.persist(paxosDurableOf(s))
    return s.saved === s.slotOut ? s : { ...s, saved: s.slotOut, executed: new Map(s.executed).set(ctx.self, s.slotOut) }
  }

  /** On heartbeats (at most one write per heartbeat period): what was learned since the last write is written. */
  const savePending = (s: PaxosState, ctx: C): PaxosState => (options.persist && s.saved !== s.slotOut ? write(s, ctx) : s)

  /**
   * The persistence hook: writes when the promise or an accepted slot changed, or slots were cleared,
   * with the snapshot taken since the last write; learning alone waits for the next write or heartbeat,
   * so the step that answers a client writes nothing of its own.
   */
  const save = (before: PaxosState, after: PaxosState, ctx: C): PaxosState =>
    before.round === after.round && before.leader === after.leader && before.cleared === after.cleared && !accepted(before, after) && (options.lazyLearning || !learned(before, after))
      ? after
      : write(after, ctx)
  return {
    def: options.persist ? { ...def, hooks: { after: save } } : def,
    /** The active leader proposes at its next free slot, unless the command already waits in its log. */
    propose: (s: PaxosState, c: Tagged, ctx: C) => {
      if (!s.active) return s
      for (const [slot, e] of s.log) if (slot >= s.slotOut && sameCommand(e.command, c)) return s // heartbeats re-send it
      return executeReady(propose(s, nextFreeSlot(s), c, ctx), ctx)
    },
    isLeader: (s) => s.active,
    leaderHint: (s) => rootOf(s.leader),
    // A persisting replica snapshots its parent at every executed slot (storage keeps only the change).
    ...(options.persist
      ? { snapshot: { due: (s: PaxosState, slot: number) => slot === s.slotOut - 1 && slot > s.snapSlot, take: (s: PaxosState, slot: number, data: unknown) => (slot <= s.snapSlot ? s : { ...s, snap: data, snapSlot: slot }) } }
      : {}),
  }
}

/** The replicated service of `app` over a Paxos log at path "log" in each of `servers`. */
export const paxosServer = <A>(app: Application<A, any, any>, servers: ReadonlyArray<Address>, options: ServerOptions = {}): Service<A, PaxosState> =>
  replicatedService(app, paxosLog(groupAddresses(servers, "log"), options))

export type PaxosServerState<A> = ServiceState<A, PaxosState>

