/** Ping-pong messages and the client's retry timer. */
import { Schema } from "effect"
import { TaggedData } from "../../core/tagged-data.ts"

export class Ping extends TaggedData<Ping>()("Ping", { value: Schema.String }) {}
export class Pong extends TaggedData<Pong>()("Pong", { value: Schema.String }) {}
export class PingTimer extends TaggedData<PingTimer>()("PingTimer", { ping: Ping }) {}
export const RETRY_MILLIS = 10
