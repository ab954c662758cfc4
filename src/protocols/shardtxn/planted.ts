/**
 * Planted bugs of the transaction client, for showing that CLIENT_RETRIES_WITH_NEW_ATTEMPT and
 * CLIENT_TAKES_ONLY_ITS_ATTEMPTS_REPLY catch them: they wrap the client's definition (client.ts stays as it is).
 */
import { Effect } from "effect"
import type { Address, ClientDef } from "../../core/node.ts"
import type { TxnClientState } from "./client.ts"
import { TxnId, TxnReply } from "./messages.ts"

export interface TxnClientBugs {
  /** After an abort the client retries with the aborted attempt's number. */
  readonly retrySameAttempt?: boolean
  /** The client takes a reply to any attempt of its current transaction as one to its current attempt. */
  readonly takeStaleReply?: boolean
}

type Client = ClientDef<TxnClientState, any, any, any, any>

export const plantTxnClientBugs = (def: Client, bugs: TxnClientBugs): Client => {
  if (!bugs.retrySameAttempt && !bugs.takeStaleReply) return def
  const reply = def.onMessage.TxnReply!
  return {
    ...def,
    onMessage: {
      ...def.onMessage,
      TxnReply: Effect.fnUntraced(function* (s: TxnClientState, m: TxnReply, from: Address, ctx: any) {
        const taken = bugs.takeStaleReply && m.id.seq === s.seq ? new TxnReply({ ...m, id: new TxnId({ ...m.id, attempt: s.attempt }) }) : m
        const next = yield* reply(s, taken, from, ctx)
        if (!bugs.retrySameAttempt) return next
        return next.txn !== null && next.attempt > s.attempt ? { ...next, attempt: s.attempt } : next
      }),
    },
  }
}
