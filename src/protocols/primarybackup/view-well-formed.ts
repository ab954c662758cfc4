/**
 * The view service's view is well formed (issue 14 item 5, session 7): its backup is another server
 * than its primary, and there is no backup without a primary. A view naming one server twice has no
 * second copy of the state, and its "primary" sends the state transfer to itself. The staged searches
 * only stalled on such a view (their next stage unreachable, no trace); this invariant fails on the
 * step that makes it. Designed after the blind mutant idle-may-be-backup (and idle-may-be-primary,
 * caught the same way without a trace) in bench/mutants/primarybackup/catalogue.ts.
 */
import { invariant } from "../../checker/transition-system.ts"
import type { ProtocolState } from "../../core/compile.ts"
import type { World } from "../../core/world.ts"
import { vsState } from "./properties.ts"

export const viewWellFormed = () => {
  const check = (w: World): string | undefined => {
    const v = vsState(w).view
    if (v.backup !== null && v.backup === v.primary) return `view ${v.num} names ${v.primary} primary and backup`
    if (v.backup !== null && v.primary === null) return `view ${v.num} has backup ${v.backup} and no primary`
    return undefined
  }
  return invariant<ProtocolState>("VIEW_WELL_FORMED", (w) => check(w) === undefined, check)
}
