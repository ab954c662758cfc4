/**
 * The shard store's data, as Schema classes: a shard's contents (keys and exactly-once table, which
 * always travel together), a group's shard states, the commands a group's log carries (client
 * requests, configurations, handoffs and their acknowledgements) and their results.
 */
import { Schema } from "effect"
import { AppendResult, GetResult, KeyNotFound, KVCommand, KVResult, PutOk } from "../../core/kv.ts"
import { Configuration, GroupId } from "../shardmaster/messages.ts"
import { TaggedData } from "../../core/tagged-data.ts"

/** The last reply to one client on one shard: a retry of `seq` gets `result` again, never a second execution. */
export class LastReply extends Schema.Class<LastReply>("LastReply")({ seq: Schema.Int, result: KVResult }) {}

/** One shard's contents: its keys and its exactly-once table (client -> last reply). */
export class ShardData extends Schema.Class<ShardData>("ShardData")({
  kv: Schema.ReadonlyMap(Schema.String, Schema.String),
  replies: Schema.ReadonlyMap(Schema.String, LastReply),
}) {}
export const emptyShard = () => new ShardData({ kv: new Map(), replies: new Map() })

// A shard's state in a group. A shard the group neither holds nor awaits is absent.
/** Owned in the group's configuration and held: requests for it are answered. */
export class Serving extends TaggedData<Serving>()("Serving", { data: ShardData }) {}
/** Owned in the group's configuration, its data not yet arrived: requests wait. */
export class Receiving extends TaggedData<Receiving>()("Receiving", {}) {}
/**
 * No longer owned: held until group `to` confirms it has the data of configuration `num`, then
 * deleted. `to` null: no group owns the shard (every group left); it is kept until one does.
 */
export class Sending extends TaggedData<Sending>()("Sending", { to: Schema.NullOr(GroupId), num: Schema.Int, data: ShardData }) {}
export const ShardState = Schema.Union([Serving, Receiving, Sending])
export type ShardState = Serving | Receiving | Sending

/** A group's replicated state: the configuration it has reached and its shards. */
export class ShardGroupState extends Schema.Class<ShardGroupState>("ShardGroupState")({
  group: GroupId,
  config: Schema.NullOr(Configuration),
  shards: Schema.ReadonlyMap(Schema.Int, ShardState),
}) {}

// Commands a group's log carries.
export class ClientRequest extends TaggedData<ClientRequest>()("ClientRequest", { client: Schema.String, seq: Schema.Int, op: KVCommand }) {}
/** The next configuration, polled from the shard master. */
export class ApplyConfig extends TaggedData<ApplyConfig>()("ApplyConfig", { config: Configuration }) {}
/** A shard's data moving from group `from` to its owner in configuration `num` (also the message between groups). */
export class ShardHandoff extends TaggedData<ShardHandoff>()("ShardHandoff", { shard: Schema.Int, num: Schema.Int, from: GroupId, data: ShardData }) {}
/** Group `from` has the shard's data of configuration `num` (also the message back to the sender). */
export class HandoffAck extends TaggedData<HandoffAck>()("HandoffAck", { shard: Schema.Int, num: Schema.Int, from: GroupId }) {}
export const ShardKvCommand = Schema.Union([ClientRequest, ApplyConfig, ShardHandoff, HandoffAck])
export type ShardKvCommand = ClientRequest | ApplyConfig | ShardHandoff | HandoffAck

// Results (besides the KV results and HandoffAck).
/** The key's shard is not this group's in its configuration `num`: the client re-queries the master. */
export class WrongGroup extends TaggedData<WrongGroup>()("WrongGroup", { shard: Schema.Int, num: Schema.Int }) {}
/** The key's shard is this group's but its data has not arrived: the client retries here later. */
export class NotReady extends TaggedData<NotReady>()("NotReady", { shard: Schema.Int }) {}
export class ConfigApplied extends TaggedData<ConfigApplied>()("ConfigApplied", { num: Schema.Int }) {}
export class ShardDeleted extends TaggedData<ShardDeleted>()("ShardDeleted", { shard: Schema.Int, num: Schema.Int }) {}

export const IGNORED = ["not-next-configuration", "migration-in-progress", "handoff-not-yet", "not-receiving", "already-deleted", "stale-request"] as const
/** A command that changed nothing (a duplicate, one that came too early, a stale retry). */
export class Ignored extends TaggedData<Ignored>()("Ignored", { reason: Schema.Literals(IGNORED) }) {}

export const ShardKvResult = Schema.Union([GetResult, KeyNotFound, PutOk, AppendResult, WrongGroup, NotReady, ConfigApplied, HandoffAck, ShardDeleted, Ignored])
export type ShardKvResult = KVResult | WrongGroup | NotReady | ConfigApplied | HandoffAck | ShardDeleted | Ignored

// Messages and timers of the replicated groups and their clients (server.ts, client-node.ts).
/** A group's answer to a client's request `seq`. */
export class ShardReply extends TaggedData<ShardReply>()("ShardReply", { seq: Schema.Int, result: ShardKvResult }) {}
/** Ask the shard master for the next configuration (the group's leader acts on it). */
export class PollTimer extends TaggedData<PollTimer>()("PollTimer", {}) {}
/** Resend pending handoffs (the group's leader acts on it). */
export class HandoffTimer extends TaggedData<HandoffTimer>()("HandoffTimer", {}) {}
/** A client's retry of request `seq`. */
export class RetryTimer extends TaggedData<RetryTimer>()("RetryTimer", { seq: Schema.Int }) {}
