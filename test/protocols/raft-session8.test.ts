/**
 * Session 8's Raft checks (issue 14 item 5), each shown catching a catalogue mutant
 * (bench/mutants/raft/catalogue.ts, restated) with a short trace, imported from a mutated copy of the
 * sources (mutant-tree.ts): Figure 2's leader rules (leader-rules.ts: LEADER_ELECTED_BY_QUORUM,
 * COMMIT_RULE_APPLIED, NEXT_INDEX_BOUNDS; leader-steps.ts: RPC_ARGS_FROM_LOG), search-five-elections,
 * staged-retry-new-leader (PROPOSED_IN_TERM), staged-stale-snapshot-two-clients, and, for the blind
 * wave's misses, APPLIED_IS_LOG (in search-crash-restart-snapshot), LEADER_HEARTBEAT_ARMED and
 * RPC_ARGS_FROM_LOG on a RequestVote. Without the check
 * each mutant is caught later, by another property (or, for the liveness faults, only as a lasso), so
 * each case fails. LEADER_COMMITS_OWN_TERM: raft-session7.test.ts (staged-figure-8, the planted
 * bugCommitOldTerms). That the shipped protocol passes them, raft.test.ts checks with every named test.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"


const server = "src/protocols/raft/server.ts"
/** The catalogue's mutants (same names), restated. */
const MUTANTS: Record<string, Edit> = {
  "candidate-counts-duplicate-votes": {
    file: server,
    search:
      'if (s.role !== "candidate" || m.term !== s.term || !m.granted || s.votes!.includes(from)) return s\n        const votes = [...s.votes!, from].sort()',
    replace: 'if (s.role !== "candidate" || m.term !== s.term || !m.granted) return s\n        const votes = [...s.votes!, from].sort()',
  },
  "commit-count-strict": { file: server, search: "if (m >= n) count++", replace: "if (m > n) count++" },
  "prev-term-off-by-one": { file: server, search: "prevLogTerm: termAt(s, ni - 1),", replace: "prevLogTerm: termAt(s, ni)," },
  "snapshot-reply-ignored": { file: server, search: "next: new Map(s.next!).set(from, Math.max(s.next!.get(from)!, m.matchIndex + 1)),", replace: "next: s.next," },
  "retry-dedup-any-term": {
    file: server,
    search: "if (e.term === s.term && sameCommand(e.command, command)) return s",
    replace: "if (sameCommand(e.command, command)) return s",
  },
  "stale-snapshot-installed": { file: server, search: "if (m.lastIncludedIndex > s.commitIndex) {", replace: "if (m.lastIncludedIndex > s.snapIndex) {" },
  // Session 8's blind wave, misses closed:
  "recover-skips-snapshot": { file: server, search: "      if (d.snapIndex > 0) ctx.emit(restored(d.snapIndex, d.snap))\n", replace: "" },
  "heartbeat-not-rearmed": {
    file: server,
    search: "        broadcastAppend(s, ctx)\n        ctx.setTimer(new HeartbeatTimer(), HEARTBEAT)\n",
    replace: "        broadcastAppend(s, ctx)\n",
  },
  "vote-request-ignores-snapshot-offset": {
    file: server,
    search: "new RequestVote({ term: s.term, lastLogIndex: lastIndex(s),",
    replace: "new RequestVote({ term: s.term, lastLogIndex: s.log.length,",
  },
}

const cases = [
  { name: "search-five-elections", mutant: "candidate-counts-duplicate-votes", property: "LEADER_ELECTED_BY_QUORUM", steps: 4 },
  { name: "search-five-servers", mutant: "commit-count-strict", property: "COMMIT_RULE_APPLIED", steps: 5 },
  { name: "search-five-servers", mutant: "prev-term-off-by-one", property: "RPC_ARGS_FROM_LOG", steps: 1 },
  { name: "search-crash-restart-snapshot", mutant: "snapshot-reply-ignored", property: "NEXT_INDEX_BOUNDS", steps: 6 },
  { name: "staged-retry-new-leader", mutant: "retry-dedup-any-term", property: "PROPOSED_IN_TERM", steps: 12 },
  { name: "staged-stale-snapshot-two-clients", mutant: "stale-snapshot-installed", property: "COMMIT_INDEX_MONOTONE", steps: 14 },
  { name: "search-crash-restart-snapshot", mutant: "recover-skips-snapshot", property: "RECOVERY_REBUILDS", steps: 5 },
  { name: "search-crash-restart", mutant: "heartbeat-not-rearmed", property: "LEADER_HEARTBEAT_ARMED", steps: 1 },
  { name: "staged-old-term-compacted", mutant: "vote-request-ignores-snapshot-offset", property: "RPC_ARGS_FROM_LOG", steps: 10 },
] as const

shortTraceTests("raft", "src/protocols/raft/model.ts", "raftModel", MUTANTS, cases)
