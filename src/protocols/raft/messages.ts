/** Raft messages and timers (between the log replicas `server/log`). */
import { Schema } from "effect"
import type { Tagged } from "../../core/node.ts"
import { type DataSchema, DataValue, type TaggedSchema, TaggedValue } from "../../core/schemas.ts"
import { TaggedData } from "../../core/tagged-data.ts"

/** A log entry: the term it was appended in and a command (the log knows nothing of what it means). */
export interface Entry {
  readonly term: number
  readonly command: Tagged
}

export class RequestVote extends TaggedData<RequestVote>()("RequestVote", {
  term: Schema.Number,
  lastLogIndex: Schema.Number,
  lastLogTerm: Schema.Number,
}) {}
export class RequestVoteReply extends TaggedData<RequestVoteReply>()("RequestVoteReply", {
  term: Schema.Number,
  granted: Schema.Boolean,
}) {}

/**
 * The messages that carry commands and snapshots, and the persisted record, for a log of commands of schema `command` whose
 * parent's snapshots have schema `snapshot`: the runtime builds them with its application's schemas,
 * so nested commands and snapshots are validated field by field; the log itself uses them over any
 * tagged command and any data (below).
 */
export const raftMessages = (command: TaggedSchema, snapshot: DataSchema) => {
  const Entry = Schema.Struct({ term: Schema.Number, command })
  class AppendEntries extends TaggedData<AppendEntries>()("AppendEntries", {
    term: Schema.Number,
    prevLogIndex: Schema.Number,
    prevLogTerm: Schema.Number,
    entries: Schema.Array(Entry),
    leaderCommit: Schema.Number,
  }) {}
  class InstallSnapshot extends TaggedData<InstallSnapshot>()("InstallSnapshot", {
    term: Schema.Number,
    lastIncludedIndex: Schema.Number,
    lastIncludedTerm: Schema.Number,
    /** The parent's applied state after lastIncludedIndex. */
    data: snapshot,
  }) {}
  /** The persisted record (server.ts `durableOf`): term, vote, log, snapshot (none before the first) and commit index. */
  const Durable = Schema.Struct({
    term: Schema.Number,
    votedFor: Schema.NullOr(Schema.String),
    log: Schema.Array(Entry),
    snapIndex: Schema.Number,
    snapTerm: Schema.Number,
    snap: Schema.optional(snapshot),
    commitIndex: Schema.Number,
  })
  return { Entry, AppendEntries, InstallSnapshot, Durable }
}

const generic = raftMessages(TaggedValue, DataValue)
export const Entry = generic.Entry
export const AppendEntries = generic.AppendEntries
export type AppendEntries = InstanceType<typeof AppendEntries>
export const InstallSnapshot = generic.InstallSnapshot
export type InstallSnapshot = InstanceType<typeof InstallSnapshot>
/**
 * success: the follower's log matches the leader's through `matchIndex`. On failure, `conflictTerm`
 * is the term of the follower's entry at prevLogIndex (-1 when it has none) and `conflictIndex` the
 * first index of that term in its log (or its log length + 1).
 */
export class AppendEntriesReply extends TaggedData<AppendEntriesReply>()("AppendEntriesReply", {
  term: Schema.Number,
  success: Schema.Boolean,
  matchIndex: Schema.Number,
  conflictTerm: Schema.Number,
  conflictIndex: Schema.Number,
}) {}
export class InstallSnapshotReply extends TaggedData<InstallSnapshotReply>()("InstallSnapshotReply", {
  term: Schema.Number,
  matchIndex: Schema.Number,
}) {}

export class ElectionTimer extends TaggedData<ElectionTimer>()("ElectionTimer", {}) {}
export class HeartbeatTimer extends TaggedData<HeartbeatTimer>()("HeartbeatTimer", {}) {}

export type RaftMessage = RequestVote | RequestVoteReply | AppendEntries | AppendEntriesReply | InstallSnapshot | InstallSnapshotReply
export type RaftTimer = ElectionTimer | HeartbeatTimer

/** Simulated milliseconds. */
export const ELECTION_MIN = 150
export const ELECTION_MAX = 300
export const HEARTBEAT = 50
