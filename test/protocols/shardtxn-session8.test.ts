/**
 * CommitOnlyOnYes (shardtxn/commit-on-yes.ts), session 8: two-phase commit's rule that a coordinator
 * decides commit only on every participant's yes, checked in the coordinator's record. On the catalogue
 * mutant commit-despite-no-vote (bench/mutants/shardtxn/catalogue.ts, restated), walks-correct breaks it
 * at the deciding step; without it the same search is caught only by the refinement, 19 steps in, so
 * the case fails. The shipped protocol passes every named test (shardtxn.test.ts).
 */
import test from "ava"
import { exploreMutated } from "./mutant-tree.ts"

const COMMIT_DESPITE_NO_VOTE = {
  file: "src/protocols/shardtxn/group.ts",
  search: 'if (votes.some((v) => v === null)) return new Coordinated({ ...c, decision: "abort" })',
  replace: 'if (votes.length > 0 && votes.every((v) => v === null)) return new Coordinated({ ...c, decision: "abort" })',
}

test("shardtxn walks-correct: commit-despite-no-vote breaks CommitOnlyOnYes in at most 16 steps", async (t) => {
  const r = await exploreMutated(COMMIT_DESPITE_NO_VOTE, "src/protocols/shardtxn/model.ts", "shardTxnModel", "walks-correct")
  t.is(r.verdict, "violation")
  t.is(r.property, "CommitOnlyOnYes")
  t.true(r.path!.steps.length <= 16, `trace of ${r.path!.steps.length} steps`)
})
