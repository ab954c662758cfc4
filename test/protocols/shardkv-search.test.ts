/**
 * The shard groups' logic searched exhaustively with each group atomic (system.ts): scenarios of
 * joins, leaves and moves with clients whose replies may be lost pass every invariant with pinned
 * state counts; moved shards are garbage-collected; random master scripts and workloads (fast-check)
 * stay correct; and each planted bug of issue 9 is caught by its invariant with a short trace that
 * replays.
 */
import test from "ava"
import fc from "fast-check"
import { bfs } from "../../src/checker/explore.ts"
import { goal, invariant, withProperties } from "../../src/checker/transition-system.ts"
import { append, get, put, type KVCommand } from "../../src/core/kv.ts"
import { scenarios } from "../../src/protocols/shardkv/model.ts"
import { absKv } from "../../src/protocols/shardkv/refinement.ts"
import { settled } from "../../src/protocols/shardkv/group.ts"
import { configurationsOf, shardStoreSystem, type ShardStoreBugs, type ShardStoreOptions, type ShardStoreWorld } from "../../src/protocols/shardkv/system.ts"
import { join, leave, move, type ShardMasterCommand } from "../../src/protocols/shardmaster/messages.ts"
import { labelsOf, replayHit } from "../helpers.ts"

const { joinLeave, moves, parked, threeGroups, shuttle } = scenarios

for (const [name, options, distinct] of [
  ["join, join, leave; one client, lost replies", joinLeave, 135],
  ["joins, a move and leaves; two clients on a shared key, lost replies", moves, 2556],
  ["every group leaves, then a new one joins: parked shards handed on", parked, 168],
  ["a shard moves away from g1 twice while old handoffs and acknowledgements may still arrive", shuttle, 347],
] as const) {
  test(`${name}: every invariant holds, ${distinct} distinct states`, (t) => {
    t.like(bfs(shardStoreSystem(options)), { verdict: "ok", complete: true, distinct })
  })
}

test("stale handoffs: without the option no handoff is kept once delivered", (t) => {
  const kept = bfs(withProperties(shardStoreSystem({ ...shuttle, staleHandoffs: false }), [goal<ShardStoreWorld>("Kept", (w) => w.sent !== undefined)]))
  t.is(kept.verdict, "goal-not-found")
})

/** Every group has applied the last configuration and finished its migrations. */
const migrated = (configs: number) => (w: ShardStoreWorld) => w.groups.every((g) => g.config?.num === configs && settled(g))

test("garbage collection: once every migration is over, each shard is held once, by its owner", (t) => {
  const configs = configurationsOf(moves.shards, moves.master)
  const system = shardStoreSystem(moves)
  const singleCopy = invariant<ShardStoreWorld>("SingleCopyWhenMigrated", (w) => {
    if (!migrated(configs.length)(w)) return true
    return [0, 1].every((shard) => {
      const holders = w.groups.filter((g) => g.shards.has(shard))
      return holders.length === 1 && holders[0]!.shards.get(shard)!._tag === "Serving" && configs.at(-1)!.shards[shard] === holders[0]!.group
    })
  })
  t.like(bfs(withProperties(system, [...system.properties, singleCopy])), { verdict: "ok", distinct: 2556 })
  const reached = bfs(withProperties(system, [goal("Migrated", migrated(configs.length))]))
  t.is(reached.verdict, "goal-found", "the migrations can finish")
})

const cases: ReadonlyArray<readonly [string, ShardStoreOptions, ShardStoreBugs, string, number]> = [
  ["a server that serves a shard before its data arrived", joinLeave, { serveBeforeData: true }, "AtMostOneServer", 5],
  ["a handoff that drops the exactly-once table", joinLeave, { dropDedupOnHandoff: true }, "ResultsMatchSpec", 14],
  ["configurations applied out of order", joinLeave, { applyOutOfOrder: true }, "AtMostOneServer", 4],
  ["a master whose Leave leaves a shard unassigned", threeGroups, { leaveUnassigned: true }, "ConfigurationsWellFormed", 4],
  ["a late copy of an older configuration's handoff installed into a shard awaited again", shuttle, { installOldHandoff: true }, "AtMostOneServer", 21],
  ["a late acknowledgement of an earlier move that deletes the shard being sent now", shuttle, { ackAnyConfiguration: true }, "NoShardLost", 21],
]
for (const [name, options, bugs, property, steps] of cases) {
  test(`planted bug, ${name}: ${property} violated, a ${steps}-step trace that replays`, (t) => {
    const system = shardStoreSystem({ ...options, bugs })
    const r = bfs(system)
    t.like(r, { verdict: "violation", property })
    t.is(r.path!.steps.length, steps, labelsOf(r.path).join("\n"))
    t.is(replayHit(system, r)?.property, property)
    t.like(bfs(shardStoreSystem(options)), { verdict: "ok" }, "and the same scenario without the bug passes")
  })
}

test("planted bug, the dropped exactly-once table: the served data also departs from the abstract store", (t) => {
  const system = shardStoreSystem({ ...joinLeave, bugs: { dropDedupOnHandoff: true } })
  const dataOnly = withProperties(system, system.properties.filter((p) => p.name !== "ResultsMatchSpec"))
  t.like(bfs(dataOnly), { verdict: "violation", property: "ServedDataMatchesSpec" })
})

test("refinement of spec/kv by the union of the groups' stores: holds, and alone catches serving early and configurations out of order", (t) => {
  // Two keys of shard 1 written at its new owner; the union then loses both at once: no single KV step.
  const twoKeys: ShardStoreOptions = { ...joinLeave, clients: [[put("b", "x"), put("d", "y")]], lostReplies: false }
  const refinementOnly = (bugs: ShardStoreBugs) => {
    const system = shardStoreSystem({ ...twoKeys, bugs })
    return bfs(withProperties(system, []))
  }
  t.like(refinementOnly({}), { verdict: "ok", distinct: 90 })
  for (const bugs of [{ serveBeforeData: true }, { applyOutOfOrder: true }]) t.like(refinementOnly(bugs), { verdict: "violation", property: "RefinesKv" }, JSON.stringify(bugs))
  t.deepEqual(absKv(bfs(withProperties(shardStoreSystem(twoKeys), [goal("Written", (w) => w.clients[0] === 2)])).path!.steps.at(-1)!.state, 2), { b: "x", d: "y" })
})

const masterCommand: fc.Arbitrary<ShardMasterCommand> = fc.oneof(
  fc.integer({ min: 1, max: 3 }).map((g) => join(g, [`s${g}`])),
  fc.integer({ min: 1, max: 3 }).map(leave),
  fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 3 })).map(([s, g]) => move(s, g))
)
const op: fc.Arbitrary<KVCommand> = fc.tuple(fc.constantFrom("a", "b", "c"), fc.constantFrom("x", "y"), fc.integer({ min: 0, max: 2 })).map(([k, v, o]) => (o === 0 ? get(k) : o === 1 ? put(k, v) : append(k, v)))
const scenario = fc.record({
  shards: fc.integer({ min: 1, max: 3 }),
  master: fc.array(masterCommand, { minLength: 1, maxLength: 4 }).map((cs) => [join(1, ["s1"]), ...cs]),
  clients: fc.array(fc.array(op, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 }),
})

test("random master scripts and workloads: no invariant fails within 3,000 states of each", (t) => {
  fc.assert(
    fc.property(scenario, (s) => {
      const r = bfs(shardStoreSystem({ ...s, groups: [1, 2, 3], lostReplies: true }), { maxStates: 3000 })
      return r.verdict !== "violation"
    }),
    { seed: 9, numRuns: 30 }
  )
  t.pass()
})
