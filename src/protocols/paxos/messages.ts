/** Multi-Paxos messages and timers (between the log replicas `server/log`). */
import { Schema } from "effect"

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

export type PaxosMessage = P1a | P1b | P2a | P2b | Decisions | Heartbeat | HeartbeatReply
export type PaxosTimer = HeartbeatTimer | ElectionTimer

export const HEARTBEAT_MILLIS = 25
export const ELECTION_MILLIS: readonly [number, number] = [150, 300]

