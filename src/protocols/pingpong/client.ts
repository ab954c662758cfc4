/** The ping-pong client: sends its Ping, resends it on a timer until the matching Pong arrives. */
import { Effect } from "effect"
import type { Address, ClientDef, Ctx } from "../../core/node.ts"
import { Ping, PingTimer, Pong, RETRY_MILLIS } from "./messages.ts"

export interface PingClientState {
  readonly pending: Ping | null
}

export const pingClient = (server: Address, options: { readonly bugNoRetry?: boolean } = {}): ClientDef<PingClientState, Ping, Pong, PingTimer> => ({
  init: () => ({ pending: null }),
  sendCommand: Effect.fnUntraced(function* (_state: PingClientState, ping: Ping, ctx: Ctx<Ping, PingTimer>) {
    ctx.send(server, ping)
    if (!options.bugNoRetry) ctx.setTimer(new PingTimer({ ping }), RETRY_MILLIS)
    return { pending: ping }
  }),
  onMessage: {
    Pong: Effect.fnUntraced(function* (state: PingClientState, pong: Pong, _from: Address, ctx: Ctx<Ping, PingTimer>) {
      if (state.pending === null || pong.value !== state.pending.value) return state
      ctx.complete(pong)
      return { pending: null }
    }),
  },
  onTimer: {
    PingTimer: Effect.fnUntraced(function* (state: PingClientState, t: PingTimer, ctx: Ctx<Ping, PingTimer>) {
      if (state.pending === null || state.pending.value !== t.ping.value) return state
      ctx.send(server, t.ping)
      ctx.setTimer(t, RETRY_MILLIS)
      return state
    }),
  },
})
