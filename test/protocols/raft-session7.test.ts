/**
 * Session 7's Raft searches (issue 14 item 5), each shown catching a catalogue mutant (bench/mutants/raft/catalogue.ts) with a short trace, imported from a mutated copy
 * of the sources (mutant-tree.ts): search-five-servers (apply-uncommitted), staged-snapshot-new-term
 * (install-snapshot-term-unchecked, by TERM_MONOTONE), live-snapshot-catch-up (snapshot-reply-ignored,
 * a lasso; session 8: NEXT_INDEX_BOUNDS first), search-crash-restart (recover-commit-at-snapshot); staged-figure-8 with the planted bugCommitOldTerms (LEADER_COMPLETENESS; session 8: LEADER_COMMITS_OWN_TERM first). TERM_MONOTONE on
 * hand-made steps. That the shipped protocol passes them, raft.test.ts checks with every named test.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import type { World } from "../../src/core/world.ts"
import { raftModel } from "../../src/protocols/raft/model.ts"
import { termMonotone } from "../../src/protocols/raft/term-monotone.ts"
import { figureEight } from "../../src/protocols/raft/figure-eight.ts"
import { type Edit, shortTraceTests } from "./mutant-tree.ts"


const server = "src/protocols/raft/server.ts"
/** The catalogue's mutants (bench/mutants/raft/catalogue.ts, same names), restated. */
const MUTANTS: Record<string, Edit> = {
  "apply-uncommitted": { file: server, search: "s = commitTo(s, Math.min(m.leaderCommit, matchIndex), ctx)", replace: "s = commitTo(s, matchIndex, ctx)" },
  "install-snapshot-term-unchecked": {
    file: server,
    search: "if (m.term < s0.term) {\n          ctx.send(from, new InstallSnapshotReply({ term: s0.term, matchIndex: 0 }))\n          return s0\n        }\n",
    replace: "",
  },
  "recover-commit-at-snapshot": { file: server, search: "commitIndex: d.commitIndex,", replace: "commitIndex: d.snapIndex," },
  "snapshot-reply-ignored": { file: server, search: "next: new Map(s.next!).set(from, Math.max(s.next!.get(from)!, m.matchIndex + 1)),", replace: "next: s.next," },
}

const cases = [
  { name: "search-five-servers", mutant: "apply-uncommitted", property: "COMMITTED_ON_QUORUM", steps: 4 },
  { name: "staged-snapshot-new-term", mutant: "install-snapshot-term-unchecked", property: "TERM_MONOTONE", steps: 22 },
  // Session 8: NEXT_INDEX_BOUNDS (leader-rules.ts) now sees the reply that leaves nextIndex at the match, before the lasso closes.
  { name: "live-snapshot-catch-up", mutant: "snapshot-reply-ignored", property: "NEXT_INDEX_BOUNDS", steps: 36 },
  { name: "search-crash-restart", mutant: "recover-commit-at-snapshot", property: "RECOVERY_REBUILDS", steps: 6 },
] as const

shortTraceTests("raft", "src/protocols/raft/model.ts", "raftModel", MUTANTS, cases)

test("TERM_MONOTONE: a step that takes an up server's term back fails; a newer term, or an unchanged node, passes", (t) => {
  const p = termMonotone<string>(1, ["s1"])
  const at = (term: number) => ({ nodes: [{ up: true, state: { log: { term } } }], net: [] }) as unknown as World
  t.truthy(p.check(at(2), "step", at(1)))
  t.is(p.check(at(1), "step", at(2)), undefined)
  const same = at(2)
  t.is(p.check(same, "step", same), undefined)
})

test("raft staged-figure-8: committing by counting (planted bugCommitOldTerms) is caught in at most 24 steps (session 8: at the commit, by LEADER_COMMITS_OWN_TERM)", (t) => {
  const options = raftModel.tests["staged-figure-8"]!.options!
  const bad = explore(figureEight({ bugCommitOldTerms: true }), options)
  t.is(bad.verdict, "violation")
  t.is(bad.property, "LEADER_COMMITS_OWN_TERM")
  t.true(bad.path!.steps.length <= 24, `trace of ${bad.path!.steps.length} steps`)
})
