/**
 * A crash and restart after a commit (issue 14 item 5, session 7): 3 servers, a bootstrapped leader of
 * term 1 (no election), one client's put, one term, any one server may crash and restart from its
 * storage; breadth-first to a budget. A follower that committed the put, crashed and came back must
 * rebuild exactly the applied state it had (snapshot plus the committed entries after it) at the
 * commit index it had: recovery that replays one entry too few or too many, or restarts the commit
 * index elsewhere, breaks STATE_MACHINE_SAFETY within a few steps of the restart. exhaustive-crash has
 * no client, and the swarm needed 17-22 steps.
 *
 * Designed after recover-commit-at-snapshot (blind, session 7) and recover-skips-last-committed
 * (session 6) were caught only by the swarm (bench/mutants/raft/catalogue.ts).
 */
import type { NamedTest } from "../../checker/model.ts"
import { privateKeyWorkload } from "../../core/workloads.ts"
import { checkedSystem } from "./scenarios.ts"

/** The budget: a few seconds (every order of the first dozen or so steps). */
export const CRASH_RESTART_BUDGET = 30_000

/** The snapshot variant's budget: a restart after a compaction is six steps in. */
export const CRASH_RESTART_SNAPSHOT_BUDGET = 10_000

export const CRASH_RESTART_TESTS = {
  "search-crash-restart": {
    description: `3 servers, a bootstrapped leader of term 1, one client's put, one term, one server at a time may crash and restart from its storage, duplicating network; BFS to ${CRASH_RESTART_BUDGET} states: a server that committed, crashed and recovered must have the applied state of its commit index (STATE_MACHINE_SAFETY)`,
    build: () =>
      checkedSystem(
        { servers: 3, workloads: [privateKeyWorkload("client1", 1)], server: { bootstrapLeader: true, maxTerm: 1 }, client: { retry: false }, faults: { maxCrashed: 1 } },
        [],
        "raft crash and restart"
      ),
    options: { strategy: "bfs", maxStates: CRASH_RESTART_BUDGET },
    expect: "budget-exhausted",
  },
  "search-crash-restart-snapshot": {
    description: `search-crash-restart with compaction at every commit (session 8): a server that compacted, crashed and recovered must rebuild its applied state from its snapshot and the committed entries after it (APPLIED_IS_LOG); BFS to ${CRASH_RESTART_SNAPSHOT_BUDGET} states`,
    build: () =>
      checkedSystem(
        { servers: 3, workloads: [privateKeyWorkload("client1", 1)], server: { bootstrapLeader: true, maxTerm: 1, snapshotThreshold: 0 }, client: { retry: false }, faults: { maxCrashed: 1 } },
        [],
        "raft crash and restart, compaction at every commit"
      ),
    options: { strategy: "bfs", maxStates: CRASH_RESTART_SNAPSHOT_BUDGET },
    expect: "budget-exhausted",
  },
} satisfies Record<string, NamedTest>
