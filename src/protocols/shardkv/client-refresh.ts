/**
 * CLIENT_REFRESHES_ON_WRONG_GROUP (a step property of the clients): a client whose pending operation
 * is answered WrongGroup by a group at least as far on as the client's own configuration asks the
 * master for a newer one in that step. Its configuration is then the stale one: retrying the same group
 * (or waiting) can never complete the operation, since that group will not own the shard again unless
 * the master moves it back.
 */
import type { StepProperty } from "../../checker/transition-system.ts"
import type { Event, ProtocolState } from "../../core/compile.ts"
import { readsNodes } from "../../core/step-reads.ts"
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

/**
 * CLIENT_SEQ_KEPT_WHILE_PENDING (a step property of the last `clients` nodes, the store's clients,
 * session 13): a client's sequence number changes only when it starts an operation (in a step that
 * completed the one before, or with none pending); while one is pending, every send of it, to any
 * group after any configuration change, carries the same number, which is what lets the group that
 * executed it (and the dedup table that moves with its shard) tell a retry from a new operation. The blind mutant client-new-seq-on-reroute (renumbering on a newer
 * configuration) was caught before only as a goal not reached (the old number's retry timer dropped),
 * with no trace. It reads the clients' records alone (declared: core/step-reads.ts).
 */
export const clientSeqKept = (clients: number): StepProperty<ProtocolState, Event> =>
  readsNodes({
    name: "CLIENT_SEQ_KEPT_WHILE_PENDING",
    check: (from, _label, to) => {
      for (let i = to.nodes.length - clients; i < to.nodes.length; i++) {
        if (from.nodes[i] === to.nodes[i]) continue
        const before = from.nodes[i]?.state as ShardClientNodeState | undefined
        const after = to.nodes[i]?.state as ShardClientNodeState | undefined
        if (!before || !after || before.pending === null || after.pending === null || before.seq === after.seq) continue
        // A step that completes the pending operation may start the next one (the workload's next command).
        if (from.nodes[i]!.client?.results !== to.nodes[i]!.client?.results) continue
        return `${after.client} renumbered its pending operation from ${before.seq} to ${after.seq}`
      }
      return undefined
    },
  })
