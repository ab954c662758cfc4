/**
 * Raft (Ongaro & Ousterhout, extended version) replicating a KV store behind the exactly-once wrapper,
 * after MIT 6.824 labs 2A-2D and 3A-3B:
 *
 * - leader election with randomised timeouts (RequestVote, the "at least as up to date" check);
 * - log replication with heartbeats (AppendEntries), fast backtracking (conflict term and the first
 *   index of that term in the reply), and commitment only of entries of the leader's current term
 *   counted on a majority (Figure 8);
 * - persistence of term, vote, log and snapshot through `ctx.persist`, and `recover` after a crash;
 * - log compaction once the log exceeds a threshold, and InstallSnapshot for lagging followers;
 * - a KV service: clients send AMO commands to the server they believe leads, follow leader hints in
 *   WrongLeader replies, and retry on a timer.
 *
 * One deviation from the paper, to make the applied state readable from durable storage: the commit
 * index is persisted with the log (it only grows, and committed entries never change, so this is safe).
 */
import { Effect, Schema } from "effect"
import { AMOCommand, type AMOState, type Application, amo } from "../../core/application.ts"
import { answerIfExecuted, Reply, Request, WrongLeader } from "../../core/exactly-once.ts"
import type { Address, Ctx, NodeDef } from "../../core/node.ts"

export { Reply, Request, WrongLeader }

// ---------------------------------------------------------------------------------------------------
// Messages and timers

export const Entry = Schema.Struct({ term: Schema.Number, command: AMOCommand })
export type Entry = typeof Entry.Type

export class RequestVote extends Schema.TaggedClass<RequestVote>()("RequestVote", {
  term: Schema.Number,
  lastLogIndex: Schema.Number,
  lastLogTerm: Schema.Number,
}) {}
export class RequestVoteReply extends Schema.TaggedClass<RequestVoteReply>()("RequestVoteReply", {
  term: Schema.Number,
  granted: Schema.Boolean,
}) {}
export class AppendEntries extends Schema.TaggedClass<AppendEntries>()("AppendEntries", {
  term: Schema.Number,
  prevLogIndex: Schema.Number,
  prevLogTerm: Schema.Number,
  entries: Schema.Array(Entry),
  leaderCommit: Schema.Number,
}) {}
/**
 * success: the follower's log matches the leader's through `matchIndex`. On failure, `conflictTerm`
 * is the term of the follower's entry at prevLogIndex (-1 when it has none) and `conflictIndex` the
 * first index of that term in its log (or its log length + 1).
 */
export class AppendEntriesReply extends Schema.TaggedClass<AppendEntriesReply>()("AppendEntriesReply", {
  term: Schema.Number,
  success: Schema.Boolean,
  matchIndex: Schema.Number,
  conflictTerm: Schema.Number,
  conflictIndex: Schema.Number,
}) {}
export class InstallSnapshot extends Schema.TaggedClass<InstallSnapshot>()("InstallSnapshot", {
  term: Schema.Number,
  lastIncludedIndex: Schema.Number,
  lastIncludedTerm: Schema.Number,
  /** The replicated state machine (AMO-wrapped application) after lastIncludedIndex. */
  data: Schema.Any,
}) {}
export class InstallSnapshotReply extends Schema.TaggedClass<InstallSnapshotReply>()("InstallSnapshotReply", {
  term: Schema.Number,
  matchIndex: Schema.Number,
}) {}


export class ElectionTimer extends Schema.TaggedClass<ElectionTimer>()("ElectionTimer", {}) {}
export class HeartbeatTimer extends Schema.TaggedClass<HeartbeatTimer>()("HeartbeatTimer", {}) {}

export type ServerMessage = RequestVote | RequestVoteReply | AppendEntries | AppendEntriesReply | InstallSnapshot | InstallSnapshotReply | Request
export type ServerTimer = ElectionTimer | HeartbeatTimer

/** Simulated milliseconds. */
export const ELECTION_MIN = 150
export const ELECTION_MAX = 300
export const HEARTBEAT = 50

// ---------------------------------------------------------------------------------------------------
// State

export type Role = "follower" | "candidate" | "leader"

export interface RaftState<A> {
  readonly role: Role
  readonly term: number
  readonly votedFor: Address | null
  /** Entries after the snapshot: index snapIndex + 1 + k is log[k]. */
  readonly log: ReadonlyArray<Entry>
  readonly snapIndex: number
  readonly snapTerm: number
  /** The state machine as of snapIndex. */
  readonly snap: AMOState<A>
  /** Entries through commitIndex are committed and applied (lastApplied = commitIndex). */
  readonly commitIndex: number
  /** The state machine as of commitIndex. */
  readonly sm: AMOState<A>
  /** Candidate: servers that granted their vote this term, sorted. */
  readonly votes: ReadonlyArray<Address> | null
  /** Leader: per follower, next index to send and highest index known replicated. */
  readonly next: ReadonlyMap<Address, number> | null
  readonly match: ReadonlyMap<Address, number> | null
  /** The leader this server last heard from in its current term. */
  readonly leader: Address | null
}

/** What survives a crash: term, vote, log, snapshot, and the commit index (it only grows). */
export type RaftDurable<A> = Pick<RaftState<A>, "term" | "votedFor" | "log" | "snapIndex" | "snapTerm" | "snap" | "commitIndex">

export const lastIndex = (s: { readonly snapIndex: number; readonly log: ReadonlyArray<Entry> }): number => s.snapIndex + s.log.length
/** Term of the entry at index i; -1 when the log has no entry there (or it is compacted away below the snapshot). */
export const termAt = (s: { readonly snapIndex: number; readonly snapTerm: number; readonly log: ReadonlyArray<Entry> }, i: number): number =>
  i === s.snapIndex ? s.snapTerm : i > s.snapIndex && i <= s.snapIndex + s.log.length ? s.log[i - s.snapIndex - 1]!.term : i === 0 ? 0 : -1
export const entryAt = (s: { readonly snapIndex: number; readonly log: ReadonlyArray<Entry> }, i: number): Entry | undefined =>
  i > s.snapIndex ? s.log[i - s.snapIndex - 1] : undefined

export interface ServerOptions {
  /** Compact the log once it holds more than this many entries (default: never). */
  readonly snapshotThreshold?: number
  /** Bounded search: a server whose term has reached this does not start another election. */
  readonly maxTerm?: number
  /** Planted bug: grant votes without checking that the candidate's log is at least as up to date. */
  readonly bugVoteWithoutUpToDateCheck?: boolean
  /** Planted bug: commit any entry stored on a majority, whatever its term (ignores Figure 8). */
  readonly bugCommitOldTerms?: boolean
}

/** The state machine after applying `log`'s entries up to index `upTo`, starting from the snapshot. */
export const applyUpTo = <A>(wrapped: ReturnType<typeof amo<A, any, any>>, d: RaftDurable<A> | RaftState<A>, from: AMOState<A>, fromIndex: number, upTo: number): AMOState<A> => {
  let sm = from
  for (let i = fromIndex + 1; i <= upTo; i++) sm = wrapped.execute(sm, entryAt(d, i)!.command)[1]
  return sm
}

export const durableOf = <A>(s: RaftState<A>): RaftDurable<A> => ({
  term: s.term,
  votedFor: s.votedFor,
  log: s.log,
  snapIndex: s.snapIndex,
  snapTerm: s.snapTerm,
  snap: s.snap,
  commitIndex: s.commitIndex,
})

// ---------------------------------------------------------------------------------------------------
// Server

export const raftServer = <A>(servers: ReadonlyArray<Address>, app: Application<A, any, any>, options: ServerOptions = {}): NodeDef<RaftState<A>, ServerMessage, ServerTimer> => {
  const wrapped = amo(app)
  const majority = Math.floor(servers.length / 2) + 1
  const threshold = options.snapshotThreshold ?? Infinity
  const maxTerm = options.maxTerm ?? Infinity
  const others = (self: Address) => servers.filter((a) => a !== self)

  const resetElectionTimer = (ctx: Ctx) => {
    ctx.cancelTimer(ElectionTimer)
    ctx.setTimer(new ElectionTimer(), ELECTION_MIN, ELECTION_MAX)
  }

  /** Persists when any durable field changed (by reference: state is copy-on-write). */
  const save = (before: RaftState<A>, after: RaftState<A>, ctx: Ctx): RaftState<A> => {
    if (
      before.term !== after.term ||
      before.votedFor !== after.votedFor ||
      before.log !== after.log ||
      before.snapIndex !== after.snapIndex ||
      before.commitIndex !== after.commitIndex
    )
      ctx.persist(durableOf(after))
    return after
  }

  /** Adopt a newer term (or give up candidacy / leadership in this one). */
  const stepDown = (s: RaftState<A>, term: number, ctx: Ctx): RaftState<A> => {
    if (s.role === "leader") {
      ctx.cancelTimer(HeartbeatTimer)
      ctx.setTimer(new ElectionTimer(), ELECTION_MIN, ELECTION_MAX)
    }
    return {
      ...s,
      role: "follower",
      term,
      votedFor: term > s.term ? null : s.votedFor,
      votes: null,
      next: null,
      match: null,
      leader: term > s.term ? null : s.leader,
    }
  }

  /** Applies newly committed entries; the leader answers their clients. Then compacts if the log is long. */
  const commitTo = (s: RaftState<A>, index: number, ctx: Ctx): RaftState<A> => {
    if (index <= s.commitIndex) return s
    let sm = s.sm
    for (let i = s.commitIndex + 1; i <= index; i++) {
      const e = entryAt(s, i)!
      const [result, next] = wrapped.execute(sm, e.command)
      sm = next
      if (s.role === "leader" && result) ctx.send(e.command.client, new Reply({ result }))
    }
    let out: RaftState<A> = { ...s, commitIndex: index, sm }
    if (out.log.length > threshold) {
      const k = index - out.snapIndex
      out = { ...out, log: out.log.slice(k), snapIndex: index, snapTerm: termAt(out, index), snap: sm }
    }
    return out
  }

  const sendAppend = (s: RaftState<A>, peer: Address, ctx: Ctx): void => {
    const ni = s.next!.get(peer)!
    if (ni <= s.snapIndex) {
      ctx.send(peer, new InstallSnapshot({ term: s.term, lastIncludedIndex: s.snapIndex, lastIncludedTerm: s.snapTerm, data: s.snap }))
      return
    }
    ctx.send(
      peer,
      new AppendEntries({
        term: s.term,
        prevLogIndex: ni - 1,
        prevLogTerm: termAt(s, ni - 1),
        entries: s.log.slice(ni - 1 - s.snapIndex),
        leaderCommit: s.commitIndex,
      })
    )
  }

  const broadcastAppend = (s: RaftState<A>, ctx: Ctx): void => {
    for (const p of others(ctx.self)) sendAppend(s, p, ctx)
  }

  /** The highest index of the current term stored on a majority (Figure 8: never count older terms). */
  const advanceCommit = (s: RaftState<A>, ctx: Ctx): RaftState<A> => {
    for (let n = lastIndex(s); n > s.commitIndex; n--) {
      const t = termAt(s, n)
      if (t !== s.term && !options.bugCommitOldTerms) break
      let count = 1
      for (const [, m] of s.match!) if (m >= n) count++
      if (count >= majority) return commitTo(s, n, ctx)
    }
    return s
  }

  const becomeLeader = (s: RaftState<A>, ctx: Ctx): RaftState<A> => {
    ctx.cancelTimer(ElectionTimer)
    const peers = others(ctx.self)
    const leader: RaftState<A> = {
      ...s,
      role: "leader",
      votes: null,
      leader: ctx.self,
      next: new Map(peers.map((p) => [p, lastIndex(s) + 1])),
      match: new Map(peers.map((p) => [p, 0])),
    }
    broadcastAppend(leader, ctx)
    ctx.setTimer(new HeartbeatTimer(), HEARTBEAT)
    // A one-server cluster commits on its own.
    return advanceCommit(leader, ctx)
  }

  /** A newer term in any message makes this server a follower of that term. */
  const observeTerm = (s: RaftState<A>, term: number, ctx: Ctx): RaftState<A> => (term > s.term ? stepDown(s, term, ctx) : s)

  const init = (ctx: Ctx): RaftState<A> => {
    ctx.setTimer(new ElectionTimer(), ELECTION_MIN, ELECTION_MAX)
    const sm = wrapped.init()
    return { role: "follower", term: 0, votedFor: null, log: [], snapIndex: 0, snapTerm: 0, snap: sm, commitIndex: 0, sm, votes: null, next: null, match: null, leader: null }
  }

  return {
    init,
    recover: (durable, ctx) => {
      if (durable === undefined) return init(ctx)
      const d = durable as RaftDurable<A>
      ctx.setTimer(new ElectionTimer(), ELECTION_MIN, ELECTION_MAX)
      return {
        role: "follower",
        term: d.term,
        votedFor: d.votedFor,
        log: d.log,
        snapIndex: d.snapIndex,
        snapTerm: d.snapTerm,
        snap: d.snap,
        commitIndex: d.commitIndex,
        sm: applyUpTo(wrapped, d, d.snap, d.snapIndex, d.commitIndex),
        votes: null,
        next: null,
        match: null,
        leader: null,
      }
    },
    onTimer: {
      ElectionTimer: Effect.fnUntraced(function* (s0: RaftState<A>, _t: ElectionTimer, ctx: Ctx) {
        if (s0.role === "leader" || s0.term >= maxTerm) return s0
        const s: RaftState<A> = { ...s0, role: "candidate", term: s0.term + 1, votedFor: ctx.self, votes: [ctx.self], leader: null, next: null, match: null }
        ctx.broadcast(others(ctx.self), new RequestVote({ term: s.term, lastLogIndex: lastIndex(s), lastLogTerm: termAt(s, lastIndex(s)) }))
        ctx.setTimer(new ElectionTimer(), ELECTION_MIN, ELECTION_MAX)
        return save(s0, s.votes!.length >= majority ? becomeLeader(s, ctx) : s, ctx)
      }),
      HeartbeatTimer: Effect.fnUntraced(function* (s: RaftState<A>, _t: HeartbeatTimer, ctx: Ctx) {
        if (s.role !== "leader") return s
        broadcastAppend(s, ctx)
        ctx.setTimer(new HeartbeatTimer(), HEARTBEAT)
        return s
      }),
    },
    onMessage: {
      RequestVote: Effect.fnUntraced(function* (s0: RaftState<A>, m: RequestVote, from: Address, ctx: Ctx) {
        let s = observeTerm(s0, m.term, ctx)
        const myLast = lastIndex(s)
        const myLastTerm = termAt(s, myLast)
        const upToDate = m.lastLogTerm > myLastTerm || (m.lastLogTerm === myLastTerm && m.lastLogIndex >= myLast)
        const grant = m.term === s.term && (s.votedFor === null || s.votedFor === from) && (upToDate || options.bugVoteWithoutUpToDateCheck === true)
        if (grant) {
          if (s.votedFor === null) s = { ...s, votedFor: from }
          resetElectionTimer(ctx)
        }
        ctx.send(from, new RequestVoteReply({ term: s.term, granted: grant }))
        return save(s0, s, ctx)
      }),
      RequestVoteReply: Effect.fnUntraced(function* (s0: RaftState<A>, m: RequestVoteReply, from: Address, ctx: Ctx) {
        const s = observeTerm(s0, m.term, ctx)
        if (s.role !== "candidate" || m.term !== s.term || !m.granted || s.votes!.includes(from)) return save(s0, s, ctx)
        const votes = [...s.votes!, from].sort()
        const next: RaftState<A> = { ...s, votes }
        return save(s0, votes.length >= majority ? becomeLeader(next, ctx) : next, ctx)
      }),
      AppendEntries: Effect.fnUntraced(function* (s0: RaftState<A>, m: AppendEntries, from: Address, ctx: Ctx) {
        if (m.term < s0.term) {
          ctx.send(from, new AppendEntriesReply({ term: s0.term, success: false, matchIndex: 0, conflictTerm: -1, conflictIndex: 0 }))
          return s0
        }
        let s = m.term > s0.term || s0.role !== "follower" ? stepDown(s0, m.term, ctx) : s0
        if (s.leader !== from) s = { ...s, leader: from }
        resetElectionTimer(ctx)
        const last = lastIndex(s)
        const fail = (conflictTerm: number, conflictIndex: number) => {
          ctx.send(from, new AppendEntriesReply({ term: s.term, success: false, matchIndex: 0, conflictTerm, conflictIndex }))
          return save(s0, s, ctx)
        }
        if (m.prevLogIndex > last) return fail(-1, last + 1)
        // Entries at or below our snapshot are committed, hence already match: skip them.
        let prev = m.prevLogIndex
        let entries = m.entries
        if (prev < s.snapIndex) {
          const skip = Math.min(entries.length, s.snapIndex - prev)
          entries = entries.slice(skip)
          prev += skip
          if (prev < s.snapIndex) {
            ctx.send(from, new AppendEntriesReply({ term: s.term, success: true, matchIndex: prev, conflictTerm: -1, conflictIndex: 0 }))
            return save(s0, s, ctx)
          }
        } else if (termAt(s, prev) !== m.prevLogTerm) {
          const ct = termAt(s, prev)
          let ci = prev
          while (ci - 1 > s.snapIndex && termAt(s, ci - 1) === ct) ci--
          return fail(ct, ci)
        }
        // Append what is new; truncate only at a real conflict (a stale message must not cut the log).
        let log = s.log
        for (let k = 0; k < entries.length; k++) {
          const idx = prev + 1 + k
          if (idx <= s.snapIndex + log.length) {
            if (log[idx - s.snapIndex - 1]!.term === entries[k]!.term) continue
            log = [...log.slice(0, idx - s.snapIndex - 1), ...entries.slice(k)]
          } else log = [...log, ...entries.slice(k)]
          break
        }
        if (log !== s.log) s = { ...s, log }
        const matchIndex = prev + entries.length
        s = commitTo(s, Math.min(m.leaderCommit, matchIndex), ctx)
        ctx.send(from, new AppendEntriesReply({ term: s.term, success: true, matchIndex, conflictTerm: -1, conflictIndex: 0 }))
        return save(s0, s, ctx)
      }),
      AppendEntriesReply: Effect.fnUntraced(function* (s0: RaftState<A>, m: AppendEntriesReply, from: Address, ctx: Ctx) {
        const s = observeTerm(s0, m.term, ctx)
        if (s.role !== "leader" || m.term !== s.term) return save(s0, s, ctx)
        const match = s.match!.get(from)!
        const next = s.next!.get(from)!
        if (m.success) {
          if (m.matchIndex <= match) return s
          const out: RaftState<A> = {
            ...s,
            match: new Map(s.match!).set(from, m.matchIndex),
            next: new Map(s.next!).set(from, Math.max(next, m.matchIndex + 1)),
          }
          const committed = advanceCommit(out, ctx)
          if (out.next!.get(from)! <= lastIndex(out)) sendAppend(committed, from, ctx)
          return save(s0, committed, ctx)
        }
        if (m.conflictIndex === 0) return s
        // Fast backup: skip the follower's whole conflicting term, or to just past our last entry of it.
        let ni = m.conflictIndex
        if (m.conflictTerm >= 0) {
          for (let i = lastIndex(s); i > s.snapIndex; i--)
            if (termAt(s, i) === m.conflictTerm) {
              ni = i + 1
              break
            }
        }
        ni = Math.max(match + 1, Math.min(ni, next))
        if (ni === next) return s
        const out: RaftState<A> = { ...s, next: new Map(s.next!).set(from, ni) }
        sendAppend(out, from, ctx)
        return out
      }),
      InstallSnapshot: Effect.fnUntraced(function* (s0: RaftState<A>, m: InstallSnapshot, from: Address, ctx: Ctx) {
        if (m.term < s0.term) {
          ctx.send(from, new InstallSnapshotReply({ term: s0.term, matchIndex: 0 }))
          return s0
        }
        let s = m.term > s0.term || s0.role !== "follower" ? stepDown(s0, m.term, ctx) : s0
        if (s.leader !== from) s = { ...s, leader: from }
        resetElectionTimer(ctx)
        if (m.lastIncludedIndex > s.commitIndex) {
          const keep = termAt(s, m.lastIncludedIndex) === m.lastIncludedTerm ? s.log.slice(m.lastIncludedIndex - s.snapIndex) : []
          const data = m.data as AMOState<A>
          s = { ...s, log: keep, snapIndex: m.lastIncludedIndex, snapTerm: m.lastIncludedTerm, snap: data, commitIndex: m.lastIncludedIndex, sm: data }
        }
        ctx.send(from, new InstallSnapshotReply({ term: s.term, matchIndex: m.lastIncludedIndex }))
        return save(s0, s, ctx)
      }),
      InstallSnapshotReply: Effect.fnUntraced(function* (s0: RaftState<A>, m: InstallSnapshotReply, from: Address, ctx: Ctx) {
        const s = observeTerm(s0, m.term, ctx)
        if (s.role !== "leader" || m.term !== s.term) return save(s0, s, ctx)
        const match = s.match!.get(from)!
        if (m.matchIndex <= match) return s
        const out: RaftState<A> = {
          ...s,
          match: new Map(s.match!).set(from, m.matchIndex),
          next: new Map(s.next!).set(from, Math.max(s.next!.get(from)!, m.matchIndex + 1)),
        }
        const committed = advanceCommit(out, ctx)
        if (committed.next!.get(from)! <= lastIndex(committed)) sendAppend(committed, from, ctx)
        return save(s0, committed, ctx)
      }),
      Request: Effect.fnUntraced(function* (s: RaftState<A>, m: Request, from: Address, ctx: Ctx) {
        const c = m.command
        if (s.role !== "leader") {
          ctx.send(from, new WrongLeader({ seq: c.seq, hint: s.leader }))
          return s
        }
        if (answerIfExecuted(s.sm, c, ctx, from)) return s
        // Already appended in this term: it will be answered when it commits. (A copy from an older
        // term may never commit on its own, Figure 8, so a retry appends it again; the AMO wrapper
        // executes only the first copy.)
        for (let i = s.commitIndex + 1; i <= lastIndex(s); i++) {
          const e = entryAt(s, i)!
          if (e.term === s.term && e.command.client === c.client && e.command.seq === c.seq) return s
        }
        const out: RaftState<A> = { ...s, log: [...s.log, { term: s.term, command: c }] }
        broadcastAppend(out, ctx)
        return save(s, advanceCommit(out, ctx), ctx)
      }),
    },
  }
}
