/**
 * Session 12's Raft checks (issue 14, blind wave 7), each shown catching a mutant of the wave
 * (bench/mutants/raft/catalogue.ts, restated) with a short trace, imported from a mutated copy of the
 * sources (mutant-tree.ts):
 *
 * - CANDIDATE_KNOWS_NO_LEADER (leader-rules.ts) in exhaustive-election for
 *   candidate-ignores-leader-of-its-term, which staged-stale-grant caught only as a goal not reached;
 * - CONFLICT_HINT_TRUE (conflict-hint.ts) in search-snapshot-acks for
 *   append-check-ignores-snapshot-offset, caught before only by a liveness lasso of 36 steps;
 * - ROLE_RULES (role-rules.ts) in exhaustive-election for term-rule-on-equal-term, caught before only
 *   by a liveness lasso of 15 steps;
 * - RECOVERY_REBUILDS (recovery-rebuilds.ts) in staged-stale-snapshot-two-clients for
 *   recover-restores-snapshot-last, caught before only by the swarm hunt (35-46 steps).
 *
 * That the shipped protocol passes these searches, raft.test.ts checks with every named test.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const server = "src/protocols/raft/server.ts"
/** The catalogue's mutants (same names), restated. */
const MUTANTS: Record<string, Edit> = {
  "candidate-ignores-leader-of-its-term": {
    file: server,
    search: 'let s = m.term > s0.term || s0.role !== "follower" ? stepDown(s0, m.term, ctx) : s0\n        if (s.leader !== from) s = { ...s, leader: from }\n        resetElectionTimer(ctx)\n        const last',
    replace: 'let s = m.term > s0.term || s0.role === "leader" ? stepDown(s0, m.term, ctx) : s0\n        if (s.leader !== from) s = { ...s, leader: from }\n        resetElectionTimer(ctx)\n        const last',
  },
  "append-check-ignores-snapshot-offset": { file: server, search: "        const last = lastIndex(s)\n        const fail", replace: "        const last = s.log.length\n        const fail" },
  "term-rule-on-equal-term": { file: server, search: "(term > s.term ? stepDown(s, term, ctx) : s)", replace: "(term >= s.term ? stepDown(s, term, ctx) : s)" },
  "recover-restores-snapshot-last": {
    file: server,
    search: "      if (d.snapIndex > 0) ctx.emit(restored(d.snapIndex, d.snap))\n      for (let i = d.snapIndex + 1; i <= d.commitIndex; i++) ctx.emit(committed(i, entryAt(d, i)!.command))\n",
    replace: "      for (let i = d.snapIndex + 1; i <= d.commitIndex; i++) ctx.emit(committed(i, entryAt(d, i)!.command))\n      if (d.snapIndex > 0) ctx.emit(restored(d.snapIndex, d.snap))\n",
  },
}

const cases = [
  { name: "exhaustive-election", mutant: "candidate-ignores-leader-of-its-term", property: "CANDIDATE_KNOWS_NO_LEADER", steps: 5 },
  { name: "search-snapshot-acks", mutant: "append-check-ignores-snapshot-offset", property: "CONFLICT_HINT_TRUE", steps: 6 },
  { name: "exhaustive-election", mutant: "term-rule-on-equal-term", property: "ROLE_RULES", steps: 3 },
  { name: "staged-stale-snapshot-two-clients", mutant: "recover-restores-snapshot-last", property: "RECOVERY_REBUILDS", steps: 10 },
] as const

shortTraceTests("raft", "src/protocols/raft/model.ts", "raftModel", MUTANTS, cases)
