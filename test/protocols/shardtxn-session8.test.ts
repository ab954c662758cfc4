/**
 * CommitOnlyOnYes (shardtxn/commit-on-yes.ts), session 8: two-phase commit's rule that a coordinator
 * decides commit only on every participant's yes, checked in the coordinator's record. On the catalogue
 * mutant commit-despite-no-vote (bench/mutants/shardtxn/catalogue.ts, restated), walks-correct breaks it
 * at the deciding step; without it the same search is caught only by the refinement, 19 steps in, so
 * the case failed. Since session 12 the refinement (REFINES_KV_TXN, whose abstraction now holds a commit
 * pending at a participant while it holds it prepared) sees the same deciding step too, and reports it
 * first. The shipped protocol passes every named test (shardtxn.test.ts).
 */
import test from "ava"
import { exploreMutated } from "./mutant-tree.ts"

const COMMIT_DESPITE_NO_VOTE = {
  file: "src/protocols/shardtxn/group.ts",
  search: 'if (votes.some((v) => v === null)) return new Coordinated({ ...c, decision: "abort" })',
  replace: 'if (votes.length > 0 && votes.every((v) => v === null)) return new Coordinated({ ...c, decision: "abort" })',
}

test("shardtxn walks-correct: commit-despite-no-vote breaks CommitOnlyOnYes (or REFINES_KV_TXN, at the same step) in at most 16 steps", async (t) => {
  const r = await exploreMutated(COMMIT_DESPITE_NO_VOTE, "src/protocols/shardtxn/model.ts", "shardTxnModel", "walks-correct")
  t.is(r.verdict, "violation")
  t.true(r.property === "CommitOnlyOnYes" || r.property === "REFINES_KV_TXN", String(r.property))
  t.true(r.path!.steps.length <= 16, `trace of ${r.path!.steps.length} steps`)
})
