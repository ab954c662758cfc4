/** The primary-backup client: asks the view service for the primary, sends it exactly-once requests, retries on a timer. */
import { Effect } from "effect"
import { AMOCommand } from "../../core/application.ts"
import { CLIENT_RETRY_MILLIS, ClientTimer, Reply, Request } from "../../core/exactly-once.ts"
import type { Address, ClientDef, Ctx, Tagged } from "../../core/node.ts"
import {
  GetView,
  ViewReply,
} from "./messages.ts"

export interface ClientState {
  readonly seq: number
  readonly pending: AMOCommand | null
  /** The primary the client believes in (null: ask the view service). */
  readonly primary: Address | null
}

export const client = (viewService: Address): ClientDef<ClientState, Tagged, Reply | ViewReply, ClientTimer> => {
  const send = (s: ClientState, ctx: Ctx) => {
    if (s.pending === null) return
    if (s.primary === null) ctx.send(viewService, new GetView())
    else ctx.send(s.primary, new Request({ command: s.pending }))
  }
  return {
    init: () => ({ seq: 0, pending: null, primary: null }),
    sendCommand: Effect.fnUntraced(function* (s: ClientState, command: Tagged, ctx: Ctx) {
      const seq = s.seq + 1
      const next = { ...s, seq, pending: new AMOCommand({ command, client: ctx.self, seq }) }
      send(next, ctx)
      ctx.setTimer(new ClientTimer({ seq }), CLIENT_RETRY_MILLIS)
      return next
    }),
    onMessage: {
      ViewReply: Effect.fnUntraced(function* (s: ClientState, m: ViewReply, _from: Address, ctx: Ctx) {
        if (m.view.primary === s.primary || m.view.primary === null) return s
        const next = { ...s, primary: m.view.primary }
        send(next, ctx)
        return next
      }),
      Reply: Effect.fnUntraced(function* (s: ClientState, m: Reply, _from: Address, ctx: Ctx) {
        if (s.pending === null || m.result.seq !== s.pending.seq) return s
        ctx.cancelTimer(ClientTimer)
        ctx.complete(m.result.result)
        return { ...s, pending: null }
      }),
    },
    onTimer: {
      ClientTimer: Effect.fnUntraced(function* (s: ClientState, t: ClientTimer, ctx: Ctx) {
        if (s.pending === null || s.pending.seq !== t.seq) return s
        // Retry at the primary we know and ask the view service whether it changed.
        send(s, ctx)
        if (s.primary !== null) ctx.send(viewService, new GetView())
        ctx.setTimer(t, CLIENT_RETRY_MILLIS)
        return s
      }),
    },
  }
}
