/**
 * AckedNotPreparedAgain (for groups of one server): once a participant group's acknowledgement of a
 * decision is recorded by the coordinator, that group holds the transaction prepared no more, and never
 * again. A participant acknowledges a decision only once it has applied it, and a Prepare that arrives
 * after the decision (delayed, or resent) must find it refused, or the keys stay locked for an
 * attempt nobody will decide again. With more servers a group's follower may still be behind its
 * leader's acknowledgement, so the check is for groups of one server (the staged searches').
 */
import { invariant, type StateProperty } from "../../checker/transition-system.ts"
import type { World } from "../../core/world.ts"
import { compareIds, showId, type TxnGroupState } from "./messages.ts"

const problem = (replicas: ReadonlyArray<TxnGroupState>): string | undefined => {
  for (const coordinator of replicas)
    for (const c of coordinator.coordinating.values())
      for (const g of c.acked)
        for (const r of replicas) {
          const p = r.base.group === g ? r.prepared.get(c.id.client) : undefined
          if (p !== undefined && compareIds(p.id, c.id) === 0) return `group ${g} acknowledged the ${c.decision} of ${showId(c.id)} and holds it prepared`
        }
  return undefined
}

export const ackedNotPreparedAgain = <W extends World>(replicas: (w: W) => ReadonlyArray<TxnGroupState>): StateProperty<W> =>
  invariant<W>("AckedNotPreparedAgain", (w) => problem(replicas(w)) === undefined, (w) => problem(replicas(w)))
