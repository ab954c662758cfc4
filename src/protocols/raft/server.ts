/**
 * Raft (Ongaro & Ousterhout, extended version) as a replicated-log component (core/replicated-log.ts),
 * after MIT 6.824 labs 2A-2D; the KV service of labs 3A-3B is the thin parent of core/replicated-service.ts:
 *
 * - leader election with randomised timeouts (RequestVote, the "at least as up to date" check);
 * - log replication with heartbeats (AppendEntries), fast backtracking (conflict term and the first
 *   index of that term in the reply), and commitment only of entries of the leader's current term
 *   counted on a majority (Figure 8);
 * - persistence of term, vote, log and snapshot through `ctx.persist`, and `recover` after a crash;
 * - committed entries handed to the parent in order (`Committed`); log compaction once the log exceeds
 *   a threshold, with the parent's applied state as the snapshot, and InstallSnapshot for lagging
 *   followers (`Restored` hands the snapshot to the follower's parent);
 * - the term rule (a newer term in any message makes a follower) and persistence after every step that
 *   changed a durable field are the component's hooks, written once.
 *
 * One deviation from the paper, to make the applied state readable from durable storage: the commit
 * index is persisted with the log (it only grows, and committed entries never change, so this is safe);
 * a recovering replica hands its parent the snapshot and the committed entries after it again.
 */
import { Effect } from "effect"
import { rootOf } from "../../core/execute.ts"
import type { Application } from "../../core/application.ts"
import type { Address, Ctx, NodeDef, Tagged } from "../../core/node.ts"
import { committed, groupAddresses, type LogEvent, type ReplicatedLog, restored, sameCommand } from "../../core/replicated-log.ts"
import { replicatedService, type Service, type ServiceState } from "../../core/replicated-service.ts"
import {
  AppendEntries,
  AppendEntriesReply,
  ELECTION_MAX,
  ELECTION_MIN,
  ElectionTimer,
  type Entry,
  HEARTBEAT,
  HeartbeatTimer,
  InstallSnapshot,
  InstallSnapshotReply,
  type RaftMessage,
  type RaftTimer,
  RequestVote,
  RequestVoteReply,
} from "./messages.ts"

export * from "./messages.ts"

/** A replica's context: it sends only RaftMessages, sets only RaftTimers, and hands its parent log events. */
type C = Ctx<RaftMessage, RaftTimer, LogEvent>

// ---------------------------------------------------------------------------------------------------
// State

export type Role = "follower" | "candidate" | "leader"

export interface RaftState {
  readonly role: Role
  readonly term: number
  readonly votedFor: Address | null
  /** Entries after the snapshot: index snapIndex + 1 + k is log[k]. */
  readonly log: ReadonlyArray<Entry>
  readonly snapIndex: number
  readonly snapTerm: number
  /** The parent's applied state as of snapIndex (opaque to the log). */
  readonly snap: unknown
  /** Entries through commitIndex are committed and handed to the parent (lastApplied = commitIndex). */
  readonly commitIndex: number
  /** Candidate: servers that granted their vote this term, sorted. */
  readonly votes: ReadonlyArray<Address> | null
  /** Leader: per follower, next index to send and highest index known replicated. */
  readonly next: ReadonlyMap<Address, number> | null
  readonly match: ReadonlyMap<Address, number> | null
  /** The leader this server last heard from in its current term. */
  readonly leader: Address | null
}

/** What survives a crash: term, vote, log, snapshot, and the commit index (it only grows). */
export type RaftDurable = Pick<RaftState, "term" | "votedFor" | "log" | "snapIndex" | "snapTerm" | "snap" | "commitIndex">

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
  /**
   * A bootstrapped cluster: every replica starts in term 1 with the first replica as its elected
   * leader (as Paxos's first server leads ballot 0), so searches with timers off need no election.
   */
  readonly bootstrapLeader?: boolean
  /**
   * The commit index goes to storage with the next write of term, vote, log or snapshot, but makes no
   * write of its own (the runtime: the step at the leader that answers a client then waits for no disk
   * write). Safe: what storage says is committed is; a recovering replica relearns the rest from the
   * leader. Default off: the pinned searches persist it with every change.
   */
  readonly lazyCommitIndex?: boolean
}

export const durableOf = (s: RaftState): RaftDurable => ({
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

/** The Raft log of a group whose replicas are `group` (component addresses such as `s1/log`). */
export const raftLog = (group: ReadonlyArray<Address>, options: ServerOptions = {}): ReplicatedLog<RaftState> => {
  const servers = group
  const majority = Math.floor(servers.length / 2) + 1
  const threshold = options.snapshotThreshold ?? Infinity
  const maxTerm = options.maxTerm ?? Infinity
  const others = (self: Address) => servers.filter((a) => a !== self)

  const resetElectionTimer = (ctx: C) => {
    ctx.cancelTimer(ElectionTimer)
    ctx.setTimer(new ElectionTimer(), ELECTION_MIN, ELECTION_MAX)
  }

  /** The persistence hook: persists when any durable field changed (by reference: state is copy-on-write). */
  const save = (before: RaftState, after: RaftState, ctx: C): RaftState => {
    if (
      before.term !== after.term ||
      before.votedFor !== after.votedFor ||
      before.log !== after.log ||
      before.snapIndex !== after.snapIndex ||
      (before.commitIndex !== after.commitIndex && !options.lazyCommitIndex)
    )
      ctx.persist(durableOf(after))
    return after
  }

  /** Adopt a newer term (or give up candidacy / leadership in this one). */
  const stepDown = (s: RaftState, term: number, ctx: C): RaftState => {
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

  /** Hands newly committed entries to the parent, in order. */
  const commitTo = (s: RaftState, index: number, ctx: C): RaftState => {
    if (index <= s.commitIndex) return s
    for (let i = s.commitIndex + 1; i <= index; i++) ctx.emit(committed(i, entryAt(s, i)!.command))
    return { ...s, commitIndex: index }
  }

  const sendAppend = (s: RaftState, peer: Address, ctx: C): void => {
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

  const broadcastAppend = (s: RaftState, ctx: C): void => {
    for (const p of others(ctx.self)) sendAppend(s, p, ctx)
  }

  /** The highest index of the current term stored on a majority (Figure 8: never count older terms). */
  const advanceCommit = (s: RaftState, ctx: C): RaftState => {
    for (let n = lastIndex(s); n > s.commitIndex; n--) {
      const t = termAt(s, n)
      if (t !== s.term && !options.bugCommitOldTerms) break
      let count = 1
      for (const [, m] of s.match!) if (m >= n) count++
      if (count >= majority) return commitTo(s, n, ctx)
    }
    return s
  }

  const becomeLeader = (s: RaftState, ctx: C): RaftState => {
    ctx.cancelTimer(ElectionTimer)
    const peers = others(ctx.self)
    const leader: RaftState = {
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
  const observeTerm = (s: RaftState, term: number, ctx: C): RaftState => (term > s.term ? stepDown(s, term, ctx) : s)

  const init = (ctx: C): RaftState => {
    const s: RaftState = { role: "follower", term: 0, votedFor: null, log: [], snapIndex: 0, snapTerm: 0, snap: undefined, commitIndex: 0, votes: null, next: null, match: null, leader: null }
    if (!options.bootstrapLeader) {
      ctx.setTimer(new ElectionTimer(), ELECTION_MIN, ELECTION_MAX)
      return s
    }
    const first = servers[0]!
    const boot: RaftState = { ...s, term: 1, votedFor: first, leader: first }
    ctx.persist(durableOf(boot))
    if (ctx.self !== first) {
      ctx.setTimer(new ElectionTimer(), ELECTION_MIN, ELECTION_MAX)
      return boot
    }
    const peers = others(ctx.self)
    ctx.setTimer(new HeartbeatTimer(), HEARTBEAT)
    return { ...boot, role: "leader", next: new Map(peers.map((p) => [p, 1])), match: new Map(peers.map((p) => [p, 0])) }
  }

  const def: NodeDef<RaftState, RaftMessage, RaftTimer, C> = {
    init,
    recover: (durable, ctx) => {
      if (durable === undefined) return init(ctx)
      const d = durable as RaftDurable
      ctx.setTimer(new ElectionTimer(), ELECTION_MIN, ELECTION_MAX)
      // The parent's applied state is rebuilt from the snapshot and the committed entries after it.
      if (d.snapIndex > 0) ctx.emit(restored(d.snapIndex, d.snap))
      for (let i = d.snapIndex + 1; i <= d.commitIndex; i++) ctx.emit(committed(i, entryAt(d, i)!.command))
      return {
        role: "follower",
        term: d.term,
        votedFor: d.votedFor,
        log: d.log,
        snapIndex: d.snapIndex,
        snapTerm: d.snapTerm,
        snap: d.snap,
        commitIndex: d.commitIndex,
        votes: null,
        next: null,
        match: null,
        leader: null,
      }
    },
    onTimer: {
      ElectionTimer: Effect.fnUntraced(function* (s0: RaftState, _t: ElectionTimer, ctx: C) {
        if (s0.role === "leader" || s0.term >= maxTerm) return s0
        const s: RaftState = { ...s0, role: "candidate", term: s0.term + 1, votedFor: ctx.self, votes: [ctx.self], leader: null, next: null, match: null }
        ctx.broadcast(others(ctx.self), new RequestVote({ term: s.term, lastLogIndex: lastIndex(s), lastLogTerm: termAt(s, lastIndex(s)) }))
        ctx.setTimer(new ElectionTimer(), ELECTION_MIN, ELECTION_MAX)
        return s.votes!.length >= majority ? becomeLeader(s, ctx) : s
      }),
      HeartbeatTimer: Effect.fnUntraced(function* (s: RaftState, _t: HeartbeatTimer, ctx: C) {
        if (s.role !== "leader") return s
        broadcastAppend(s, ctx)
        ctx.setTimer(new HeartbeatTimer(), HEARTBEAT)
        return s
      }),
    },
    onMessage: {
      RequestVote: Effect.fnUntraced(function* (s0: RaftState, m: RequestVote, from: Address, ctx: C) {
        let s = s0
        const myLast = lastIndex(s)
        const myLastTerm = termAt(s, myLast)
        const upToDate = m.lastLogTerm > myLastTerm || (m.lastLogTerm === myLastTerm && m.lastLogIndex >= myLast)
        const grant = m.term === s.term && (s.votedFor === null || s.votedFor === from) && (upToDate || options.bugVoteWithoutUpToDateCheck === true)
        if (grant) {
          if (s.votedFor === null) s = { ...s, votedFor: from }
          resetElectionTimer(ctx)
        }
        ctx.send(from, new RequestVoteReply({ term: s.term, granted: grant }))
        return s
      }),
      RequestVoteReply: Effect.fnUntraced(function* (s0: RaftState, m: RequestVoteReply, from: Address, ctx: C) {
        const s = s0
        if (s.role !== "candidate" || m.term !== s.term || !m.granted || s.votes!.includes(from)) return s
        const votes = [...s.votes!, from].sort()
        const next: RaftState = { ...s, votes }
        return votes.length >= majority ? becomeLeader(next, ctx) : next
      }),
      AppendEntries: Effect.fnUntraced(function* (s0: RaftState, m: AppendEntries, from: Address, ctx: C) {
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
          return s
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
            return s
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
        return s
      }),
      AppendEntriesReply: Effect.fnUntraced(function* (s0: RaftState, m: AppendEntriesReply, from: Address, ctx: C) {
        const s = s0
        if (s.role !== "leader" || m.term !== s.term) return s
        const match = s.match!.get(from)!
        const next = s.next!.get(from)!
        if (m.success) {
          if (m.matchIndex <= match) return s
          const out: RaftState = {
            ...s,
            match: new Map(s.match!).set(from, m.matchIndex),
            next: new Map(s.next!).set(from, Math.max(next, m.matchIndex + 1)),
          }
          const committed = advanceCommit(out, ctx)
          if (out.next!.get(from)! <= lastIndex(out)) sendAppend(committed, from, ctx)
          return committed
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
        const out: RaftState = { ...s, next: new Map(s.next!).set(from, ni) }
        sendAppend(out, from, ctx)
        return out
      }),
      InstallSnapshot: Effect.fnUntraced(function* (s0: RaftState, m: InstallSnapshot, from: Address, ctx: C) {
        if (m.term < s0.term) {
          ctx.send(from, new InstallSnapshotReply({ term: s0.term, matchIndex: 0 }))
          return s0
        }
        let s = m.term > s0.term || s0.role !== "follower" ? stepDown(s0, m.term, ctx) : s0
        if (s.leader !== from) s = { ...s, leader: from }
        resetElectionTimer(ctx)
        if (m.lastIncludedIndex > s.commitIndex) {
          const keep = termAt(s, m.lastIncludedIndex) === m.lastIncludedTerm ? s.log.slice(m.lastIncludedIndex - s.snapIndex) : []
          s = { ...s, log: keep, snapIndex: m.lastIncludedIndex, snapTerm: m.lastIncludedTerm, snap: m.data, commitIndex: m.lastIncludedIndex }
          ctx.emit(restored(m.lastIncludedIndex, m.data))
        }
        ctx.send(from, new InstallSnapshotReply({ term: s.term, matchIndex: m.lastIncludedIndex }))
        return s
      }),
      InstallSnapshotReply: Effect.fnUntraced(function* (s0: RaftState, m: InstallSnapshotReply, from: Address, ctx: C) {
        const s = s0
        if (s.role !== "leader" || m.term !== s.term) return s
        const match = s.match!.get(from)!
        if (m.matchIndex <= match) return s
        const out: RaftState = {
          ...s,
          match: new Map(s.match!).set(from, m.matchIndex),
          next: new Map(s.next!).set(from, Math.max(s.next!.get(from)!, m.matchIndex + 1)),
        }
        const committed = advanceCommit(out, ctx)
        if (committed.next!.get(from)! <= lastIndex(committed)) sendAppend(committed, from, ctx)
        return committed
      }),
    },
    hooks: {
      // The term rule, for every message: a newer term makes this server a follower of that term.
      message: (s, m, _from, ctx) => observeTerm(s, m.term, ctx),
      after: save,
    },
  }

  return {
    def,
    /** The leader appends `command` unless this term's log already holds it (a retry); it commits on a majority. */
    propose: (s: RaftState, command: Tagged, ctx: C) => {
      if (s.role !== "leader") return s
      // Already appended in this term: it will be answered when it commits. (A copy from an older term
      // may never commit on its own, Figure 8, so a retry appends it again; the parent's exactly-once
      // layer executes only the first copy.)
      for (let i = s.commitIndex + 1; i <= lastIndex(s); i++) {
        const e = entryAt(s, i)!
        if (e.term === s.term && sameCommand(e.command, command)) return s
      }
      const out: RaftState = { ...s, log: [...s.log, { term: s.term, command }] }
      broadcastAppend(out, ctx)
      return advanceCommit(out, ctx)
    },
    isLeader: (s) => s.role === "leader",
    leaderHint: (s) => (s.leader === null ? null : rootOf(s.leader)),
    snapshot: {
      due: (s, slot) => slot === s.commitIndex && s.log.length > threshold,
      take: (s: RaftState, slot: number, data: unknown) => {
        if (slot <= s.snapIndex) return s
        return { ...s, log: s.log.slice(slot - s.snapIndex), snapIndex: slot, snapTerm: termAt(s, slot), snap: data }
      },
    },
  }
}

/** The replicated KV service (or any application's) over a Raft log at path "log" in each of `servers`. */
export const raftServer = <A>(servers: ReadonlyArray<Address>, app: Application<A, any, any>, options: ServerOptions = {}): Service<A, RaftState> =>
  replicatedService(app, raftLog(groupAddresses(servers, "log"), options), { redirect: true })

export type RaftServerState<A> = ServiceState<A, RaftState>
