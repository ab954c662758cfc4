/**
 * Named tests whose verdict hung on the seed, where the pinned seed takes a minute or so (see
 * seed-fragile.test.ts): `tla-ts test` runs every named test under one fresh seed.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import type { NamedTest } from "../../src/checker/model.ts"
import { PAXOS_TESTS } from "../../src/protocols/paxos/model.ts"
import { SHARDTXN_TESTS } from "../../src/protocols/shardtxn/model.ts"

test("paxos hunt-bug-promises-ignored is caught under seed 39, where one swarm of 40 runs missed it (ok: the model's initial state alone); the next swarm finds it", (t) => {
  const named = PAXOS_TESTS["hunt-bug-promises-ignored"] as NamedTest
  const r = explore(named.build({}, 39) as any, { ...named.options, seed: 39 })
  t.is(r.verdict, "violation")
  t.is(r.property, "CHOSEN_BY_MAJORITY")
})

test("shardtxn walks-three-servers reaches a Prepare under seed 21, where 200 walks did not (goal-not-found)", (t) => {
  const named = SHARDTXN_TESTS["walks-three-servers"] as NamedTest
  const r = explore(named.build({}, 21) as any, { ...named.options, seed: 21 })
  t.is(r.verdict, "goal-found")
})
