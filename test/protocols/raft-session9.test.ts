/**
 * Session 9's Raft checks (issue 14), each shown catching a mutant of the session's blind wave
 * (bench/mutants/raft/catalogue.ts, restated) with a short trace, imported from a mutated copy of the
 * sources (mutant-tree.ts): TERM_RULE_APPLIED in search-term-rule (term-rule.ts) for
 * reply-term-ignored, which before was caught only by a staged search failing to reach its goal (no
 * trace), and ACKS_CHECKED in search-snapshot-acks (acks-checked.ts) for
 * snapshot-reply-claims-whole-log, which no search caught, and SNAPSHOT_ARGS_FROM_SNAPSHOT in
 * staged-snapshot-next-leader (snapshot-args.ts) for install-snapshot-sends-current-term, caught
 * before only by the swarm hunt with 41 steps, and staged-overwritten-entry (overwritten-entry.ts),
 * where STORAGE_CURRENT catches log-persisted-on-length-change (22 steps before, staged-figure-8). That the shipped protocol passes search-term-rule, raft.test.ts checks with every named test.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const server = "src/protocols/raft/server.ts"
/** The catalogue's mutants (same names), restated. */
const MUTANTS: Record<string, Edit> = {
  "reply-term-ignored": {
    file: server,
    search: "message: (s, m, _from, ctx) => observeTerm(s, m.term, ctx),",
    replace: 'message: (s, m, _from, ctx) => (m._tag.endsWith("Reply") ? s : observeTerm(s, m.term, ctx)),',
  },
  "snapshot-reply-claims-whole-log": {
    file: server,
    search: "ctx.send(from, new InstallSnapshotReply({ term: s.term, matchIndex: m.lastIncludedIndex }))",
    replace: "ctx.send(from, new InstallSnapshotReply({ term: s.term, matchIndex: lastIndex(s) }))",
  },
  "install-snapshot-sends-current-term": {
    file: server,
    search: "lastIncludedIndex: s.snapIndex, lastIncludedTerm: s.snapTerm, data: s.snap",
    replace: "lastIncludedIndex: s.snapIndex, lastIncludedTerm: s.term, data: s.snap",
  },
  "log-persisted-on-length-change": { file: server, search: "before.log !== after.log ||", replace: "before.log.length !== after.log.length ||" },
}

const cases = [
  { name: "search-term-rule", mutant: "reply-term-ignored", property: "TERM_RULE_APPLIED", steps: 5 },
  { name: "search-snapshot-acks", mutant: "snapshot-reply-claims-whole-log", property: "ACKS_CHECKED", steps: 9 },
  { name: "staged-snapshot-next-leader", mutant: "install-snapshot-sends-current-term", property: "SNAPSHOT_ARGS_FROM_SNAPSHOT", steps: 13 },
  { name: "staged-overwritten-entry", mutant: "log-persisted-on-length-change", property: "STORAGE_CURRENT", steps: 11 },
] as const

shortTraceTests("raft", "src/protocols/raft/model.ts", "raftModel", MUTANTS, cases)
