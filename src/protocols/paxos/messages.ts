/** Multi-Paxos messages and timers (between the log replicas `server/log`). */
import { Schema } from "effect"
import { type DataSchema, DataValue, type TaggedSchema, TaggedValue } from "../../core/schemas.ts"
import { TaggedData } from "../../core/tagged-data.ts"

/** The command a new leader proposes for a slot nobody accepted anything in. */
export class Noop extends TaggedData<Noop>()("Noop", {}) {}

/** Phase 1a: "promise not to accept below (round, leader)". */
export class P1a extends TaggedData<P1a>()("P1a", { round: Schema.Number, leader: Schema.String }) {}

/**
 * The messages that carry commands, for a log of commands of schema `command` (a no-op may stand in
 * any slot): the runtime builds them with its application's command schema, so a nested command is
 * validated field by field; the log itself uses them over any tagged command (below).
 */
export const paxosMessages = (command: TaggedSchema, snapshot: DataSchema = DataValue) => {
  const Command = Schema.Union([Noop, command])
  /** A log slot as a promise carries it: accepted at (round, leader), or chosen. */
  const Entry = Schema.Struct({ chosen: Schema.Boolean, round: Schema.Number, leader: Schema.String, command: Command })
  /** Phase 1b: the acceptor's ballot (higher than asked: a rejection) and its log, [slot, entry] pairs. */
  class P1b extends TaggedData<P1b>()("P1b", { round: Schema.Number, leader: Schema.String, entries: Schema.Array(Schema.Tuple([Schema.Number, Entry])) }) {}
  /** Phase 2a: accept `command` in `slot` at (round, leader). */
  class P2a extends TaggedData<P2a>()("P2a", { round: Schema.Number, leader: Schema.String, slot: Schema.Number, command: Command }) {}
  /** Chosen slots, [slot, command] pairs: sent when a slot is chosen and to followers that lag. */
  class Decisions extends TaggedData<Decisions>()("Decisions", { entries: Schema.Array(Schema.Tuple([Schema.Number, Command])) }) {}
  /** The persisted record (server.ts `paxosDurableOf`): promise, accepted and chosen slots, and the parent's snapshot (none before the first). */
  const Durable = Schema.Struct({
    round: Schema.Number,
    leader: Schema.String,
    log: Schema.ReadonlyMap(Schema.Number, Entry),
    cleared: Schema.Number,
    snap: Schema.optional(snapshot),
    snapSlot: Schema.Number,
  })
  return { Entry, P1b, P2a, Decisions, Durable }
}

const generic = paxosMessages(TaggedValue)
export const P1b = generic.P1b
export type P1b = InstanceType<typeof P1b>
export const P2a = generic.P2a
export type P2a = InstanceType<typeof P2a>
export const Decisions = generic.Decisions
export type Decisions = InstanceType<typeof Decisions>
/** Phase 2b: accepted at (round, leader), or a rejection carrying the acceptor's higher ballot. */
export class P2b extends TaggedData<P2b>()("P2b", { round: Schema.Number, leader: Schema.String, slot: Schema.Number }) {}
/** The leader is alive; every slot below `clear` was executed by every server. */
export class Heartbeat extends TaggedData<Heartbeat>()("Heartbeat", { round: Schema.Number, leader: Schema.String, clear: Schema.Number }) {}
/** Reply to a heartbeat: the follower's ballot and the first slot it has not executed. */
export class HeartbeatReply extends TaggedData<HeartbeatReply>()("HeartbeatReply", { round: Schema.Number, leader: Schema.String, executed: Schema.Number }) {}

export class HeartbeatTimer extends TaggedData<HeartbeatTimer>()("HeartbeatTimer", {}) {}
export class ElectionTimer extends TaggedData<ElectionTimer>()("ElectionTimer", {}) {}

export type PaxosMessage = P1a | P1b | P2a | P2b | Decisions | Heartbeat | HeartbeatReply
export type PaxosTimer = HeartbeatTimer | ElectionTimer

export const HEARTBEAT_MILLIS = 25
export const ELECTION_MILLIS: readonly [number, number] = [150, 300]

