/**
 * The shard store client's decisions, pure: where to send an operation (the owner of its key's
 * shard in the latest configuration the client knows), and what a reply means. WrongGroup from a
 * configuration at least as new as the client's sends it to the master for the latest one; NotReady
 * means retry the same group later (the shard is in transit); a KV result for the pending sequence
 * number completes the operation. The node around it owns the timers and the sending.
 */
import type { KVCommand, KVResult } from "../../core/kv.ts"
import type { Configuration, GroupId } from "../shardmaster/messages.ts"
import { keyShard } from "./keys.ts"
import { ClientRequest, type ShardKvResult } from "./messages.ts"

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
  const start = (s: ShardClientState, op: KVCommand): ShardClientState => ({ ...s, seq: s.seq + 1, pending: op })

  /** The request for the pending operation and the group to send it to; null: ask the master first. */
  const target = (s: ShardClientState): { readonly group: GroupId; readonly servers: ReadonlyArray<string>; readonly request: ClientRequest } | null => {
    if (s.pending === null || s.config === null) return null
    const group = s.config.shards[keyShard(s.pending.key, shards)]
    const servers = s.config.groups.find((g) => g.id === group)?.servers
    if (group === null || group === undefined || servers === undefined) return null
    return { group, servers, request: new ClientRequest({ client: s.client, seq: s.seq, op: s.pending }) }
  }

  /** A configuration from the master: kept when newer than the client's. */
  const learn = (s: ShardClientState, config: Configuration): ShardClientState => (config.num > (s.config?.num ?? 0) ? { ...s, config } : s)

  /** A group's reply to the request with sequence number `seq`. */
  const reply = (s: ShardClientState, seq: number, result: ShardKvResult): readonly [ClientDecision, ShardClientState] => {
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
