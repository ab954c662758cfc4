/**
 * Session 11's Raft checks (the seed problem): catches that held only under some seeds of the swarm
 * hunts, each now made by a search whose verdict does not depend on the seed, shown catching the
 * catalogue's mutant (bench/mutants/raft/catalogue.ts, restated) in a mutated copy of the sources
 * (mutant-tree.ts):
 *
 * - staged-older-log-campaigns (staged-elections.ts) for up-to-date-by-length-only, which only the swarm
 *   hunts caught, under 3 of 4 seeds (bench/mutants/rpb-seeds.json), with 21 to 51 steps;
 * - VOTE_OF_TERM (properties.ts), a step property of every Raft search, in search-term-rule for the
 *   blind mutant vote-kept-in-new-term, which only the re-election simulation caught (no new leader,
 *   88 to 93 steps, under each of seeds 2, 3, 5, 8).
 *
 * That the shipped protocol passes these searches, raft.test.ts checks with every named test.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const server = "src/protocols/raft/server.ts"
/** The catalogue's mutants (same names), restated. */
const MUTANTS: Record<string, Edit> = {
  "up-to-date-by-length-only": {
    file: server,
    search: "const upToDate = m.lastLogTerm > myLastTerm || (m.lastLogTerm === myLastTerm && m.lastLogIndex >= myLast)",
    replace: "const upToDate = m.lastLogIndex >= myLast",
  },
  "vote-kept-in-new-term": { file: server, search: "      votedFor: term > s.term ? null : s.votedFor,\n", replace: "      votedFor: s.votedFor,\n" },
}

const cases = [
  // Session 14: RECEIVER_RULES' RequestVote rule (receiver-rules.ts, every raft search) flags the wrong vote
  // a step before LEADER_COMPLETENESS (19 steps before) and VOTE_OF_TERM (5) saw its consequence.
  { name: "staged-older-log-campaigns", mutant: "up-to-date-by-length-only", property: "RECEIVER_RULES", steps: 18 },
  { name: "search-term-rule", mutant: "vote-kept-in-new-term", property: "RECEIVER_RULES", steps: 4 },
] as const

shortTraceTests("raft", "src/protocols/raft/model.ts", "raftModel", MUTANTS, cases)
