/**
 * The staged searches (shardkv model.ts, staged.ts) of a handoff under crashes and of a client with a
 * stale configuration: on the correct protocol no violation within their budgets; each planted server
 * or client bug (planted.ts) is caught with a trace of a few steps from the stage's end.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import type { NamedTest } from "../../src/checker/model.ts"
import { SHARDKV_TESTS } from "../../src/protocols/shardkv/model.ts"

const SEED = 1
const run = (name: keyof typeof SHARDKV_TESTS) => {
  const t: NamedTest = SHARDKV_TESTS[name]
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

test("staged stale client: the correct client passes its budget, on either network", (t) => {
  for (const name of ["staged-stale-client", "staged-stale-client-redelivery"] as const) t.is(run(name).verdict, "budget-exhausted", name)
})

test("staged stale client: a client that ignores WrongGroup, and one that takes any reply, are caught in a few steps", (t) => {
  for (const [name, property] of [["bug-staged-client-ignores-wrong-group", "CLIENT_REFRESHES_ON_WRONG_GROUP"], ["bug-staged-client-any-reply", "RESULTS_OK"]] as const) {
    const r = run(name)
    t.is(r.verdict, "violation", name)
    t.is(r.property, property, name)
    t.true(r.path!.steps.length <= 6, `${name}: ${r.path!.steps.length} steps`)
  }
})

test("staged restart of a group's only server: fresh query numbers on the correct server; a counter forgotten on restart is caught in a few steps", (t) => {
  t.is(run("staged-restart-polls").verdict, "budget-exhausted")
  const r = run("bug-staged-restart-polls-forgotten")
  t.is(r.verdict, "violation")
  t.is(r.property, "QUERIES_USE_FRESH_SEQUENCE_NUMBERS")
  t.true(r.path!.steps.length <= 8, `${r.path!.steps.length} steps`)
})
