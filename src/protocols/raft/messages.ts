/** Raft messages and timers (between the log replicas `server/log`). */
import { Schema } from "effect"
import type { Tagged } from "../../core/node.ts"

/** A log entry: the term it was appended in and an opaque command (the log knows nothing of what it means). */
export const Entry = Schema.Struct({ term: Schema.Number, command: Schema.Any })
export interface Entry {
  readonly term: number
  readonly command: Tagged
}

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
  /** The parent's applied state after lastIncludedIndex (opaque to the log). */
  data: Schema.Any,
}) {}
export class InstallSnapshotReply extends Schema.TaggedClass<InstallSnapshotReply>()("InstallSnapshotReply", {
  term: Schema.Number,
  matchIndex: Schema.Number,
}) {}

export class ElectionTimer extends Schema.TaggedClass<ElectionTimer>()("ElectionTimer", {}) {}
export class HeartbeatTimer extends Schema.TaggedClass<HeartbeatTimer>()("HeartbeatTimer", {}) {}

export type RaftMessage = RequestVote | RequestVoteReply | AppendEntries | AppendEntriesReply | InstallSnapshot | InstallSnapshotReply
export type RaftTimer = ElectionTimer | HeartbeatTimer

/** Simulated milliseconds. */
export const ELECTION_MIN = 150
export const ELECTION_MAX = 300
export const HEARTBEAT = 50
