/**
 * CLIENT_REFRESHES_ON_WRONG_GROUP (a step property of the clients): a client whose pending operation
 * is answered WrongGroup by a group at least as far on as the client's own configuration asks the
 * master for a newer one in that step. Its configuration is then the stale one: retrying the same group
 * (or waiting) can never complete the operation, since that group will not own the shard again unless
 * the master moves it back.
 */
import type { StepProperty } from "../../checker/transition-system.ts"
import type { Event, ProtocolState } from "../../core/compile.ts"
import type { ShardClientNodeState } from "./client.ts"
import type { ShardReply } from "./messages.ts"

export const clientRefreshesOnWrongGroup = (): StepProperty<ProtocolState, Event> => ({
  name: "CLIENT_REFRESHES_ON_WRONG_GROUP",
  check: (from, label, to) => {
    if (label.k !== "deliver" || label.env.msg._tag !== "ShardReply") return undefined
    const { seq, result } = label.env.msg as ShardReply
    if (result._tag !== "WrongGroup") return undefined
    const before = from.nodes[label.env.dst]?.state as ShardClientNodeState | undefined
    const after = to.nodes[label.env.dst]?.state as ShardClientNodeState | undefined
    if (!before || !after || before.pending === null || seq !== before.seq || result.num < (before.config?.num ?? 0)) return undefined
    return after.masterSeq > before.masterSeq
      ? undefined
      : `${label.env.to} is told WrongGroup for shard ${result.shard} by a group at configuration ${result.num} (the client's: ${before.config?.num ?? "none"}) and does not ask the master for a newer configuration`
  },
})
