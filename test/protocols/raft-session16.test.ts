/**
 * Session 16's Raft checks (issue 14), each shown catching a mutant (bench/mutants/raft/catalogue.ts,
 * restated) with a short trace, from a mutated copy of the sources (mutant-tree.ts;
 * bench/mutants/rpb-session16.json has the first pass):
 *
 * - staged-late-refusal (late-refusal.ts) for next-index-below-match, caught before only by
 *   staged-figure-8 in 19 steps (bench/mutants/rpb-session15.json);
 * - RECEIVER_RULES' vote after the step (receiver-rules.ts) for vote-recorded-before-check (wave 11);
 * - RESTARTED_ARMED (role-rules.ts) for recover-without-election-timer (wave 11), seen before only as a
 *   search that missed its goal, with no trace.
 *
 * That the shipped protocol passes these searches, raft.test.ts checks with every named test.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const server = "src/protocols/raft/server.ts"
/** The catalogue's mutants (same names), restated. */
const MUTANTS: Record<string, Edit> = {
  "next-index-below-match": { file: server, search: "        ni = Math.max(match + 1, Math.min(ni, next))\n", replace: "        ni = Math.min(ni, next)\n" },
  "vote-recorded-before-check": {
    file: server,
    search: "        if (grant) {\n          if (s.votedFor === null) s = { ...s, votedFor: from }\n",
    replace: "        if (m.term === s.term && s.votedFor === null) s = { ...s, votedFor: from }\n        if (grant) {\n          if (s.votedFor === null) s = { ...s, votedFor: from }\n",
  },
  "recover-without-election-timer": {
    file: server,
    search: "      const d = durable as RaftDurable\n      ctx.setTimer(new ElectionTimer(), ELECTION_MIN, ELECTION_MAX)\n",
    replace: "      const d = durable as RaftDurable\n",
  },
}

const cases = [
  { name: "staged-late-refusal", mutant: "next-index-below-match", property: "NEXT_INDEX_BOUNDS", steps: 13 },
  { name: "staged-shorter-log-campaigns", mutant: "vote-recorded-before-check", property: "RECEIVER_RULES", steps: 7 },
  { name: "exhaustive-crash", mutant: "recover-without-election-timer", property: "RESTARTED_ARMED", steps: 3 },
] as const

shortTraceTests("raft", "src/protocols/raft/model.ts", "raftModel", MUTANTS, cases)
