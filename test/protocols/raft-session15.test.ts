/**
 * Session 15's Raft checks (issue 14, blind wave 10), each shown catching a mutant of the wave
 * (bench/mutants/raft/catalogue.ts, restated) with a short trace, from a mutated copy of the sources
 * (mutant-tree.ts; bench/mutants/rpb-session15.json has the first pass):
 *
 * - LEADER_HINT_OF_TERM (leader-rules.ts) in staged-leader-again for hint-survives-term-change, caught
 *   before only as a staged search that could not reach its stage, with no trace;
 * - LEADER_UNARMED (role-rules.ts) in staged-leader-again for refused-vote-resets-timer and in
 *   staged-old-term-compacted for stale-append-resets-election-timer, which passed every test.
 *
 * That the shipped protocol passes these searches, raft.test.ts checks with every named test.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const server = "src/protocols/raft/server.ts"
/** The catalogue's mutants (same names), restated. */
const MUTANTS: Record<string, Edit> = {
  "hint-survives-term-change": { file: server, search: "      leader: term > s.term ? null : s.leader,\n", replace: "      leader: s.leader,\n" },
  "refused-vote-resets-timer": {
    file: server,
    search: "        if (grant) {\n          if (s.votedFor === null) s = { ...s, votedFor: from }\n          resetElectionTimer(ctx)\n        }\n",
    replace: "        if (grant && s.votedFor === null) s = { ...s, votedFor: from }\n        resetElectionTimer(ctx)\n",
  },
  "stale-append-resets-election-timer": {
    file: server,
    search: "        if (m.term < s0.term) {\n          ctx.send(from, new AppendEntriesReply({ term: s0.term, success: false, matchIndex: 0, conflictTerm: -1, conflictIndex: 0 }))\n",
    replace: "        resetElectionTimer(ctx)\n        if (m.term < s0.term) {\n          ctx.send(from, new AppendEntriesReply({ term: s0.term, success: false, matchIndex: 0, conflictTerm: -1, conflictIndex: 0 }))\n",
  },
}

const cases = [
  { name: "staged-leader-again", mutant: "hint-survives-term-change", property: "LEADER_HINT_OF_TERM", steps: 8 },
  { name: "staged-leader-again", mutant: "refused-vote-resets-timer", property: "LEADER_UNARMED", steps: 7 },
  { name: "staged-old-term-compacted", mutant: "stale-append-resets-election-timer", property: "LEADER_UNARMED", steps: 13 },
] as const

shortTraceTests("raft", "src/protocols/raft/model.ts", "raftModel", MUTANTS, cases)
