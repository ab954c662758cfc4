/**
 * Cross-shard transactions as Schema classes: the client's transaction (spec/kv-txn's steps) and its
 * result, transaction ids, the two-phase-commit commands every group's log carries (which are also
 * the messages between groups and from clients), and a group's state around the shard group's.
 */
import { Schema } from "effect"
import type { KvTxn } from "../../../spec/kv-txn.ts"
import { GroupId } from "../shardmaster/messages.ts"
import { ShardGroupState } from "../shardkv/messages.ts"
import { TaggedData } from "../../core/tagged-data.ts"

// The steps of a transaction (spec/kv-txn.ts's TxnStep as schemas).
export class TxnRead extends TaggedData<TxnRead>()("TxnRead", { key: Schema.String }) {}
export class TxnWrite extends TaggedData<TxnWrite>()("TxnWrite", { key: Schema.String, value: Schema.NullOr(Schema.String) }) {}
export class TxnSwap extends TaggedData<TxnSwap>()("TxnSwap", { key: Schema.String, with: Schema.String }) {}
export const TxnStep = Schema.Union([TxnRead, TxnWrite, TxnSwap])
export type TxnStep = TxnRead | TxnWrite | TxnSwap

/** A client's transaction (its workload command): reads and writes of several keys, atomically. */
export class Txn extends TaggedData<Txn>()("Txn", { steps: Schema.Array(TxnStep) }) {}
/** A committed transaction's result: the values read, in order (null: absent). */
export class TxnCommitted extends TaggedData<TxnCommitted>()("TxnCommitted", { reads: Schema.Array(Schema.NullOr(Schema.String)) }) {}

export const multiGetTxn = (keys: ReadonlyArray<string>) => new Txn({ steps: keys.map((key) => new TxnRead({ key })) })
export const multiPutTxn = (entries: ReadonlyArray<readonly [string, string]>) => new Txn({ steps: entries.map(([key, value]) => new TxnWrite({ key, value })) })
export const swapTxn = (key: string, other: string) => new Txn({ steps: [new TxnSwap({ key, with: other })] })

/** spec/kv-txn's form of a transaction. */
export const kvTxnOf = (t: Txn): KvTxn => ({
  steps: t.steps.map((s) => (s._tag === "TxnRead" ? { op: "read", key: s.key } : s._tag === "TxnWrite" ? { op: "write", key: s.key, value: s.value } : { op: "swap", key: s.key, with: s.with })),
})

/**
 * Attempt `attempt` of a client's transaction number `seq`. A retry of the same attempt (a lost reply)
 * keeps its id, so it is executed once; after an abort the client tries again with the next attempt.
 */
export class TxnId extends Schema.Class<TxnId>("TxnId")({ client: Schema.String, seq: Schema.Int, attempt: Schema.Int }) {}
/** -1, 0, 1 as `a` is older than, the same as, newer than `b` (ids of one client). */
export const compareIds = (a: TxnId, b: TxnId): number => (a.seq !== b.seq ? Math.sign(a.seq - b.seq) : Math.sign(a.attempt - b.attempt))
export const showId = (id: TxnId) => `${id.client}#${id.seq}.${id.attempt}`

// Commands of a group's log (and messages): the coordinator's, then the participants'.
/** Client -> coordinator: run this transaction. */
export class TxnRequest extends TaggedData<TxnRequest>()("TxnRequest", { id: TxnId, steps: Schema.Array(TxnStep) }) {}
/** Participant -> coordinator: the participant's vote; a yes carries the values of its keys. */
export class Vote extends TaggedData<Vote>()("Vote", {
  id: TxnId,
  group: GroupId,
  yes: Schema.Boolean,
  values: Schema.ReadonlyMap(Schema.String, Schema.NullOr(Schema.String)),
}) {}
/** The coordinator's own: abort the transaction unless already decided (its leader changed). */
export class AbortTxn extends TaggedData<AbortTxn>()("AbortTxn", { id: TxnId }) {}
/** Participant -> coordinator: the participant has applied the decision. */
export class DecisionAck extends TaggedData<DecisionAck>()("DecisionAck", { id: TxnId, group: GroupId }) {}
/** Coordinator -> participant: lock these keys and vote; `written`: the keys the transaction may change. */
export class Prepare extends TaggedData<Prepare>()("Prepare", {
  id: TxnId,
  keys: Schema.Array(Schema.String),
  written: Schema.Array(Schema.String),
  coordinator: Schema.Array(Schema.String),
}) {}
/** Coordinator -> participant: the decision, with the participant's writes when it commits. */
export class Decide extends TaggedData<Decide>()("Decide", {
  id: TxnId,
  commit: Schema.Boolean,
  writes: Schema.ReadonlyMap(Schema.String, Schema.NullOr(Schema.String)),
  coordinator: Schema.Array(Schema.String),
}) {}
export const TxnCommand = Schema.Union([TxnRequest, Vote, AbortTxn, DecisionAck, Prepare, Decide])
export type TxnCommand = TxnRequest | Vote | AbortTxn | DecisionAck | Prepare | Decide
export const TXN_COMMANDS = ["TxnRequest", "Vote", "AbortTxn", "DecisionAck", "Prepare", "Decide"] as const

/** Coordinator -> client: the outcome of attempt `id` (reads when committed). */
export class TxnReply extends TaggedData<TxnReply>()("TxnReply", { id: TxnId, committed: Schema.Boolean, reads: Schema.Array(Schema.NullOr(Schema.String)) }) {}
/** A client's retry of its pending transaction or operation. */
export class TxnRetryTimer extends TaggedData<TxnRetryTimer>()("TxnRetryTimer", { seq: Schema.Int, attempt: Schema.Int }) {}

// A group's state.
/** A participant group's part of one coordinated transaction. */
export class Participant extends Schema.Class<Participant>("Participant")({ group: GroupId, servers: Schema.Array(Schema.String), keys: Schema.Array(Schema.String) }) {}
export const DECISIONS = ["pending", "commit", "abort"] as const
/** The coordinator's record of a client's latest transaction (one per client). */
export class Coordinated extends Schema.Class<Coordinated>("Coordinated")({
  id: TxnId,
  steps: Schema.Array(TxnStep),
  participants: Schema.Array(Participant),
  /** Group -> the values it voted yes with, or null for a no. */
  votes: Schema.ReadonlyMap(GroupId, Schema.NullOr(Schema.ReadonlyMap(Schema.String, Schema.NullOr(Schema.String)))),
  decision: Schema.Literals(DECISIONS),
  reads: Schema.Array(Schema.NullOr(Schema.String)),
  acked: Schema.Array(GroupId),
}) {}
/** A participant's prepared transaction: its keys stay locked until the decision is applied. */
export class Prepared extends Schema.Class<Prepared>("Prepared")({ id: TxnId, keys: Schema.Array(Schema.String) }) {}
/** A participant's last decision applied for a client. */
export class Outcome extends Schema.Class<Outcome>("Outcome")({ id: TxnId, commit: Schema.Boolean }) {}

export class TxnGroupState extends Schema.Class<TxnGroupState>("TxnGroupState")({
  /** The shard group's state (configuration, shards, their data and exactly-once tables). */
  base: ShardGroupState,
  /** Key -> the transaction (by client) holding its lock. */
  locks: Schema.ReadonlyMap(Schema.String, Schema.String),
  /** Client -> its prepared transaction here. */
  prepared: Schema.ReadonlyMap(Schema.String, Prepared),
  /** Client -> the newest transaction id this group has prepared or refused (older Prepares are refused). */
  seen: Schema.ReadonlyMap(Schema.String, TxnId),
  /** Client -> the last decision applied here. */
  outcomes: Schema.ReadonlyMap(Schema.String, Outcome),
  /** A configuration waits for the locks to go: no new transaction is prepared meanwhile. */
  draining: Schema.Boolean,
  /** Client -> the latest transaction this group coordinates for it. */
  coordinating: Schema.ReadonlyMap(Schema.String, Coordinated),
}) {}
