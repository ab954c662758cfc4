/**
 * YesCountedForItsAttempt (for groups of one server): a yes vote a coordinator has recorded for an
 * attempt comes from a participant that has seen that attempt's Prepare (or a later one of the client):
 * a participant answers yes only once it has applied the Prepare, and what it has seen only grows. A
 * coordinator that counts a late yes of an earlier attempt (aborted, its locks released) for the
 * client's current one commits writes the participant never locked for, and that it then drops; this
 * shows at the step that counts the vote. With more servers a group's followers may be behind the
 * leader that voted, so the check is for groups of one server (the staged searches').
 */
import { invariant, type StateProperty } from "../../checker/transition-system.ts"
import type { World } from "../../core/world.ts"
import { compareIds, showId, type TxnGroupState } from "./messages.ts"

const problem = (replicas: ReadonlyArray<TxnGroupState>): string | undefined => {
  for (const coordinator of replicas)
    for (const c of coordinator.coordinating.values())
      for (const [g, vote] of c.votes) {
        if (vote === null) continue
        const voters = replicas.filter((r) => r.base.group === g)
        if (voters.length === 0) continue // its server is down: it rebuilds what it had seen from its log
        const seenIt = (r: TxnGroupState) => {
          const seen = r.seen.get(c.id.client)
          return seen !== undefined && compareIds(seen, c.id) >= 0
        }
        if (!voters.some(seenIt))
          return `group ${coordinator.base.group} counts a yes of group ${g} for ${showId(c.id)}, whose Prepare group ${g} has not seen`
      }
  return undefined
}

export const yesCountedForItsAttempt = <W extends World>(replicas: (w: W) => ReadonlyArray<TxnGroupState>): StateProperty<W> =>
  invariant<W>("YesCountedForItsAttempt", (w) => problem(replicas(w)) === undefined, (w) => problem(replicas(w)))
