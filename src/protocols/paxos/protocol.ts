/**
 * Multi-Paxos over a replicated log, serving an application behind the exactly-once wrapper (DSLabs
 * lab 3 / "Paxos Made Moderately Complex" folded into one server role: acceptor, leader and replica).
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
 * - Chosen slots are executed in order through `amo`, so a command chosen twice runs once, and the
 *   leader answers the client.
 */
import { Effect, Schema } from "effect"
import { AMOCommand, type AMOState, type Application, amo } from "../../core/application.ts"
import type { Address, Ctx, NodeDef, Tagged } from "../../core/node.ts"
import { CLIENT_RETRY_MILLIS, ClientTimer, Reply, Request } from "../clientserver/protocol.ts"
export { CLIENT_RETRY_MILLIS, ClientTimer, Reply, Request }

// ---- messages and timers -------------------------------------------------------------------------

/** The command a new leader proposes for a slot nobody accepted anything in. */
export class Noop extends Schema.TaggedClass<Noop>()("Noop", {}) {}

/** Phase 1a: "promise not to accept below (round, leader)". */
export class P1a extends Schema.TaggedClass<P1a>()("P1a", { round: Schema.Number, leader: Schema.String }) {}
/** Phase 1b: the acceptor's ballot (higher than asked: a rejection) and its log, [slot, entry] pairs. */
export class P1b extends Schema.TaggedClass<P1b>()("P1b", { round: Schema.Number, leader: Schema.String, entries: Schema.Any }) {}
export class P2a extends Schema.TaggedClass<P2a>()("P2a", { round: Schema.Number, leader: Schema.String, slot: Schema.Number, command: Schema.Any }) {}
/** Phase 2b: accepted at (round, leader), or a rejection carrying the acceptor's higher ballot. */
export class P2b extends Schema.TaggedClass<P2b>()("P2b", { round: Schema.Number, leader: Schema.String, slot: Schema.Number }) {}
/** Chosen slots, [slot, command] pairs: sent when a slot is chosen and to followers that lag. */
export class Decisions extends Schema.TaggedClass<Decisions>()("Decisions", { entries: Schema.Any }) {}
/** The leader is alive; every slot below `clear` was executed by every server. */
export class Heartbeat extends Schema.TaggedClass<Heartbeat>()("Heartbeat", { round: Schema.Number, leader: Schema.String, clear: Schema.Number }) {}
/** Reply to a heartbeat: the follower's ballot and the first slot it has not executed. */
export class HeartbeatReply extends Schema.TaggedClass<HeartbeatReply>()("HeartbeatReply", { round: Schema.Number, leader: Schema.String, executed: Schema.Number }) {}

export class HeartbeatTimer extends Schema.TaggedClass<HeartbeatTimer>()("HeartbeatTimer", {}) {}
export class ElectionTimer extends Schema.TaggedClass<ElectionTimer>()("ElectionTimer", {}) {}

export type PaxosMessage = Request | P1a | P1b | P2a | P2b | Decisions | Heartbeat | HeartbeatReply
export type PaxosTimer = HeartbeatTimer | ElectionTimer

export const HEARTBEAT_MILLIS = 25
export const ELECTION_MILLIS: readonly [number, number] = [150, 300]

// ---- state ---------------------------------------------------------------------------------------

/** A log slot: accepted at (round, leader), or chosen. */
export interface Entry {
  readonly chosen: boolean
  readonly round: number
  readonly leader: Address
  readonly command: Tagged
}

export interface PaxosState<A> {
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
  readonly app: AMOState<A>
  /** What this server knows of every server's first unexecuted slot (for compaction). */
  readonly executed: ReadonlyMap<Address, number>
  /** Follower: heard from a leader since the election timer last fired. */
  readonly heard: boolean
}

export type SlotStatus = "empty" | "accepted" | "chosen" | "cleared"

/** A slot as the checker sees it: its status at this server and the command (when known). */
export const slotStatus = <A>(s: PaxosState<A>, slot: number): { readonly status: SlotStatus; readonly command?: Tagged } => {
  if (slot < s.cleared) return { status: "cleared" }
  const e = s.log.get(slot)
  if (!e) return { status: "empty" }
  return { status: e.chosen ? "chosen" : "accepted", command: e.command }
}

const cmpBallot = (r1: number, l1: string, r2: number, l2: string): number => (r1 !== r2 ? r1 - r2 : l1 < l2 ? -1 : l1 > l2 ? 1 : 0)

export interface ServerOptions {
  /** Persist the whole state after every step, so a crashed server recovers it (crash-restart runs). */
  readonly persist?: boolean
  /** Planted bug: an acceptor accepts phase-2 messages below the ballot it promised. */
  readonly bugAcceptBelowPromise?: boolean
}

// ---- the server ----------------------------------------------------------------------------------

export const server = <A>(app: Application<A, any, any>, servers: ReadonlyArray<Address>, options: ServerOptions = {}): NodeDef<PaxosState<A>, PaxosMessage, PaxosTimer> => {
  const wrapped = amo(app)
  const majority = Math.floor(servers.length / 2) + 1
  const first = servers[0]!
  const empty = new Map<never, never>()
  const emptySet = new Set<never>()

  const others = (self: Address) => servers.filter((a) => a !== self)

  /** Promise a ballot higher than ours: forget any leadership or candidacy. */
  const adopt = (s: PaxosState<A>, round: number, leader: Address): PaxosState<A> =>
    cmpBallot(round, leader, s.round, s.leader) <= 0 ? s : { ...s, round, leader, active: false, promises: emptySet, merged: empty, votes: empty }

  const setEntry = (log: ReadonlyMap<number, Entry>, slot: number, e: Entry): Map<number, Entry> => new Map(log).set(slot, e)

  /** Executes every chosen slot in order from slotOut; the active leader answers clients. */
  const executeReady = (s: PaxosState<A>, ctx: Ctx): PaxosState<A> => {
    let slotOut = s.slotOut
    let state = s.app
    for (let e = s.log.get(slotOut); e?.chosen; e = s.log.get(slotOut)) {
      if (e.command._tag === "AMOCommand") {
        const [result, next] = wrapped.execute(state, e.command as AMOCommand)
        state = next
        if (result && s.active) ctx.send(result.client, new Reply({ result }))
      }
      slotOut++
    }
    if (slotOut === s.slotOut) return s
    const executed = new Map(s.executed).set(ctx.self, slotOut)
    return { ...s, slotOut, app: state, executed }
  }

  /** The leader learned that `slot` is chosen. */
  const decide = (s: PaxosState<A>, slot: number, command: Tagged): PaxosState<A> => {
    if (slot < s.cleared || s.log.get(slot)?.chosen) return s
    const prev = s.log.get(slot)
    const log = setEntry(s.log, slot, { chosen: true, round: prev?.round ?? s.round, leader: prev?.leader ?? s.leader, command })
    if (!s.votes.has(slot)) return { ...s, log }
    const votes = new Map(s.votes)
    votes.delete(slot)
    return { ...s, log, votes }
  }

  /** The leader proposes `command` for `slot` at its ballot, counting its own acceptance. */
  const propose = (s: PaxosState<A>, slot: number, command: Tagged, ctx: Ctx): PaxosState<A> => {
    if (majority === 1) return decide(s, slot, command)
    const log = setEntry(s.log, slot, { chosen: false, round: s.round, leader: s.leader, command })
    const votes = new Map(s.votes).set(slot, new Set([ctx.self]))
    ctx.broadcast(others(ctx.self), new P2a({ round: s.round, leader: s.leader, slot, command }))
    return { ...s, log, votes }
  }

  const nextFreeSlot = (s: PaxosState<A>): number => {
    let slot = Math.max(s.slotOut, s.cleared)
    for (const k of s.log.keys()) if (k >= slot) slot = k + 1
    return slot
  }

  const logEntries = (s: PaxosState<A>): Array<readonly [number, Entry]> => [...s.log].sort((a, b) => a[0] - b[0])

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
  const becomeLeader = (s0: PaxosState<A>, ctx: Ctx): PaxosState<A> => {
    let s: PaxosState<A> = { ...s0, active: true, promises: emptySet, merged: empty, votes: empty }
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

  const compactionPoint = (s: PaxosState<A>): number => {
    let min = Infinity
    for (const a of servers) min = Math.min(min, s.executed.get(a) ?? 0)
    return min
  }

  const clearBelow = (s: PaxosState<A>, point: number): PaxosState<A> => {
    const clear = Math.min(point, s.slotOut)
    if (clear <= s.cleared) return s
    const log = new Map(s.log)
    for (const k of log.keys()) if (k < clear) log.delete(k)
    return { ...s, log, cleared: clear }
  }

  const sendHeartbeats = (s: PaxosState<A>, ctx: Ctx) =>
    ctx.broadcast(others(ctx.self), new Heartbeat({ round: s.round, leader: s.leader, clear: compactionPoint(s) }))

  const startElectionTimer = (ctx: Ctx) => ctx.setTimer(new ElectionTimer(), ELECTION_MILLIS[0], ELECTION_MILLIS[1])

  const init = (ctx: Ctx): PaxosState<A> => {
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
      app: wrapped.init(),
      executed: empty,
      heard: false,
    }
  }

  const def: NodeDef<PaxosState<A>, PaxosMessage, PaxosTimer> = {
    init,
    recover: (durable, ctx) => {
      if (durable === undefined) return init(ctx)
      const s = durable as PaxosState<A>
      // Leadership and candidacy are volatile: a recovered server is a follower of its promised ballot.
      startElectionTimer(ctx)
      return { ...s, active: false, promises: emptySet, merged: empty, votes: empty, heard: false }
    },
    onMessage: {
      Request: Effect.fnUntraced(function* (s: PaxosState<A>, m: Request, _from: Address, ctx: Ctx) {
        if (!s.active) return s
        const c = m.command
        if (wrapped.alreadyExecuted(s.app, c)) {
          const last = s.app.last.get(c.client)
          if (last && last.seq === c.seq) ctx.send(c.client, new Reply({ result: last }))
          return s
        }
        for (const [slot, e] of s.log)
          if (slot >= s.slotOut && e.command._tag === "AMOCommand" && (e.command as AMOCommand).client === c.client && (e.command as AMOCommand).seq === c.seq)
            return s // already proposed; heartbeats re-send it
        return executeReady(propose(s, nextFreeSlot(s), c, ctx), ctx)
      }),
      P1a: Effect.fnUntraced(function* (s0: PaxosState<A>, m: P1a, from: Address, ctx: Ctx) {
        const s = adopt(s0, m.round, m.leader)
        ctx.send(from, new P1b({ round: s.round, leader: s.leader, entries: logEntries(s) }))
        return s === s0 ? s : { ...s, heard: true }
      }),
      P1b: Effect.fnUntraced(function* (s0: PaxosState<A>, m: P1b, from: Address, ctx: Ctx) {
        const s = adopt(s0, m.round, m.leader)
        if (s !== s0 || s.active || s.leader !== ctx.self || m.round !== s.round || m.leader !== s.leader || s.promises.has(from)) return s
        const next = { ...s, promises: new Set([...s.promises, from]), merged: mergeEntries(s.merged, m.entries, s.cleared) }
        return next.promises.size >= majority ? becomeLeader(next, ctx) : next
      }),
      P2a: Effect.fnUntraced(function* (s0: PaxosState<A>, m: P2a, from: Address, ctx: Ctx) {
        const below = cmpBallot(m.round, m.leader, s0.round, s0.leader) < 0
        if (below && !options.bugAcceptBelowPromise) {
          ctx.send(from, new P2b({ round: s0.round, leader: s0.leader, slot: m.slot }))
          return s0
        }
        let s = below ? s0 : adopt(s0, m.round, m.leader)
        if (!below) s = { ...s, heard: true }
        const e = s.log.get(m.slot)
        if (m.slot >= s.cleared && !e?.chosen) s = { ...s, log: setEntry(s.log, m.slot, { chosen: false, round: m.round, leader: m.leader, command: m.command }) }
        ctx.send(from, new P2b({ round: m.round, leader: m.leader, slot: m.slot }))
        return s
      }),
      P2b: Effect.fnUntraced(function* (s0: PaxosState<A>, m: P2b, from: Address, ctx: Ctx) {
        const s = adopt(s0, m.round, m.leader)
        if (s !== s0 || !s.active || m.round !== s.round || m.leader !== s.leader) return s
        const voters = s.votes.get(m.slot)
        if (!voters || voters.has(from)) return s
        const now = new Set([...voters, from])
        if (now.size < majority) return { ...s, votes: new Map(s.votes).set(m.slot, now) }
        const command = s.log.get(m.slot)!.command
        ctx.broadcast(others(ctx.self), new Decisions({ entries: [[m.slot, command]] }))
        return executeReady(decide(s, m.slot, command), ctx)
      }),
      Decisions: Effect.fnUntraced(function* (s0: PaxosState<A>, m: Decisions, _from: Address, ctx: Ctx) {
        let s = s0
        for (const [slot, command] of m.entries as ReadonlyArray<readonly [number, Tagged]>) s = decide(s, slot, command)
        return executeReady(s, ctx)
      }),
      Heartbeat: Effect.fnUntraced(function* (s0: PaxosState<A>, m: Heartbeat, from: Address, ctx: Ctx) {
        if (cmpBallot(m.round, m.leader, s0.round, s0.leader) < 0) {
          ctx.send(from, new HeartbeatReply({ round: s0.round, leader: s0.leader, executed: s0.slotOut }))
          return s0
        }
        const s = clearBelow({ ...adopt(s0, m.round, m.leader), heard: true }, m.clear)
        ctx.send(from, new HeartbeatReply({ round: s.round, leader: s.leader, executed: s.slotOut }))
        return s
      }),
      HeartbeatReply: Effect.fnUntraced(function* (s0: PaxosState<A>, m: HeartbeatReply, from: Address, ctx: Ctx) {
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
      HeartbeatTimer: Effect.fnUntraced(function* (s: PaxosState<A>, _t: HeartbeatTimer, ctx: Ctx) {
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
        return clearBelow(s, compactionPoint(s))
      }),
      ElectionTimer: Effect.fnUntraced(function* (s: PaxosState<A>, _t: ElectionTimer, ctx: Ctx) {
        if (s.active) return s
        startElectionTimer(ctx)
        if (s.heard) return { ...s, heard: false }
        // Phase 1 with a higher ballot, once for every slot.
        const round = s.round + 1
        ctx.broadcast(others(ctx.self), new P1a({ round, leader: ctx.self }))
        const next: PaxosState<A> = {
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
  return options.persist ? persisting(def) : def
}

/** Wraps every handler so that the state after each step is persisted (crash-restart runs). */
const persisting = <S, M extends Tagged, T extends Tagged>(def: NodeDef<S, M, T>): NodeDef<S, M, T> => {
  const wrapM = (h: any) => (s: S, m: M, from: Address, ctx: Ctx) => Effect.tap(h(s, m, from, ctx) as Effect.Effect<S>, (next) => Effect.sync(() => next !== s && ctx.persist(next)))
  const wrapT = (h: any) => (s: S, t: T, ctx: Ctx) => Effect.tap(h(s, t, ctx) as Effect.Effect<S>, (next) => Effect.sync(() => next !== s && ctx.persist(next)))
  return {
    ...def,
    init: (ctx) => {
      const s = def.init(ctx)
      ctx.persist(s)
      return s
    },
    onMessage: Object.fromEntries(Object.entries(def.onMessage).map(([k, h]) => [k, wrapM(h)])) as unknown as NodeDef<S, M, T>["onMessage"],
    ...(def.onTimer ? { onTimer: Object.fromEntries(Object.entries(def.onTimer).map(([k, h]) => [k, wrapT(h)])) as unknown as NodeDef<S, M, T>["onTimer"] } : {}),
  }
}

// ---- the client: the exactly-once client of clientserver, broadcasting to every server ----

export { client, type ClientState } from "../clientserver/protocol.ts"
