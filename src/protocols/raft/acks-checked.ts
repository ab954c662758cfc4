/**
 * A follower acknowledges only what the message it answers checked (issue 14, session 9). matchIndex is
 * Figure 2's "index of highest log entry known to be replicated on server": an AppendEntries proves the
 * follower's log equal to the leader's through prevLogIndex + entries.length, an InstallSnapshot
 * through lastIncludedIndex, and nothing past that; whatever the follower holds after it may be an
 * older leader's entries. ACKS_CHECKED (receiver-rules.ts): the reply a follower sends in the step that delivers one of
 * these messages claims no more. A follower whose log is longer and matches the leader's breaks no
 * invariant (MATCH_INDEX_TRUE holds), so the searches did not catch the blind mutant
 * snapshot-reply-claims-whole-log (bench/mutants/raft/catalogue.ts) at all.
 *
 * search-snapshot-acks: 3 servers, a bootstrapped leader, one client's two puts, compaction at every
 * commit, duplicating network: the leader compacts entry 1 while its AppendEntries of entry 1 to s3 is
 * in flight, so it sends s3 an InstallSnapshot, which s3 may get after entry 2.
 */
import type { NamedTest } from "../../checker/model.ts"
import { privateKeyWorkload } from "../../core/workloads.ts"
import { checkedSystem } from "./scenarios.ts"

/** The search's budget: a few seconds. */
export const SNAPSHOT_ACKS_BUDGET = 20_000

export const ACKS_CHECKED_TESTS = {
  "search-snapshot-acks": {
    description: `3 servers, a bootstrapped leader of term 1, one client's two puts, compaction at every commit, one term, duplicating network; BFS to ${SNAPSHOT_ACKS_BUDGET} states: a follower's reply acknowledges only what the AppendEntries or InstallSnapshot it answers checked (ACKS_CHECKED), even when its log goes further (an InstallSnapshot that reaches s3 after entry 2 did), and follows Figure 2's receiver rules (RECEIVER_RULES)`,
    // ACKS_CHECKED and RECEIVER_RULES (receiver-rules.ts) are among every raft search's step properties.
    build: () =>
      checkedSystem(
        { servers: 3, workloads: [privateKeyWorkload("client1", 2)], server: { bootstrapLeader: true, maxTerm: 1, snapshotThreshold: 0 }, client: { retry: false } },
        [],
        "raft snapshot acknowledgements"
      ),
    options: { strategy: "bfs", maxStates: SNAPSHOT_ACKS_BUDGET },
    expect: "budget-exhausted",
  },
} satisfies Record<string, NamedTest>
