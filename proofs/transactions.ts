/**
 * Cross-shard transactions (shardtxn): two-phase commit through each group's log and two-phase
 * locking per key, on seeded simulated runs (every result right, the clients' history strictly
 * serializable, locks held until the decision, atomic commit), a staged search of every interleaving
 * up to a bound, and each planted bug of issue 10 caught.
 */
import type { Obligation } from "../src/checker/prove.ts"
import type { SHARDTXN_TESTS } from "../src/protocols/shardtxn/model.ts"
import { obligationsOn } from "./obligation.ts"

const on = obligationsOn<typeof SHARDTXN_TESTS>("shardtxn")

const SIM = { seed: 1 } as const

export const obligations: ReadonlyArray<Obligation> = [
  ...(["single-group-simple", "multi-group-simple", "isolation-multiput-multiget", "repeated-multiput-multiget", "repeated-shard-movement"] as const).map((test) =>
    on({ name: `${test}: results right, history strictly serializable, locks held until the decision, atomic commit (spec log, seed 1)`, test, options: SIM, expect: "goal-found" })
  ),
  on({ name: "no progress across a partition: the client spanning both groups waits, the one on group 1 finishes (seed 1)", test: "no-progress-partitioned", options: SIM, expect: "goal-found" }),
  on({ name: "the coordinator's leader crashes between prepare and decision on Raft: every client finishes, history strictly serializable (seed 1)", test: "coordinator-leader-crash", options: SIM, expect: "goal-found" }),
  on({ name: "on Multi-Paxos: transactions over both groups, history strictly serializable (seed 1)", test: "repeated-multiput-multiget", params: { log: "paxos" }, options: SIM, expect: "goal-found" }),
  on({ name: "staged bfs over two clients' MultiPut, Swap and MultiGet: no violation within the bound", test: "search-multiput-multiget-swap", expect: "budget-exhausted" }),
  on({ name: "locks released before the decision are caught by the staged bfs (LocksHeldUntilDecision, 4 steps)", test: "search-bug-release-before-decision", expect: "violation" }),
  on({ name: "a commit on a partial set of yes votes is caught (history not strictly serializable, seed 1)", test: "bug-commit-partial-votes", options: SIM, expect: "violation" }),
  on({ name: "reads that skip the locks are caught (a MultiGet sees a MultiPut in part, seed 1)", test: "bug-reads-skip-locks", options: SIM, expect: "violation" }),
  on({ name: "a Commit sent before it is logged is caught under leader churn on Raft (AtomicCommit, seed 1)", test: "bug-commit-before-logging", options: SIM, expect: "violation" }),
]
