/**
 * Session 13's Raft checks (issue 14, blind wave 8), each shown catching a mutant of the wave
 * (bench/mutants/raft/catalogue.ts, restated) with a short trace, from a mutated copy of the sources
 * (mutant-tree.ts):
 *
 * - RECEIVER_RULES (receiver-rules.ts) in search-snapshot-acks for
 *   install-snapshot-rejects-current-term, caught before only by live-snapshot-catch-up's liveness
 *   lasso of 32 steps;
 * - RECEIVER_RULES in staged-figure-8-repair (figure-eight.ts) for prev-term-compared-by-order,
 *   caught before only by the seeded swarm hunt (28-53 steps).
 *
 * That the shipped protocol passes these searches, raft.test.ts checks with every named test.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const server = "src/protocols/raft/server.ts"
/** The catalogue's mutants (same names), restated. */
const MUTANTS: Record<string, Edit> = {
  "install-snapshot-rejects-current-term": {
    file: server,
    search: "        if (m.term < s0.term) {\n          ctx.send(from, new InstallSnapshotReply(",
    replace: "        if (m.term <= s0.term) {\n          ctx.send(from, new InstallSnapshotReply(",
  },
  "prev-term-compared-by-order": { file: server, search: "} else if (termAt(s, prev) !== m.prevLogTerm) {", replace: "} else if (termAt(s, prev) > m.prevLogTerm) {" },
}

const cases = [
  { name: "search-snapshot-acks", mutant: "install-snapshot-rejects-current-term", property: "RECEIVER_RULES", steps: 5 },
  { name: "staged-figure-8-repair", mutant: "prev-term-compared-by-order", property: "RECEIVER_RULES", steps: 25 },
] as const

shortTraceTests("raft", "src/protocols/raft/model.ts", "raftModel", MUTANTS, cases)
