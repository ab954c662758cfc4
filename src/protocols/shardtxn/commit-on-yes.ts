/**
 * CommitOnlyOnYes, two-phase commit's rule for the coordinator (issue 14 item 5, session 8): a
 * transaction is decided commit only when every participant voted yes. A coordinator that commits past
 * a no (or before every vote is in) is caught at the step that decides, in the coordinator's own record;
 * the serializability and refinement checks see it only once the committed writes are read back (19
 * steps on walks-correct for a no among yes votes).
 */
import { invariant, type StateProperty } from "../../checker/transition-system.ts"
import type { World } from "../../core/world.ts"
import { showId, type TxnGroupState } from "./messages.ts"

const commitWithoutYes = (replicas: ReadonlyArray<TxnGroupState>): string | undefined => {
  for (const r of replicas)
    for (const c of r.coordinating.values()) {
      if (c.decision !== "commit") continue
      for (const p of c.participants) {
        const v = c.votes.get(p.group)
        if (v === undefined || v === null) return `group ${r.base.group} decided commit for ${showId(c.id)} with ${v === undefined ? "no vote" : "a no vote"} from group ${p.group}`
      }
    }
  return undefined
}

export const commitOnlyOnYes = <W extends World>(replicas: (w: W) => ReadonlyArray<TxnGroupState>): StateProperty<W> =>
  invariant<W>("CommitOnlyOnYes", (w) => commitWithoutYes(replicas(w)) === undefined, (w) => commitWithoutYes(replicas(w)))
