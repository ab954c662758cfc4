/**
 * Planted bugs of a group server, for showing that the staged searches catch them: each wraps the
 * server's node definition (server.ts stays as it is) and behaves as the named mistake would.
 */
import { Effect } from "effect"
import type { Address, NodeDef } from "../../core/node.ts"
import { HandoffAck, type ShardHandoff } from "./messages.ts"
import type { GroupServerState } from "./server.ts"

export interface ServerBugs {
  /** The receiving leader acknowledges a handoff as soon as it proposes it, before its log commits it. */
  readonly ackOnPropose?: boolean
  /** A restarted server starts from a fresh application state, ignoring the snapshot its storage restored. */
  readonly restartFromScratch?: boolean
}

type Def<A> = NodeDef<GroupServerState<unknown, A>, any, any, any>

/** `def` of group `group` with `bugs` planted; `fresh`: the application's initial state. */
export const plantServerBugs = <A>(def: Def<A>, group: number, fresh: () => A, bugs: ServerBugs): Def<A> => {
  let out = def
  if (bugs.ackOnPropose) {
    const handoff = def.onMessage.ShardHandoff!
    out = {
      ...out,
      onMessage: {
        ...out.onMessage,
        ShardHandoff: Effect.fnUntraced(function* (s: GroupServerState<unknown, A>, h: ShardHandoff, from: Address, ctx: any) {
          const next = yield* handoff(s, h, from, ctx)
          // Proposed (the log changed, the applied state not yet): acknowledged at once.
          if (next !== s && next.app === s.app) ctx.send(from, new HandoffAck({ shard: h.shard, num: h.num, from: group }))
          return next
        }),
      },
    }
  }
  if (bugs.restartFromScratch && def.recover) {
    const recover = def.recover
    out = { ...out, recover: (durable, ctx) => ({ ...recover(durable, ctx), app: fresh() }) }
  }
  return out
}
