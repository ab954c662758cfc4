/**
 * spec/shardmaster and the application's refinement of it: the spec's state count pinned, the
 * application's every step (command, result, next state) a spec step, the refinement check shown
 * failing on wrong steps, and the planted Leave bug found by BFS with a short replayable trace.
 */
import test from "ava"
import fc from "fast-check"
import { bfs } from "../../src/checker/explore.ts"
import { withProperties } from "../../src/checker/transition-system.ts"
import { shardMaster } from "../../src/protocols/shardmaster/config.ts"
import { Configuration, Group, join, leave, NoConfiguration, Ok, query, Rejected, type ShardMasterState } from "../../src/protocols/shardmaster/messages.ts"
import { rebalance } from "../../src/protocols/shardmaster/placement.ts"
import { refinesShardMasterSpec } from "../../src/protocols/shardmaster/refinement.ts"
import { shardMasterSystem } from "../../src/protocols/shardmaster/system.ts"
import { fewestMoves, shardMasterSpec } from "../../spec/shardmaster.ts"
import { labelsOf, replayHit } from "../helpers.ts"

const options = { shards: 3, groups: [1, 2, 3].map((id) => ({ id, servers: [`g${id}s1`] })), maxConfigs: 4 }

test("the spec, 3 shards, 3 groups, up to 4 configurations: 1,357 distinct states, every shard owned", (t) => {
  t.like(bfs(shardMasterSpec(options)), { verdict: "ok", complete: true, distinct: 1357 })
})

test("the application refines the spec, results included: 283 distinct states, every step a spec step", (t) => {
  t.like(bfs(shardMasterSystem(options)), { verdict: "ok", complete: true, distinct: 283 })
})

test("placement is always one of the spec's fewest-move balanced assignments, from any owners", (t) => {
  const owners = fc.integer({ min: 1, max: 6 }).chain((n) => fc.array(fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }), { minLength: n, maxLength: n }))
  const groups = fc.uniqueArray(fc.integer({ min: 1, max: 4 }), { maxLength: 3 }).map((g) => g.sort((a, b) => a - b))
  fc.assert(
    fc.property(owners, groups, (before, ids) => {
      const mine = JSON.stringify(rebalance(before, ids))
      return fewestMoves(before, ids).some((a) => JSON.stringify(a) === mine)
    }),
    { seed: 9, numRuns: 500 }
  )
  t.pass()
})

test("the refinement check fails on a wrong answer, a non-minimal placement and a wrongful rejection", (t) => {
  const app = shardMaster({ shards: 3 })
  const check = refinesShardMasterSpec(shardMasterSpec(options)).check
  const s1 = app.execute(app.init(), join(1, ["g1s1"]))[1]
  const s2 = app.execute(s1, join(2, ["g2s1"]))[1]
  const c = (num: number, shards: number[], ids: number[]) => new Configuration({ num, shards, groups: ids.map((id) => new Group({ id, servers: [`g${id}s1`] })) })
  t.is(check(s1, { command: join(2, ["g2s1"]), result: new Ok({ num: 2 }) }, s2), undefined)
  // Join(2) from [1,1,1]: [2,2,1] is balanced but moves two shards where one suffices.
  const tooMany: ShardMasterState = { configs: [...s1.configs, c(2, [2, 2, 1], [1, 2])] }
  t.regex(check(s1, { command: join(2, ["g2s1"]), result: new Ok({ num: 2 }) }, tooMany) ?? "", /not a spec step/)
  t.regex(check(s2, { command: query(1), result: s2.configs[1]! }, s2) ?? "", /not a spec step/)
  t.regex(check(s2, { command: query(), result: new NoConfiguration() }, s2) ?? "", /not a spec step/)
  t.regex(check(s2, { command: leave(2), result: new Rejected({ reason: "unknown-group", detail: "" }) }, s2) ?? "", /not a spec step/)
})

test("planted bug, a Leave that leaves a shard unassigned: BFS finds it in 4 steps, by refinement and by the invariant alone", (t) => {
  const buggy = shardMasterSystem({ ...options, bugLeaveUnassigned: true })
  const r = bfs(buggy)
  t.like(r, { verdict: "violation", property: "RefinesShardMasterSpec" })
  t.deepEqual(labelsOf(r.path), ["Join(1,[g1s1]) -> Ok(1)", "Join(2,[g2s1]) -> Ok(2)", "Join(3,[g3s1]) -> Ok(3)", "Leave(1) -> Ok(4)"])
  t.is(replayHit(buggy, r)?.property, "RefinesShardMasterSpec")
  const invariantOnly = bfs(withProperties(buggy, buggy.properties, []))
  t.like(invariantOnly, { verdict: "violation", property: "ConfigurationsWellFormed" })
  t.is(invariantOnly.path!.steps.length, 4)
})
