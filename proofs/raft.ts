/**
 * Raft's proof obligations: the bounded configurations of the `raft` model where ELECTION_SAFETY,
 * LOG_MATCHING, LEADER_COMPLETENESS, STATE_MACHINE_SAFETY, LOG_TERMS_MONOTONE, SNAPSHOT_MATCHING,
 * STORAGE_CURRENT, VOTE_KEPT, RESULTS_OK and the refinement of the committed KV store to spec/kv are
 * checked, the staged searches (raft/targeted.ts), and the planted bug the checks must catch.
 */
import type { Obligation } from "../src/checker/prove.ts"
import type { RAFT_TESTS } from "../src/protocols/raft/model.ts"
import { obligationsOn } from "./obligation.ts"

const on = obligationsOn<typeof RAFT_TESTS>("raft")

export const obligations: ReadonlyArray<Obligation> = [
  on({
    name: "election safety, log matching, leader completeness, state-machine safety: 3 servers, one term, every interleaving (duplicating network)",
    test: "exhaustive-election",
    params: { maxTerm: "1" },
    expect: "ok",
  }),
  on({
    name: "the same with crashes and restarts from durable storage (at most one server down)",
    test: "exhaustive-crash",
    params: { maxTerm: "1" },
    expect: "ok",
  }),
  on({
    name: "3 servers replicate one client's Put: Raft invariants, RESULTS_OK and REFINES_KV in every reachable state (the whole space, ~252k states)",
    test: "exhaustive-replication",
    params: { maxTerm: "1" },
    options: { strategy: "bfs", maxStates: 2_000_000 },
    expect: "ok",
  }),
  on({
    name: "a voter that skips the up-to-date check elects a leader without a committed entry (planted bug is caught)",
    test: "bug-vote-without-up-to-date",
    expect: "violation",
  }),
  ...(["agree-basic", "kv-basic"] as const).map((test) =>
    on({ name: `${test}: agreement at indices 1-3 and refinement of spec/kv on a simulated run (seed 1)`, test, options: { seed: 1 }, expect: "goal-found" })
  ),
  ...(["persist-figure8", "persist-figure8-unreliable", "persist-churn-unreliable", "snap-install-unreliable", "kv-many-partitions"] as const).map((test) =>
    on({ name: `${test}: invariants in every state of a seeded faulty run (seed 1), all clients finish`, test, options: { seed: 1 }, expect: "goal-found" })
  ),
  ...(["staged-snapshot-catch-up", "staged-conflicting-suffix", "staged-conflicting-suffix-snapshot", "staged-stale-grant", "staged-old-term-compacted", "staged-leader-again"] as const).map((test) =>
    on({ name: `${test}: a staged search reaches its situation (BFS per stage) and, searching on, its goal, with every invariant checked on the way`, test, expect: "goal-found" })
  ),
  on({ name: "every client request completes under fair delivery with a stable leader: 3 servers, lossy network, at most 2 in flight (complete bfs, then liveness)", test: "live-requests-complete", expect: "ok" }),
  on({ name: "the checker catches a client that never re-sends after a loss (a lasso: its request is dropped and the leader heartbeats forever)", test: "bug-live-no-client-retry", expect: "violation" }),
]
