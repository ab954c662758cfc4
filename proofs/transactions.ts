/**
 * Cross-shard transactions (shardtxn): two-phase commit through each group's log and two-phase
 * locking per key, on seeded simulated runs (every result right, the clients' history strictly
 * serializable, locks held until the decision, atomic commit), a staged search of every interleaving
 * up to a bound, staged random walks checking the refinement of spec/kv-txn, each planted bug of
 * issue 10 caught (with a short trace by the searches), and the abort timeout.
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
  on({ name: "staged bfs over two clients' MultiPut, Swap and MultiGet: no violation (REFINES_KV_TXN included) within the bound", test: "search-multiput-multiget-swap", expect: "budget-exhausted" }),
  on({ name: "locks released before the decision are caught by the staged bfs (LocksHeldUntilDecision, 6 steps)", test: "search-bug-release-before-decision", expect: "violation" }),
  // Short traces (issue 10, session 4): staged random walks on two one-server groups, minimised.
  on({ name: "staged random walks of the correct protocol: transactions commit, every step refines spec/kv-txn, no violation (seed 1)", test: "walks-correct", options: SIM, expect: "goal-found" }),
  on({ name: "staged random walks of the correct protocol on Raft with the coordinator crashing and restarting: no violation (seed 1)", test: "walks-coordinator-crash", options: SIM, expect: "goal-found" }),
  on({ name: "a commit on partial votes is caught with a short trace: REFINES_KV_TXN, a participant drops the committed write (9 steps, seed 1)", test: "walks-bug-commit-partial-votes", options: SIM, expect: "violation" }),
  on({ name: "reads that skip the locks are caught with a short trace: REFINES_KV_TXN, a MultiGet's reads are not the store at its decision (20 steps, seed 1)", test: "walks-bug-reads-skip-locks", options: SIM, expect: "violation" }),
  on({ name: "a Commit sent before it is logged is caught by a search in two phases: the coordinator crashes and aborts what group 2 committed (AtomicCommit, 12 steps, seed 1)", test: "phases-bug-commit-before-logging", options: SIM, expect: "violation" }),
  // The abort timeout.
  on({ name: "abort timeout: a participant cut off, the coordinator aborts, the other group's locks are released and its clients finish; after the heal every transaction completes (seed 1)", test: "abort-timeout-partitioned", options: SIM, expect: "goal-found" }),
  on({ name: "without the abort timeout (planted) the cut-off participant's transaction holds group 1's lock until the heal (seed 1)", test: "bug-no-abort-timeout", options: SIM, expect: "violation" }),
  on({ name: "a commit on a partial set of yes votes is caught (history not strictly serializable, seed 1)", test: "bug-commit-partial-votes", options: SIM, expect: "violation" }),
  on({ name: "reads that skip the locks are caught (a MultiGet sees a MultiPut in part, seed 1)", test: "bug-reads-skip-locks", options: SIM, expect: "violation" }),
  on({ name: "a Commit sent before it is logged is caught under leader churn on Raft (AtomicCommit, seed 1)", test: "bug-commit-before-logging", options: SIM, expect: "violation" }),
]
