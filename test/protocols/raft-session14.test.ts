/**
 * Session 14's Raft checks (issue 14, blind wave 9), each shown catching a mutant of the wave
 * (bench/mutants/raft/catalogue.ts, restated) with a short trace, from a mutated copy of the sources
 * (mutant-tree.ts; bench/mutants/rpb-session14.json has the first pass):
 *
 * - RECEIVER_RULES (receiver-rules.ts, now in every raft search) in search-heartbeat-commit
 *   (heartbeat-commit.ts) for heartbeat-does-not-commit, caught before only by a 35-step liveness lasso;
 * - DEPOSED_LEADER_ARMED (role-rules.ts) in staged-leader-again for
 *   deposed-leader-without-election-timer, caught before only as a stage not reached, with no trace;
 * - RECEIVER_RULES' RequestVote rule in exhaustive-replication for up-to-date-term-inverted, caught
 *   before by LEADER_COMPLETENESS in 19 steps;
 * - RECEIVER_RULES' InstallSnapshot rule in staged-snapshot-next-leader for
 *   install-snapshot-records-message-term (14 steps, by SNAPSHOT_MATCHING before).
 *
 * That the shipped protocol passes these searches, raft.test.ts checks with every named test.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const server = "src/protocols/raft/server.ts"
/** The catalogue's mutants (same names), restated. */
const MUTANTS: Record<string, Edit> = {
  "heartbeat-does-not-commit": {
    file: server,
    search: "s = commitTo(s, Math.min(m.leaderCommit, matchIndex), ctx)",
    replace: "if (entries.length > 0) s = commitTo(s, Math.min(m.leaderCommit, matchIndex), ctx)",
  },
  "deposed-leader-without-election-timer": {
    file: server,
    search: "      ctx.cancelTimer(HeartbeatTimer)\n      ctx.setTimer(new ElectionTimer(), ELECTION_MIN, ELECTION_MAX)\n    }\n    return {",
    replace: "      ctx.cancelTimer(HeartbeatTimer)\n    }\n    return {",
  },
  "up-to-date-term-inverted": {
    file: server,
    search: "const upToDate = m.lastLogTerm > myLastTerm || (m.lastLogTerm === myLastTerm && m.lastLogIndex >= myLast)",
    replace: "const upToDate = myLastTerm > m.lastLogTerm || (m.lastLogTerm === myLastTerm && m.lastLogIndex >= myLast)",
  },
  "install-snapshot-records-message-term": {
    file: server,
    search: "snapIndex: m.lastIncludedIndex, snapTerm: m.lastIncludedTerm, snap: m.data",
    replace: "snapIndex: m.lastIncludedIndex, snapTerm: m.term, snap: m.data",
  },
}

const cases = [
  { name: "search-heartbeat-commit", mutant: "heartbeat-does-not-commit", property: "RECEIVER_RULES", steps: 5 },
  { name: "staged-leader-again", mutant: "deposed-leader-without-election-timer", property: "DEPOSED_LEADER_ARMED", steps: 8 },
  { name: "exhaustive-replication", mutant: "up-to-date-term-inverted", property: "RECEIVER_RULES", steps: 6 },
  { name: "staged-snapshot-next-leader", mutant: "install-snapshot-records-message-term", property: "RECEIVER_RULES", steps: 14 },
] as const

shortTraceTests("raft", "src/protocols/raft/model.ts", "raftModel", MUTANTS, cases)
