/**
 * YesVoteHeldPrepared (a step property): a participant's yes vote is a promise backed by its locks, so
 * a step that sends a yes Vote for an attempt leaves a replica of the voting group holding that very
 * attempt prepared. A yes for another attempt of the same client (an earlier one still prepared, or a
 * later one when a late Prepare of an aborted attempt arrives) promises keys that attempt never
 * locked: its coordinator may commit writes the participant then drops.
 */
import type { StepProperty } from "../../checker/transition-system.ts"
import { sentInStep, type World } from "../../core/world.ts"
import { compareIds, showId, type DecisionAck, type TxnGroupState, type TxnId, type Vote } from "./messages.ts"

const holds = (r: TxnGroupState, group: number, id: TxnId) => r.base.group === group && r.prepared.has(id.client) && compareIds(r.prepared.get(id.client)!.id, id) === 0

export const yesVoteHeldPrepared = <W extends World, L>(replicas: (w: W) => ReadonlyArray<TxnGroupState>): StepProperty<W, L> => ({
  name: "YesVoteHeldPrepared",
  check: (from, _label, to) => {
    for (const e of sentInStep(from, to)) {
      if (e.msg._tag !== "Vote") continue
      const v = e.msg as Vote
      if (!v.yes) continue
      if (!replicas(to).some((r) => holds(r, v.group, v.id))) return `group ${v.group} votes yes for ${showId(v.id)} without holding it prepared`
    }
    return undefined
  },
})

/**
 * DecisionAckedOnceApplied (a step property, session 14): a participant acknowledges a decision only
 * once it has applied it, so a step that sends a DecisionAck leaves a replica of that group no longer
 * holding the attempt prepared. An acknowledgement ahead of the group's log stops the coordinator's
 * resends: should the leader lose the Decide (a leader change before it commits), the group keeps the
 * attempt's locks for good. With one server a group the log commits at once, so this shows on groups of three.
 */
export const decisionAckedOnceApplied = <W extends World, L>(replicas: (w: W) => ReadonlyArray<TxnGroupState>): StepProperty<W, L> => ({
  name: "DecisionAckedOnceApplied",
  check: (from, _label, to) => {
    for (const e of sentInStep(from, to)) {
      if (e.msg._tag !== "DecisionAck") continue
      const a = e.msg as DecisionAck
      const rs = replicas(to).filter((r) => r.base.group === a.group)
      if (rs.length > 0 && rs.every((r) => holds(r, a.group, a.id))) return `group ${a.group} acknowledges the decision of ${showId(a.id)} while every replica of it holds the attempt prepared`
    }
    return undefined
  },
})
