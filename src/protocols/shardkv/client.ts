/**
 * The shard store client's decisions, pure: where to send an operation (the owner of its key's
 * shard in the latest configuration the client knows), and what a reply means. WrongGroup from a
 * configuration at least as new as the client's sends it to the master for the latest one; NotReady
 * means retry the same group later (the shard is in transit); a KV result for the pending sequence
 * number completes the operation. `shardKvClient` is the node around it (timers and sending).
 */
import { Effect } from "effect"
import { AMOCommand } from "../../core/application.ts"
import { Reply, Request } from "../../core/exactly-once.ts"
import type { KVCommand, KVResult } from "../../core/kv.ts"
import type { Address, ClientDef, Ctx } from "../../core/node.ts"
import { Configuration, query, type GroupId } from "../shardmaster/messages.ts"
import { keyShard } from "./keys.ts"
import { ClientRequest, RetryTimer, type ShardKvResult, type ShardReply } from "./messages.ts"

export interface ShardClientState {
  readonly client: string
  /** The latest configuration the client has heard of (null: none yet). */
  readonly config: Configuration | null
  readonly seq: number
  readonly pending: KVCommand | null
}

export type ClientDecision =
  | { readonly kind: "complete"; readonly result: KVResult }
  | { readonly kind: "query-master" }
  | { readonly kind: "retry-later" }
  | { readonly kind: "ignore" }

export const shardClient = (shards: number) => {
  const init = (client: string): ShardClientState => ({ client, config: null, seq: 0, pending: null })

  /** Starts an operation: the next sequence number. */
  const start = <S extends ShardClientState>(s: S, op: KVCommand): S => ({ ...s, seq: s.seq + 1, pending: op })

  /** The request for the pending operation and the group to send it to; null: ask the master first. */
  const target = (s: ShardClientState): { readonly group: GroupId; readonly servers: ReadonlyArray<string>; readonly request: ClientRequest } | null => {
    if (s.pending === null || s.config === null) return null
    const group = s.config.shards[keyShard(s.pending.key, shards)]
    const servers = s.config.groups.find((g) => g.id === group)?.servers
    if (group === null || group === undefined || servers === undefined) return null
    return { group, servers, request: new ClientRequest({ client: s.client, seq: s.seq, op: s.pending }) }
  }

  /** A configuration from the master: kept when newer than the client's. */
  const learn = <S extends ShardClientState>(s: S, config: Configuration): S => (config.num > (s.config?.num ?? 0) ? { ...s, config } : s)

  /** A group's reply to the request with sequence number `seq`. */
  const reply = <S extends ShardClientState>(s: S, seq: number, result: ShardKvResult): readonly [ClientDecision, S] => {
    if (s.pending === null || seq !== s.seq) return [{ kind: "ignore" }, s]
    switch (result._tag) {
      case "GetResult":
      case "KeyNotFound":
      case "PutOk":
      case "AppendResult":
        return [{ kind: "complete", result }, { ...s, pending: null }]
      case "WrongGroup":
        // A group behind the client's configuration will catch up: retry it; otherwise the client is behind.
        return [result.num < (s.config?.num ?? 0) ? { kind: "retry-later" } : { kind: "query-master" }, s]
      case "NotReady":
        return [{ kind: "retry-later" }, s]
      default:
        return [{ kind: "ignore" }, s]
    }
  }

  return { init, start, target, learn, reply }
}

export const CLIENT_RETRY_MILLIS = 100

export interface ShardClientNodeState extends ShardClientState {
  /** Sequence number of this client's last query to the master. */
  readonly masterSeq: number
}

type ClientCtx = Ctx<ClientRequest | Request, RetryTimer>

/**
 * The client node: sends each operation to the owner of its key's shard (every server of the group;
 * only the leader answers), asks the master for the latest configuration when it has none or is told
 * WrongGroup, and resends on a timer until the result for its sequence number arrives.
 */
export const shardKvClient = (shards: number, masters: ReadonlyArray<Address>): ClientDef<ShardClientNodeState, KVCommand, ShardReply | Reply, RetryTimer, ClientCtx> => {
  const logic = shardClient(shards)
  const ask = (s: ShardClientNodeState, ctx: ClientCtx): ShardClientNodeState => {
    const masterSeq = s.masterSeq + 1
    ctx.broadcast(masters, new Request({ command: new AMOCommand({ command: query(), client: ctx.self, seq: masterSeq }) }))
    return { ...s, masterSeq }
  }
  const sendOrAsk = (s: ShardClientNodeState, ctx: ClientCtx): ShardClientNodeState => {
    const t = logic.target(s)
    if (t === null) return ask(s, ctx)
    ctx.broadcast(t.servers, t.request)
    return s
  }
  return {
    init: (ctx) => ({ ...logic.init(ctx.self), masterSeq: 0 }),
    sendCommand: Effect.fnUntraced(function* (s: ShardClientNodeState, op: KVCommand, ctx: ClientCtx) {
      const next = logic.start(s, op)
      ctx.setTimer(new RetryTimer({ seq: next.seq }), CLIENT_RETRY_MILLIS)
      return sendOrAsk(next, ctx)
    }),
    onMessage: {
      ShardReply: Effect.fnUntraced(function* (s: ShardClientNodeState, m: ShardReply, _from: Address, ctx: ClientCtx) {
        const [decision, next] = logic.reply(s, m.seq, m.result)
        if (decision.kind === "query-master") return ask(next, ctx)
        if (decision.kind === "complete") {
          ctx.cancelTimer(RetryTimer)
          ctx.complete(decision.result)
        }
        return next
      }),
      Reply: Effect.fnUntraced(function* (s: ShardClientNodeState, m: Reply, _from: Address, ctx: ClientCtx) {
        const config: unknown = m.result.result
        if (!(config instanceof Configuration)) return s
        const next = logic.learn(s, config)
        return next === s || next.pending === null ? next : sendOrAsk(next, ctx)
      }),
    },
    onTimer: {
      RetryTimer: Effect.fnUntraced(function* (s: ShardClientNodeState, t: RetryTimer, ctx: ClientCtx) {
        if (s.pending === null || t.seq !== s.seq) return s
        ctx.setTimer(t, CLIENT_RETRY_MILLIS)
        return sendOrAsk(s, ctx)
      }),
    },
  }
}
