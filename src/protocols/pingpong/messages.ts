/** Ping-pong messages and the client's retry timer. */
import { Schema } from "effect"

export class Ping extends Schema.TaggedClass<Ping>()("Ping", { value: Schema.String }) {}
export class Pong extends Schema.TaggedClass<Pong>()("Pong", { value: Schema.String }) {}
export class PingTimer extends Schema.TaggedClass<PingTimer>()("PingTimer", { ping: Ping }) {}
export const RETRY_MILLIS = 10
