/**
 * CommitOnlyOnYes (shardtxn/commit-on-yes.ts), session 8: two-phase commit's rule that a coordinator
 * decides commit only on every participant's yes, checked in the coordinator's record. On the catalogue
 * mutant commit-despite-no-vote (bench/mutants/shardtxn/catalogue.ts, restated), walks-correct breaks it
 * at the deciding step; without it the same search is caught only by the refinement, 19 steps in, so
 * the case fails. The shipped protocol passes every named test (shardtxn.test.ts).
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import type { shardTxnModel } from "../../src/protocols/shardtxn/model.ts"
import { mutantTree } from "./mutant-tree.ts"

const COMMIT_DESPITE_NO_VOTE = {
  file: "src/protocols/shardtxn/group.ts",
  search: 'if (votes.some((v) => v === null)) return new Coordinated({ ...c, decision: "abort" })',
  replace: 'if (votes.length > 0 && votes.every((v) => v === null)) return new Coordinated({ ...c, decision: "abort" })',
}

test("shardtxn walks-correct: commit-despite-no-vote breaks CommitOnlyOnYes in at most 16 steps", async (t) => {
  const tree = mutantTree(COMMIT_DESPITE_NO_VOTE)
  try {
    const { shardTxnModel: model } = await tree.load<{ shardTxnModel: typeof shardTxnModel }>("src/protocols/shardtxn/model.ts")
    const m = model.tests["walks-correct"]!
    const r = explore(m.build({}, 1), { seed: 1, ...m.options })
    t.is(r.verdict, "violation")
    t.is(r.property, "CommitOnlyOnYes")
    t.true(r.path!.steps.length <= 16, `trace of ${r.path!.steps.length} steps`)
  } finally {
    tree.dispose()
  }
})
