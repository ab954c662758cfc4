/**
 * The services the runtime can run, by protocol name: the server and client node definitions (the
 * checked ones, unchanged), every Schema class that may appear on the wire or on disk, and how to read
 * a server's view of the leader for the log. The only place in src/runtime that knows protocols.
 */
import { Schema } from "effect"
import { amoSchemas, amoStateSchema } from "../core/application.ts"
import { exactlyOnceClient, exactlyOnceSchemas, WrongLeader } from "../core/exactly-once.ts"
import { Append, AppendResult, Get, GetResult, KeyNotFound, KVCommand, KVResult, KVState, kvStore, Put, PutOk } from "../core/kv.ts"
import type { Address, ClientDef, NodeDef, Tagged } from "../core/node.ts"
import { ReadProbe, ReadProbeAck } from "../core/read-index.ts"
import { groupAddresses } from "../core/replicated-log.ts"
import { COPY_UP_TO, PersistentMap, someChanged } from "../core/persistent-map.ts"
import { trustingConstruction } from "../core/tagged-data.ts"
import { replicatedService } from "../core/replicated-service.ts"
import { paxosReadIndexLog } from "../protocols/paxos/read-index.ts"
import * as paxos from "../protocols/paxos/server.ts"
import { raftReadIndexLog } from "../protocols/raft/read-index.ts"
import * as raft from "../protocols/raft/server.ts"
import { Registry, type TaggedClass } from "./codec.ts"
import { passes } from "./shape-check.ts"
import type { Reach } from "./catch-up.ts"

export interface Service {
  readonly name: string
  readonly server: (servers: ReadonlyArray<Address>) => NodeDef<any, any, any>
  readonly client: (servers: ReadonlyArray<Address>) => ClientDef<any, any, any, any>
  readonly registry: Registry
  /** Tags a client may send to a server's client port. */
  readonly clientTags: ReadonlySet<string>
  /** A server's view of the leadership, for one log line per change. */
  readonly leader: (state: any, self: Address) => string
  /**
   * Whether `later`, sent to the same address in the same tick, makes `earlier` redundant: then
   * `earlier` is not sent. Safe because the checked network may lose any message; it pays where a
   * protocol re-sends growing batches (Raft appends everything from a follower's next index).
   */
  readonly supersedes?: (earlier: Tagged, later: Tagged) => boolean
  /**
   * Why a recovered storage value (component path -> record) is not what the server persists, or
   * undefined: each path's record is checked against its persisted-record schema, so a well
   * checksummed but malformed record is refused instead of handed to `recover`.
   */
  readonly checkRecord: (durable: unknown) => string | undefined
  /**
   * A recovered storage value as the running server would hold it (same contents): the store and dedup
   * table of the replicated state's snapshot as PersistentMaps when large, as setIn makes them, so the
   * first put after recovery does not convert a 200k-key Map on the event loop (160 ms of CPU) and the
   * records after it diff by shared subtrees.
   */
  readonly adopt?: (durable: unknown) => unknown
  /**
   * Whether `msg`, sent by a step that persisted `after`, may leave before `after` is on disk, given
   * that `durable` is (the leader's own write overlapping its replication, Raft thesis 10.2.1). Only
   * where the protocol is safe with it; every other message of a persisting step waits for its write.
   */
  readonly overlaps?: (msg: Tagged, durable: unknown, after: unknown) => boolean
  /**
   * Whether a write from `before` (the last value persisted) to `after` only records what the protocol
   * can learn again after a crash: then it takes no fdatasync of its own but rides on the next write
   * (Storage's lazy records, at most a few ms late). Its step's messages to peers still wait until it is
   * durable; clients' replies wait only for the eager records before it (a reply computed from re-learnable
   * state is computed again the same after a crash).
   */
  readonly lazy?: (before: unknown, after: unknown) => boolean
  /**
   * Messages the protocol re-sends on a timer only because the network may lose them: a copy identical
   * to one sent on connections that stayed up is left out (resend.ts).
   */
  readonly resends?: (msg: Tagged) => boolean
  /** How far a message takes its peer's log (catch-up.ts: Raft's AppendEntries), for `transfers`. */
  readonly reaches?: (msg: Tagged) => Reach | undefined
  /** A whole-state transfer and the point it brings its peer to (Raft's InstallSnapshot): left out while a message sent before it reaches that far (catch-up.ts). */
  readonly transfers?: (msg: Tagged) => Reach | undefined
  /** Peer messages that reveal nothing a lazy record holds: like clients' replies, they wait only for the eager records before them. */
  readonly eagerOnly?: (msg: Tagged) => boolean
  /**
   * One message whose delivery does what delivering `earlier` and then `later` (queued for the same
   * address in the same tick) does, or undefined: then the receiver takes one step for both. Only where
   * the checked network is unordered (the pair may arrive back to back) and the handler's outcome for
   * the one is its outcome for the two in a row. Not in recorded (conformance) runs: the combined
   * message is not one the sender's step sent.
   */
  readonly merges?: (earlier: Tagged, later: Tagged) => Tagged | undefined
  /**
   * Whether `later`, to the peer `earlier` went to a moment before over the same live connections,
   * tells it nothing `earlier` did not: then it is left out (resend.ts CoverHold). Safe because the
   * checked network may lose any message; `covers(m, m)` says whether `m` may cover later messages.
   */
  readonly covers?: (earlier: Tagged, later: Tagged) => boolean
}

/**
 * Raft: an AppendEntries of a step whose write only appends to the durable log (same term, vote and
 * snapshot, the durable entries unchanged) may leave before that write is durable, if its term is
 * durable and its leaderCommit does not exceed the durable log. Why it is safe: entries a leader sent
 * and lost in a crash are as a crashed leader's uncommitted entries are in any run (the checker
 * explores that crash after the send): the protocol never relies on them. What the leader's step
 * counted (itself, in advanceCommit) is not yet true, but nothing acts on the count before the write is
 * durable: the answer to the client comes from a later step, held behind this write, and a commit
 * index travels early only up to entries already durable here, so it counts this leader truthfully.
 * Nothing else overlaps: a vote, a term, a truncation or a snapshot is durable before anyone hears of it.
 */
const raftOverlaps = (msg: Tagged, durable: unknown, after: unknown): boolean => {
  if (msg._tag !== "AppendEntries") return false
  const d = (durable as { readonly log?: raft.RaftDurable } | undefined)?.log
  const a = (after as { readonly log?: raft.RaftDurable } | undefined)?.log
  if (d === undefined || a === undefined) return false
  const m = msg as raft.AppendEntries
  if (a.term !== d.term || a.votedFor !== d.votedFor || a.snapIndex !== d.snapIndex || m.term !== d.term || a.log.length < d.log.length) return false
  for (let i = d.log.length - 1; i >= 0; i--) if (a.log[i] !== d.log[i]) return false
  return m.leaderCommit <= d.snapIndex + d.log.length
}

/** A check of a node's storage: the paths it may hold and each one's record schema. */
const recordCheck = (schemas: Readonly<Record<string, Schema.Top>>) => {
  const checks = new Map(
    Object.entries(schemas).map(([path, s]) => {
      const full = Schema.decodeUnknownSync(Schema.toType(s as Schema.Codec<unknown, unknown>))
      // One pass over the record (shape-check.ts); Effect's check, per map entry, only to word a refusal.
      return [path, (record: unknown) => passes(s, record) || full(record)] as const
    })
  )
  return (durable: unknown): string | undefined => {
    if (durable === null || typeof durable !== "object" || Array.isArray(durable)) return "the stored value is not a record of component paths"
    for (const [path, record] of Object.entries(durable)) {
      const check = checks.get(path)
      if (check === undefined) return `no component "${path.slice(0, 40)}" persists here (expected ${[...checks.keys()].map((k) => `"${k}"`).join(", ")})`
      try {
        check(record)
      } catch (e) {
        return `the record of component "${path}" does not match its schema: ${(e as Error).message.replace(/\s+/g, " ").slice(0, 200)}`
      }
    }
    return undefined
  }
}

/**
 * Paxos: a P2a of a step whose write keeps the durable promise (round and leader) may leave before the
 * write (the leader's own acceptance) is durable, if it is of that promise. Why it is safe: an
 * acceptance lost in a crash was never reported to anyone (a P2b, a P1b or a decision that counted it
 * comes from a later step, held behind this write), so it is as if this acceptor had not accepted;
 * the P2a's ballot rests on the durable promise only.
 */
const paxosOverlaps = (msg: Tagged, durable: unknown, after: unknown): boolean => {
  if (msg._tag !== "P2a") return false
  const d = (durable as { readonly log?: paxos.PaxosDurable } | undefined)?.log
  const a = (after as { readonly log?: paxos.PaxosDurable } | undefined)?.log
  if (d === undefined || a === undefined) return false
  const m = msg as paxos.P2a
  return a.round === d.round && a.leader === d.leader && m.round === d.round && m.leader === d.leader
}

/**
 * Paxos: a write that keeps the promise (round and leader) and changes no slot except to chosen (or
 * clears slots below the compaction point, or moves the snapshot) is lazy: chosen slots can be learned
 * again from the leader, as with `lazyLearning` (the heartbeats' writes of learned slots and the
 * followers' compaction are such writes). An accepted value or a promise always has its own fdatasync.
 */
const paxosLazy = (before: unknown, after: unknown): boolean => {
  const b = (before as { readonly log?: paxos.PaxosDurable } | undefined)?.log
  const a = (after as { readonly log?: paxos.PaxosDurable } | undefined)?.log
  if (b === undefined || a === undefined || a.round !== b.round || a.leader !== b.leader) return false
  return !someChanged(b.log, a.log, (_, e) => !e.chosen)
}

/** A read's probe (or acknowledgement) of the same epoch and a later number answers for every earlier one (core/read-index.ts). */
const probeSupersedes = (a: Tagged, b: Tagged): boolean => {
  if ((a._tag !== "ReadProbe" && a._tag !== "ReadProbeAck") || a._tag !== b._tag) return false
  const x = a as ReadProbe
  const y = b as ReadProbe
  return x.epoch === y.epoch && y.probe >= x.probe
}

// The wire's classes are built with the KV application's schemas: a frame is validated down to the command inside a log entry.
const { AMOCommand, AMOResult } = amoSchemas(KVCommand, KVResult)
const { Request, Reply } = exactlyOnceSchemas(AMOCommand, AMOResult)
const appState = amoStateSchema(KVState, AMOResult)
const paxosWire = paxos.paxosMessages(AMOCommand, appState)
const raftWire = raft.raftMessages(AMOCommand, appState)
const KV_CLASSES: ReadonlyArray<TaggedClass> = [AMOCommand, AMOResult, Get, Put, Append, GetResult, KeyNotFound, PutOk, AppendResult]

/** Raft keeps its log below this many entries by snapshotting the state machine. */
export const RAFT_SNAPSHOT_THRESHOLD = 2000

/** A Map as setIn would hold it: a PersistentMap once larger than COPY_UP_TO. */
const persistent = (m: unknown): unknown => (m instanceof Map && !(m instanceof PersistentMap) && m.size > COPY_UP_TO ? PersistentMap.from(m) : m)

/** `durable.log.snap` (an exactly-once state: the applied store and dedup table) with its large maps persistent. */
const adoptSnapshot = (durable: unknown): unknown => {
  const log = (durable as { readonly log?: { readonly snap?: unknown } } | undefined)?.log
  const snap = log?.snap as { readonly app?: unknown; readonly last?: unknown } | undefined
  if (typeof snap !== "object" || snap === null || !(snap.app instanceof Map) || !(snap.last instanceof Map)) return durable
  return { ...(durable as object), log: { ...log, snap: { ...snap, app: persistent(snap.app), last: persistent(snap.last) } } }
}

export const SERVICES: Readonly<Record<string, Service>> = {
  paxos: {
    name: "paxos",
    // Gets by leader-confirmed reads (core/read-index.ts: one probe round, no log slot, no disk write), as etcd's linearizable reads.
    server: (servers) => replicatedService(kvStore, paxosReadIndexLog(groupAddresses(servers, "log"), { persist: true, lazyLearning: true })).def,
    // One server at a time (the stable-leader configuration the Paxos searches check): a follower ignores a request, the client moves on after its retry timer.
    client: (servers) => exactlyOnceClient(servers, { mode: "leader" }),
    registry: new Registry([...KV_CLASSES, paxos.Noop, paxos.P1a, paxosWire.P1b, paxosWire.P2a, paxos.P2b, paxosWire.Decisions, paxos.Heartbeat, paxos.HeartbeatReply, ReadProbe, ReadProbeAck, Request, Reply]),
    clientTags: new Set(["Request"]),
    checkRecord: recordCheck({ log: paxosWire.Durable }),
    adopt: adoptSnapshot,
    overlaps: paxosOverlaps,
    lazy: paxosLazy,
    // A read's probe and its acknowledgement carry the promised ballot only, which is always written eagerly.
    eagerOnly: (msg) => msg._tag === "ReadProbe" || msg._tag === "ReadProbeAck",
    // The leader's reproposals: each heartbeat re-sends the P2a of every unchosen slot to those that have not accepted.
    resends: (msg) => msg._tag === "P2a",
    // A reproposal repeats a phase-2 message; a heartbeat of the same ballot carries a newer compaction point.
    supersedes: (a, b) => {
      if (probeSupersedes(a, b)) return true
      if (a._tag === "P2a" && b._tag === "P2a") {
        const x = a as paxos.P2a
        const y = b as paxos.P2a
        return x.slot === y.slot && x.round === y.round && x.leader === y.leader
      }
      if (a._tag !== "Heartbeat" || b._tag !== "Heartbeat") return false
      const x = a as paxos.Heartbeat
      const y = b as paxos.Heartbeat
      return x.round === y.round && x.leader === y.leader && y.clear >= x.clear
    },
    // The leader's decisions, one per chosen slot: a follower's Decisions handler decides every entry in
    // order, then executes the chosen prefix, so one message of both lists leaves it as the two in a row
    // do (the Paxos searches check an unordered network). At 64 clients a tick's decisions become one step.
    // The two are valid instances already: the merged one is built unvalidated (validating every entry again at each merge made a tick of k decisions cost k²/2 entry checks).
    merges: (a, b) =>
      a._tag === "Decisions" && b._tag === "Decisions"
        ? trustingConstruction(() => new (a.constructor as new (f: { entries: ReadonlyArray<readonly [number, Tagged]> }) => Tagged)({ entries: [...(a as paxos.Decisions).entries, ...(b as paxos.Decisions).entries] }))
        : undefined,
    leader: ({ log: s }: paxos.PaxosServerState<unknown>, self) => (s.active ? `leader (ballot ${s.round}.${self})` : `following ${s.leader} (ballot ${s.round}.${s.leader})`),
  },
  raft: {
    name: "raft",
    // Gets by ReadIndex (one heartbeat-like probe round, no log entry, no disk write), as etcd's linearizable reads.
    server: (servers) => replicatedService(kvStore, raftReadIndexLog(groupAddresses(servers, "log"), { snapshotThreshold: RAFT_SNAPSHOT_THRESHOLD, lazyCommitIndex: true }), { redirect: true }).def,
    client: (servers) => exactlyOnceClient(servers, { mode: "leader" }),
    registry: new Registry([
      ...KV_CLASSES,
      raft.RequestVote,
      raft.RequestVoteReply,
      raftWire.AppendEntries,
      raft.AppendEntriesReply,
      raftWire.InstallSnapshot,
      raft.InstallSnapshotReply,
      ReadProbe,
      ReadProbeAck,
      Request,
      Reply,
      WrongLeader,
    ]),
    clientTags: new Set(["Request"]),
    checkRecord: recordCheck({ log: raftWire.Durable }),
    adopt: adoptSnapshot,
    overlaps: raftOverlaps,
    // A leader re-sends InstallSnapshot on every heartbeat until the follower answers; the snapshot is
    // the whole store, so over a live connection the identical copy is left out (ResendDamper).
    resends: (msg) => msg._tag === "InstallSnapshot",
    reaches: (msg) => (msg._tag === "AppendEntries" ? { epoch: (msg as raft.AppendEntries).term, index: (msg as raft.AppendEntries).prevLogIndex + (msg as raft.AppendEntries).entries.length } : undefined),
    transfers: (msg) => (msg._tag === "InstallSnapshot" ? { epoch: (msg as raft.InstallSnapshot).term, index: (msg as raft.InstallSnapshot).lastIncludedIndex } : undefined),
    // The entries past a follower's acknowledgement, when an AppendEntries of this term sent since holds them all, with as
    // high a commit index (the follower appends nothing from the second, commits nothing more, answers the same). Heartbeats
    // without entries always go: they keep the follower's election timer from firing.
    covers: (a, b) => {
      if (a._tag !== "AppendEntries" || b._tag !== "AppendEntries") return false
      const x = a as raft.AppendEntries
      const y = b as raft.AppendEntries
      return y.entries.length > 0 && x.term === y.term && x.prevLogIndex <= y.prevLogIndex && x.prevLogIndex + x.entries.length >= y.prevLogIndex + y.entries.length && y.leaderCommit <= x.leaderCommit
    },
    supersedes: (a, b) => {
      if (probeSupersedes(a, b)) return true
      if (a._tag === "InstallSnapshot" && b._tag === "InstallSnapshot") {
        const x = a as raft.InstallSnapshot
        const y = b as raft.InstallSnapshot
        return x.term === y.term && y.lastIncludedIndex >= x.lastIncludedIndex
      }
      if (a._tag !== "AppendEntries" || b._tag !== "AppendEntries") return false
      const x = a as raft.AppendEntries
      const y = b as raft.AppendEntries
      return x.term === y.term && y.prevLogIndex <= x.prevLogIndex && y.prevLogIndex + y.entries.length >= x.prevLogIndex + x.entries.length && y.leaderCommit >= x.leaderCommit
    },
    leader: ({ log: s }: raft.RaftServerState<unknown>) => (s.role === "leader" ? `leader (term ${s.term})` : s.leader ? `following ${s.leader} (term ${s.term})` : `no leader (term ${s.term}, ${s.role})`),
  },
}

export const PROTOCOLS = Object.keys(SERVICES)
