/**
 * Planted bugs of a group server and of a client, for showing that the staged searches catch them:
 * each wraps the node's definition (server.ts and client.ts stay as they are) and behaves as the named
 * mistake would.
 */
import { Effect } from "effect"
import { AMOCommand } from "../../core/application.ts"
import { Request } from "../../core/exactly-once.ts"
import type { Address, ClientDef, NodeDef, Tagged } from "../../core/node.ts"
import { query } from "../shardmaster/messages.ts"
import type { ShardClientNodeState } from "./client.ts"
import { HandoffAck, ShardReply, type PollTimer, type ShardHandoff } from "./messages.ts"
import type { GroupServerState } from "./server.ts"

export interface ServerBugs {
  /** The receiving leader acknowledges a handoff as soon as it proposes it, before its log commits it. */
  readonly ackOnPropose?: boolean
  /** A restarted server starts from a fresh application state, ignoring the snapshot its storage restored. */
  readonly restartFromScratch?: boolean
  /** A restarted server counts its queries to the master from zero again (its counter not persisted). */
  readonly forgetPolls?: boolean
  /** A server acknowledges every handoff it does not propose, installed or not (one of a configuration it has not reached too). */
  readonly ackUnproposed?: boolean
  /** A leader polls the master for its latest configuration, not the next one its group may apply. */
  readonly pollLatest?: boolean
}

type Def<A> = NodeDef<GroupServerState<unknown, A>, any, any, any>

/** `def` of group `group` with `bugs` planted; `fresh`: the application's initial state. */
export const plantServerBugs = <A>(def: Def<A>, group: number, fresh: () => A, bugs: ServerBugs): Def<A> => {
  let out = def
  if (bugs.ackOnPropose || bugs.ackUnproposed) {
    const handoff = def.onMessage.ShardHandoff!
    out = {
      ...out,
      onMessage: {
        ...out.onMessage,
        ShardHandoff: Effect.fnUntraced(function* (s: GroupServerState<unknown, A>, h: ShardHandoff, from: Address, ctx: any) {
          const next = yield* handoff(s, h, from, ctx)
          // ackOnPropose: proposed (the log changed, the applied state not yet); ackUnproposed: nothing proposed. Acknowledged at once.
          if (bugs.ackOnPropose ? next !== s && next.app === s.app : next === s) ctx.send(from, new HandoffAck({ shard: h.shard, num: h.num, from: group }))
          return next
        }),
      },
    }
  }
  if (bugs.pollLatest) {
    const poll = def.onTimer!.PollTimer!
    out = {
      ...out,
      onTimer: {
        ...out.onTimer,
        PollTimer: Effect.fnUntraced(function* (s: GroupServerState<unknown, A>, t: PollTimer, ctx: any) {
          // The same query, asking for no number (the latest).
          const broadcast = (to: ReadonlyArray<Address>, m: Tagged) =>
            ctx.broadcast(to, m instanceof Request ? new Request({ command: new AMOCommand({ ...(m.command as AMOCommand), command: query(null) }) }) : m)
          const latest = new Proxy(ctx, { get: (c, k) => (k === "broadcast" ? broadcast : typeof c[k] === "function" ? c[k].bind(c) : c[k]) })
          return yield* poll(s, t, latest)
        }),
      },
    }
  }
  if (bugs.restartFromScratch && def.recover) {
    const recover = def.recover
    out = { ...out, recover: (durable, ctx) => ({ ...recover(durable, ctx), app: fresh() }) }
  }
  if (bugs.forgetPolls && def.recover) {
    const recover = out.recover!
    out = { ...out, recover: (durable, ctx) => ({ ...recover(durable, ctx), polls: 0 }) }
  }
  return out
}

export interface ClientBugs {
  /** On WrongGroup the client retries the same group later, never asking the master. */
  readonly ignoreWrongGroup?: boolean
  /** The client takes any reply for its pending operation, whatever its sequence number. */
  readonly anySeq?: boolean
}

type Client = ClientDef<ShardClientNodeState, any, any, any, any>

/** The shard store's client `def` with `bugs` planted. */
export const plantClientBugs = (def: Client, bugs: ClientBugs): Client => {
  const reply = def.onMessage.ShardReply!
  return {
    ...def,
    onMessage: {
      ...def.onMessage,
      ShardReply: Effect.fnUntraced(function* (s: ShardClientNodeState, m: ShardReply, from: Address, ctx: any) {
        if (bugs.ignoreWrongGroup && m.result._tag === "WrongGroup") return s
        return yield* reply(s, bugs.anySeq ? new ShardReply({ seq: s.seq, result: m.result }) : m, from, ctx)
      }),
    },
  }
}
