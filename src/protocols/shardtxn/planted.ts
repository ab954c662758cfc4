/**
 * A planted bug of the transaction client, for showing that CLIENT_RETRIES_WITH_NEW_ATTEMPT catches
 * it: it wraps the client's definition (client.ts stays as it is).
 */
import { Effect } from "effect"
import type { Address, ClientDef } from "../../core/node.ts"
import type { TxnClientState } from "./client.ts"
import type { TxnReply } from "./messages.ts"

export interface TxnClientBugs {
  /** After an abort the client retries with the aborted attempt's number. */
  readonly retrySameAttempt?: boolean
}

type Client = ClientDef<TxnClientState, any, any, any, any>

export const plantTxnClientBugs = (def: Client, bugs: TxnClientBugs): Client => {
  if (!bugs.retrySameAttempt) return def
  const reply = def.onMessage.TxnReply!
  return {
    ...def,
    onMessage: {
      ...def.onMessage,
      TxnReply: Effect.fnUntraced(function* (s: TxnClientState, m: TxnReply, from: Address, ctx: any) {
        const next = yield* reply(s, m, from, ctx)
        return next.txn !== null && next.attempt > s.attempt ? { ...next, attempt: s.attempt } : next
      }),
    },
  }
}
