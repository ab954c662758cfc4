/**
 * Primary-backup: ONE_PRIMARY_PER_VIEW, ACKED_OPS_REPLICATED (no acknowledged operation is missing
 * from the primary or backup of an acknowledged view), RESULTS_OK, APPENDS_LINEARIZABLE. The
 * exhaustive obligation is complete for views up to 2 (a prune: view numbers are unbounded).
 */
import type { Obligation } from "../src/checker/prove.ts"

const SIM = { seed: 1 } as const

export const obligations: ReadonlyArray<Obligation> = [
  { name: "every invariant in every state, view service + 2 servers + 1 client, views up to 2 (complete bfs)", model: "primarybackup", test: "exhaustive-small", expect: "ok" },
  { name: "after the primary crashes, the backup takes over and the client finishes (guided bfs)", model: "primarybackup", test: "failover-search", expect: "goal-found" },
  { name: "the checker catches a primary that answers before its backup acknowledged", model: "primarybackup", test: "bug-answer-before-backup", options: SIM, expect: "violation" },
  { name: "no acknowledged write lost when the primary crashes (simulated)", model: "primarybackup", test: "primary-crash", options: SIM, expect: "goal-found" },
  { name: "state transfer to a replacement backup (simulated)", model: "primarybackup", test: "backup-replaced", options: SIM, expect: "goal-found" },
  { name: "repeated failovers while clients run (simulated)", model: "primarybackup", test: "repeated-failovers", options: SIM, expect: "goal-found" },
  { name: "clients finish with results right at 20% loss (simulated)", model: "primarybackup", test: "unreliable-20", options: SIM, expect: "goal-found" },
]
