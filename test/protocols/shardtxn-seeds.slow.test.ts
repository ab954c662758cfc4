/**
 * bug-commit-before-logging under seeds where its simulation missed (a slow test: each run that breaks
 * nothing is a whole simulation of ten leader crashes, 5-10 CPU s). Its "ten samples" were one run: a
 * timed simulation has one successor per state, so the random strategy's samples of one build follow
 * the same run, and the first that reached CLIENTS_DONE ended the test. Under seeds 2, 11 and 13 (of 2,
 * 9-16) that run broke nothing. txnLab's `runs` now simulate from seeds of their own until one breaks
 * a property.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { SHARDTXN_TESTS } from "../../src/protocols/shardtxn/model.ts"

test("shardtxn bug-commit-before-logging is caught under seed 11", (t) => {
  const named = SHARDTXN_TESTS["bug-commit-before-logging"]
  const r = explore(named.build({}, 11), { ...named.options, seed: 11 })
  t.is(r.verdict, "violation")
  t.is(r.property, "AtomicCommit")
})
