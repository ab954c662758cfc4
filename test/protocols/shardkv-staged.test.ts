/**
 * The staged search of a handoff under crashes (shardkv model.ts, staged.ts): on the correct group
 * servers no violation within its budget; each planted server bug (planted-servers.ts) is caught with
 * a trace of a few steps from the stage's end.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { SHARDKV_TESTS } from "../../src/protocols/shardkv/model.ts"

const SEED = 1
const run = (name: keyof typeof SHARDKV_TESTS) => {
  const t = SHARDKV_TESTS[name]
  return explore(t.build({}, SEED), { ...t.options, seed: SEED })
}

test("staged handoff under crashes: the correct servers pass its budget", (t) => {
  const r = run("staged-handoff-crash")
  t.is(r.verdict, "budget-exhausted", r.property)
})

test("staged handoff under crashes: a receiver that acknowledges on proposing is caught in a few steps", (t) => {
  const r = run("bug-staged-ack-on-propose")
  t.is(r.verdict, "violation")
  t.is(r.property, "HandoffAckedOnlyOnceApplied")
  t.true(r.path!.steps.length <= 4, `${r.path!.steps.length} steps`)
})

test("staged handoff under crashes: a server restarted from scratch, not its snapshot, is caught in a few steps", (t) => {
  const r = run("bug-staged-restart-from-scratch")
  t.is(r.verdict, "violation")
  t.is(r.property, "APPLIED_NOT_BEHIND_SNAPSHOT")
  t.true(r.path!.steps.length <= 4, `${r.path!.steps.length} steps`)
})
