/**
 * Ping-pong (DSLabs lab 0): a client sends Ping(value) to the server and resends it on a timer until
 * the matching Pong arrives; the server answers every Ping.
 */
import { Effect } from "effect"
import type { Address, Ctx, NodeDef } from "../../core/node.ts"
import { Ping, Pong } from "./messages.ts"

export * from "./messages.ts"

/** The server answers each ping; it keeps no state. */
export const pingServer: NodeDef<null, Ping, never, Ctx<Pong>> = {
  init: () => null,
  onMessage: {
    Ping: Effect.fnUntraced(function* (state: null, ping: Ping, from: Address, ctx: Ctx<Pong>) {
      ctx.send(from, new Pong({ value: ping.value }))
      return state
    }),
  },
}
