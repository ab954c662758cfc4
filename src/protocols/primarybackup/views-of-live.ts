/**
 * The view service names only live servers (issue 14, session 9): a view it moves to has a primary,
 * and a backup if any, among the servers it counts as alive in that step (those that pinged since the
 * last ping check or by it). A view whose primary is dead waits for an acknowledgement that never
 * comes, so every client stalls; the liveness searches saw that only as a lasso of 30 steps (the blind
 * mutant promote-dead-backup, bench/mutants/primarybackup/catalogue.ts, which promotes the backup
 * without asking whether it is alive). VIEWS_OF_LIVE_SERVERS fails on the step that makes such a view.
 */
import type { StepProperty } from "../../checker/transition-system.ts"
import { readsNodes } from "../../core/step-reads.ts"
import type { World } from "../../core/world.ts"
import { vsState } from "./properties.ts"

/** It reads the view service's record only (declared: core/step-reads.ts). */
export const viewsOfLiveServers = <L>(): StepProperty<World, L> =>
  readsNodes({
    name: "VIEWS_OF_LIVE_SERVERS",
    check: (from, _label, to) => {
      const a = vsState(from)
      const b = vsState(to)
      if (a.view.num === b.view.num) return undefined
      const alive = (x: string | null) => x === null || b.live.has(x) || b.pinged.has(x)
      const v = b.view
      if (!alive(v.primary) || !alive(v.backup)) return `view ${v.num} (primary ${v.primary}, backup ${v.backup}) names a server that has not pinged since the last ping check`
      return undefined
    },
  })
