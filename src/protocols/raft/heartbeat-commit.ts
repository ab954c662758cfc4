/**
 * Followers learn a commit from the leader's heartbeat (issue 14, session 14). Figure 2's receiver
 * rule 5 ("if leaderCommit > commitIndex, set commitIndex = min(leaderCommit, index of last new
 * entry)") holds of every AppendEntries, an empty one too: once the leader has committed the last
 * command, its heartbeats are the only way the followers learn it. The blind mutant
 * heartbeat-does-not-commit (a follower that commits only on messages carrying entries) was caught
 * only by a 35-step liveness lasso, then by RECEIVER_RULES (receiver-rules.ts) in a 23-step staged
 * search.
 *
 * search-heartbeat-commit: 3 servers, a bootstrapped leader of term 1 (no elections), one client's
 * put, no compaction; BFS until every server has committed it: the leader commits on its first
 * follower's reply and tells the others only in heartbeats.
 */
import type { NamedTest } from "../../checker/model.ts"
import { goal } from "../../checker/transition-system.ts"
import type { ProtocolState } from "../../core/compile.ts"
import { privateKeyWorkload } from "../../core/workloads.ts"
import { serverStates } from "./properties.ts"
import { checkedSystem } from "./scenarios.ts"

const allCommitted = goal<ProtocolState>("ALL_COMMITTED_1", (w) => serverStates(w, 3).every((s) => s != null && s.commitIndex === 1))

export const HEARTBEAT_COMMIT_TESTS = {
  "search-heartbeat-commit": {
    description:
      "3 servers, a bootstrapped leader of term 1 (no elections), one client's put, duplicating network; BFS until every server has committed it: a follower that accepts a heartbeat whose leaderCommit is past its commit index commits up to it (RECEIVER_RULES, rule 5)",
    build: () => checkedSystem({ servers: 3, workloads: [privateKeyWorkload("client1", 1)], server: { bootstrapLeader: true, maxTerm: 1 }, client: { retry: false } }, [allCommitted], "raft heartbeat commit"),
    options: { strategy: "bfs", maxStates: 20_000 },
    expect: "goal-found",
  },
} satisfies Record<string, NamedTest>
