/**
 * Session 10's Raft checks (issue 14), each shown catching a mutant of the session's blind wave
 * (bench/mutants/raft/catalogue.ts, restated) with a short trace, imported from a mutated copy of the
 * sources (mutant-tree.ts):
 *
 * - VOTES_TRUE (leader-rules.ts) in search-five-terms (five-terms.ts) for candidate-keeps-old-votes,
 *   which of the named tests only the five-server swarm hunt caught (8 steps);
 * - ACK_HELD (ack-held.ts) in staged-append-over-snapshot (compaction-searches.ts) for
 *   snapshot-skip-off-by-one, which no named test caught;
 * - LEADER_COMPLETENESS, now also over the entries a server compacted into its snapshot, in
 *   staged-shorter-log-campaigns-compacted for voter-last-term-ignores-snapshot, caught before only
 *   by the swarm hunt with 47 steps;
 * - RPC_ARGS_FROM_LOG in staged-next-leader-appends (compaction-searches.ts: a leader of term 2 over a snapshot
 *   of term 1 appends) for prev-term-ignores-snapshot-offset, caught before only by the swarm hunt
 *   with 45 steps;
 * - STORAGE_CURRENT, now also over the snapshot's state (properties.ts), in search-crash-restart-snapshot
 *   for snapshot-state-not-persisted (added after the wave), which before failed only as an exception
 *   in recovery (no trace).
 *
 * That the shipped protocol passes these searches, raft.test.ts checks with every named test.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const server = "src/protocols/raft/server.ts"
/** The catalogue's mutants (same names), restated. */
const MUTANTS: Record<string, Edit> = {
  "candidate-keeps-old-votes": {
    file: server,
    search: 'role: "candidate", term: s0.term + 1, votedFor: ctx.self, votes: [ctx.self],',
    replace: 'role: "candidate", term: s0.term + 1, votedFor: ctx.self, votes: s0.votes ?? [ctx.self],',
  },
  "snapshot-skip-off-by-one": {
    file: server,
    search: "const skip = Math.min(entries.length, s.snapIndex - prev)",
    replace: "const skip = Math.min(entries.length, s.snapIndex - prev + 1)",
  },
  "prev-term-ignores-snapshot-offset": {
    file: server,
    search: "prevLogTerm: termAt(s, ni - 1),",
    replace: "prevLogTerm: ni - 2 >= 0 && ni - 2 < s.log.length ? s.log[ni - 2]!.term : s.snapTerm,",
  },
  "snapshot-state-not-persisted": { file: server, search: "  snap: s.snap,\n  commitIndex: s.commitIndex,", replace: "  snap: undefined,\n  commitIndex: s.commitIndex," },
  "voter-last-term-ignores-snapshot": {
    file: server,
    search: "const myLastTerm = termAt(s, myLast)",
    replace: "const myLastTerm = s.log.length > 0 ? s.log[s.log.length - 1]!.term : 0",
  },
}

const cases = [
  { name: "search-five-terms", mutant: "candidate-keeps-old-votes", property: "VOTES_TRUE", steps: 4 },
  { name: "staged-append-over-snapshot", mutant: "snapshot-skip-off-by-one", property: "ACK_HELD", steps: 9 },
  { name: "staged-next-leader-appends", mutant: "prev-term-ignores-snapshot-offset", property: "RPC_ARGS_FROM_LOG", steps: 16 },
  // Session 14: RECEIVER_RULES' RequestVote rule flags the vote a step before LEADER_COMPLETENESS (14 steps before).
  { name: "staged-shorter-log-campaigns-compacted", mutant: "voter-last-term-ignores-snapshot", property: "RECEIVER_RULES", steps: 13 },
  { name: "search-crash-restart-snapshot", mutant: "snapshot-state-not-persisted", property: "STORAGE_CURRENT", steps: 3 },
] as const

shortTraceTests("raft", "src/protocols/raft/model.ts", "raftModel", MUTANTS, cases)
