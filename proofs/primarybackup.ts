/**
 * Primary-backup: ONE_PRIMARY_PER_VIEW, ACKED_OPS_REPLICATED (no acknowledged operation is missing
 * from the primary or backup of an acknowledged view), BACKUP_MIRRORS_PRIMARY (a ready backup holds
 * its primary's state, or that with the operation in flight), RESULTS_OK, APPENDS_LINEARIZABLE. The
 * exhaustive obligation is complete for views up to 2 (a prune: view numbers are unbounded); the
 * staged ones reach views 3 and 4 with every older message still deliverable.
 */
import type { Obligation } from "../src/checker/prove.ts"
import type { PRIMARYBACKUP_TESTS } from "../src/protocols/primarybackup/model.ts"
import { obligationsOn } from "./obligation.ts"

const on = obligationsOn<typeof PRIMARYBACKUP_TESTS>("primarybackup")

const SIM = { seed: 1 } as const

export const obligations: ReadonlyArray<Obligation> = [
  on({ name: "every invariant in every state, view service + 2 servers + 1 client, views up to 2 (complete bfs)", test: "exhaustive-small", expect: "ok" }),
  on({ name: "stale messages of view 2 delivered in view 4, after the backup was cut off for view 3 and came back (staged bfs, complete from there)", test: "stale-after-rejoin", expect: "ok" }),
  on({ name: "the same, the client's operation served by the primary alone in view 3 (staged bfs, complete from there)", test: "stale-after-rejoin-done", expect: "ok" }),
  on({ name: "stale messages and requests after the backup took over and the old primary came back as its backup (staged bfs, complete from there)", test: "stale-after-swap", expect: "ok" }),
  on({ name: "after the primary crashes, the backup takes over and the client finishes (guided bfs)", test: "failover-search", expect: "goal-found" }),
  on({ name: "the checker catches a primary that answers before its backup acknowledged", test: "bug-answer-before-backup", options: SIM, expect: "violation" }),
  on({ name: "no acknowledged write lost when the primary crashes (simulated)", test: "primary-crash", options: SIM, expect: "goal-found" }),
  on({ name: "state transfer to a replacement backup (simulated)", test: "backup-replaced", options: SIM, expect: "goal-found" }),
  on({ name: "repeated failovers while clients run (simulated)", test: "repeated-failovers", options: SIM, expect: "goal-found" }),
  on({ name: "clients finish with results right at 20% loss (simulated)", test: "unreliable-20", options: SIM, expect: "goal-found" }),
  on({ name: "every client request completes under fair delivery with a stable primary: one server, lossy network, at most 3 in flight (complete bfs, then liveness)", test: "live-requests-complete", expect: "ok" }),
  on({ name: "the checker catches a client whose retry re-sends nothing (a lasso: its request is lost and the servers ping forever)", test: "bug-live-no-client-retry", expect: "violation" }),
]
