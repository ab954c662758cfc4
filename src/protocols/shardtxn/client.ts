/**
 * The transactional store's client: single-key operations go through the shard store's client
 * (shardkv/client.ts) unchanged; a transaction goes to its coordinator, the group owning its smallest
 * key in the client's latest configuration, chosen once per attempt. The client resends the same
 * attempt (same id: executed once) until the coordinator answers; after an abort it asks the master
 * for the latest configuration and tries again with the next attempt after a random back-off (a
 * timer between TXN_BACKOFF's bounds: the simulator draws it from the run's seed), which breaks the
 * symmetry of two transactions that keep aborting each other.
 */
import { Effect } from "effect"
import { AMOCommand } from "../../core/application.ts"
import { type Reply, Request } from "../../core/exactly-once.ts"
import type { KVCommand } from "../../core/kv.ts"
import type { Address, ClientDef, Ctx } from "../../core/node.ts"
import { CLIENT_RETRY_MILLIS, shardKvClient, type ShardClientNodeState } from "../shardkv/client.ts"
import { keyShard } from "../shardkv/keys.ts"
import type { ClientRequest, RetryTimer, ShardReply } from "../shardkv/messages.ts"
import { query, type GroupId } from "../shardmaster/messages.ts"
import { keysOf } from "./group.ts"
import { TxnCommitted, TxnId, TxnRequest, TxnRetryTimer, type Txn, type TxnReply } from "./messages.ts"

export const TXN_BACKOFF = [50, 150] as const

export interface TxnClientState extends ShardClientNodeState {
  /** The pending transaction, its attempt, and the coordinator chosen for that attempt. */
  readonly txn: Txn | null
  readonly attempt: number
  readonly coordinator: { readonly group: GroupId; readonly servers: ReadonlyArray<Address> } | null
}

type Command = KVCommand | Txn
type In = ShardReply | Reply | TxnReply
type Timers = RetryTimer | TxnRetryTimer
type ClientCtx = Ctx<TxnRequest | Request | ClientRequest, Timers>

export const txnClient = (shards: number, masters: ReadonlyArray<Address>): ClientDef<TxnClientState, Command, In, Timers, ClientCtx> => {
  const single = shardKvClient(shards, masters)
  const id = (s: TxnClientState) => new TxnId({ client: s.client, seq: s.seq, attempt: s.attempt })
  const ask = (s: TxnClientState, ctx: ClientCtx): TxnClientState => {
    const masterSeq = s.masterSeq + 1
    ctx.broadcast(masters, new Request({ command: new AMOCommand({ command: query(), client: ctx.self, seq: masterSeq }) }))
    return { ...s, masterSeq }
  }
  /** Sends the attempt to its coordinator (choosing it first), or asks the master when there is none to choose. */
  const sendTxn = (s: TxnClientState, ctx: ClientCtx): TxnClientState => {
    if (s.txn === null) return s
    let coordinator = s.coordinator
    if (coordinator === null && s.config !== null) {
      const group = s.config.shards[keyShard(keysOf(s.txn.steps)[0]!, shards)]
      const servers = s.config.groups.find((g) => g.id === group)?.servers
      if (group !== null && group !== undefined && servers !== undefined) coordinator = { group, servers }
    }
    if (coordinator === null) return ask(s, ctx)
    ctx.broadcast(coordinator.servers, new TxnRequest({ id: id(s), steps: s.txn.steps }))
    return coordinator === s.coordinator ? s : { ...s, coordinator }
  }
  const retryAt = (s: TxnClientState) => new TxnRetryTimer({ seq: s.seq, attempt: s.attempt })
  return {
    init: (ctx) => ({ ...(single.init(ctx) as ShardClientNodeState), txn: null, attempt: 0, coordinator: null }),
    sendCommand: Effect.fnUntraced(function* (s: TxnClientState, command: Command, ctx: ClientCtx) {
      if (command._tag !== "Txn") return (yield* single.sendCommand(s, command, ctx as never)) as TxnClientState
      const next: TxnClientState = { ...s, seq: s.seq + 1, txn: command, attempt: 0, coordinator: null }
      ctx.setTimer(retryAt(next), CLIENT_RETRY_MILLIS)
      return sendTxn(next, ctx)
    }),
    onMessage: {
      ShardReply: single.onMessage.ShardReply as never,
      Reply: Effect.fnUntraced(function* (s: TxnClientState, m: Reply, from: Address, ctx: ClientCtx) {
        const next = (yield* single.onMessage.Reply!(s, m, from, ctx as never)) as TxnClientState
        // A newer configuration while a transaction has no coordinator yet: choose one and send.
        return next.txn !== null && next.coordinator === null && next.config !== s.config ? sendTxn(next, ctx) : next
      }),
      TxnReply: Effect.fnUntraced(function* (s: TxnClientState, m: TxnReply, _from: Address, ctx: ClientCtx) {
        if (s.txn === null || m.id.seq !== s.seq || m.id.attempt !== s.attempt) return s
        ctx.cancelTimer(TxnRetryTimer)
        if (m.committed) {
          ctx.complete(new TxnCommitted({ reads: m.reads }))
          return { ...s, txn: null, coordinator: null }
        }
        const next: TxnClientState = { ...s, attempt: s.attempt + 1, coordinator: null }
        ctx.setTimer(retryAt(next), TXN_BACKOFF[0], TXN_BACKOFF[1])
        return ask(next, ctx)
      }),
    },
    onTimer: {
      RetryTimer: single.onTimer!.RetryTimer as never,
      TxnRetryTimer: Effect.fnUntraced(function* (s: TxnClientState, t: TxnRetryTimer, ctx: ClientCtx) {
        if (s.txn === null || t.seq !== s.seq || t.attempt !== s.attempt) return s
        ctx.setTimer(t, CLIENT_RETRY_MILLIS)
        return sendTxn(s, ctx)
      }),
    },
  }
}
