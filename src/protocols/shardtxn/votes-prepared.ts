/**
 * YesVoteHeldPrepared (a step property): a participant's yes vote is a promise backed by its locks, so
 * a step that sends a yes Vote for an attempt leaves a replica of the voting group holding that very
 * attempt prepared. A yes for another attempt of the same client (an earlier one still prepared, or a
 * later one when a late Prepare of an aborted attempt arrives) promises keys that attempt never
 * locked: its coordinator may commit writes the participant then drops.
 */
import type { StepProperty } from "../../checker/transition-system.ts"
import type { World } from "../../core/world.ts"
import { compareIds, showId, type TxnGroupState, type Vote } from "./messages.ts"

export const yesVoteHeldPrepared = <W extends World, L>(replicas: (w: W) => ReadonlyArray<TxnGroupState>): StepProperty<W, L> => ({
  name: "YesVoteHeldPrepared",
  check: (from, _label, to) => {
    if (to.net === from.net) return undefined
    const before = new Set(from.net)
    for (const e of to.net) {
      if (e.msg._tag !== "Vote" || before.has(e)) continue
      const v = e.msg as Vote
      if (!v.yes) continue
      const held = replicas(to).some((r) => r.base.group === v.group && r.prepared.has(v.id.client) && compareIds(r.prepared.get(v.id.client)!.id, v.id) === 0)
      if (!held) return `group ${v.group} votes yes for ${showId(v.id)} without holding it prepared`
    }
    return undefined
  },
})
