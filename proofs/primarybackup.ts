/**
 * Primary-backup: ONE_PRIMARY_PER_VIEW, ACKED_OPS_REPLICATED (no acknowledged operation is missing
 * from the primary or backup of an acknowledged view), RESULTS_OK, APPENDS_LINEARIZABLE. The
 * exhaustive obligation is complete for views up to 2 (a prune: view numbers are unbounded).
 */
import type { Obligation } from "../src/checker/prove.ts"
import type { PRIMARYBACKUP_TESTS } from "../src/protocols/primarybackup/model.ts"
import { obligationsOn } from "./obligation.ts"

const on = obligationsOn<typeof PRIMARYBACKUP_TESTS>("primarybackup")

const SIM = { seed: 1 } as const

export const obligations: ReadonlyArray<Obligation> = [
  on({ name: "every invariant in every state, view service + 2 servers + 1 client, views up to 2 (complete bfs)", test: "exhaustive-small", expect: "ok" }),
  on({ name: "after the primary crashes, the backup takes over and the client finishes (guided bfs)", test: "failover-search", expect: "goal-found" }),
  on({ name: "the checker catches a primary that answers before its backup acknowledged", test: "bug-answer-before-backup", options: SIM, expect: "violation" }),
  on({ name: "no acknowledged write lost when the primary crashes (simulated)", test: "primary-crash", options: SIM, expect: "goal-found" }),
  on({ name: "state transfer to a replacement backup (simulated)", test: "backup-replaced", options: SIM, expect: "goal-found" }),
  on({ name: "repeated failovers while clients run (simulated)", test: "repeated-failovers", options: SIM, expect: "goal-found" }),
  on({ name: "clients finish with results right at 20% loss (simulated)", test: "unreliable-20", options: SIM, expect: "goal-found" }),
  on({ name: "every client request completes under fair delivery with a stable primary: one server, lossy network, at most 3 in flight (complete bfs, then liveness)", test: "live-requests-complete", expect: "ok" }),
  on({ name: "the checker catches a client whose retry re-sends nothing (a lasso: its request is lost and the servers ping forever)", test: "bug-live-no-client-retry", expect: "violation" }),
]
