/**
 * Ping-pong (DSLabs lab 0): a client sends Ping(value) to the server and resends it on a timer until
 * the matching Pong arrives; the server answers every Ping.
 */
import { Effect, Schema } from "effect"
import type { Address, ClientDef, Ctx, NodeDef } from "../../core/node.ts"

export class Ping extends Schema.TaggedClass<Ping>()("Ping", { value: Schema.String }) {}
export class Pong extends Schema.TaggedClass<Pong>()("Pong", { value: Schema.String }) {}
export class PingTimer extends Schema.TaggedClass<PingTimer>()("PingTimer", { ping: Ping }) {}
export const RETRY_MILLIS = 10

/** The server answers each ping; it keeps no state. */
export const pingServer: NodeDef<null, Ping> = {
  init: () => null,
  onMessage: {
    Ping: Effect.fnUntraced(function* (state: null, ping: Ping, from: Address, ctx: Ctx) {
      ctx.send(from, new Pong({ value: ping.value }))
      return state
    }),
  },
}

export interface PingClientState {
  readonly pending: Ping | null
}

export const pingClient = (server: Address, options: { readonly bugNoRetry?: boolean } = {}): ClientDef<PingClientState, Ping, Pong, PingTimer> => ({
  init: () => ({ pending: null }),
  sendCommand: Effect.fnUntraced(function* (_state: PingClientState, ping: Ping, ctx: Ctx) {
    ctx.send(server, ping)
    if (!options.bugNoRetry) ctx.setTimer(new PingTimer({ ping }), RETRY_MILLIS)
    return { pending: ping }
  }),
  onMessage: {
    Pong: Effect.fnUntraced(function* (state: PingClientState, pong: Pong, _from: Address, ctx: Ctx) {
      if (state.pending === null || pong.value !== state.pending.value) return state
      ctx.complete(pong)
      return { pending: null }
    }),
  },
  onTimer: {
    PingTimer: Effect.fnUntraced(function* (state: PingClientState, t: PingTimer, ctx: Ctx) {
      if (state.pending === null || state.pending.value !== t.ping.value) return state
      ctx.send(server, t.ping)
      ctx.setTimer(t, RETRY_MILLIS)
      return state
    }),
  },
})
