/**
 * The shard master's application, command by command, after the labs' shard master tests: initial
 * query, join and leave, bad commands, historical queries, move, minimal transfers, determinism.
 */
import test from "ava"
import { Schema } from "effect"
import { shardMaster } from "../../src/protocols/shardmaster/config.ts"
import {
  Configuration,
  join,
  leave,
  move,
  NoConfiguration,
  Ok,
  query,
  Rejected,
  ShardMasterState,
  type Rejection,
  type ShardMasterCommand,
  type ShardMasterResult,
} from "../../src/protocols/shardmaster/messages.ts"
import { counts, isBalanced, moved, rebalance } from "../../src/protocols/shardmaster/placement.ts"
import { configurationsProblem } from "../../src/protocols/shardmaster/properties.ts"

const N = 10
const master = shardMaster({ shards: N })

/** Runs commands from the initial state; returns every result and the final state. */
const run = (commands: ReadonlyArray<ShardMasterCommand>, app = master) => {
  let state = app.init()
  const results: ShardMasterResult[] = []
  for (const c of commands) {
    const [r, s] = app.execute(state, c)
    results.push(r)
    state = s
  }
  return { results, state }
}
const servers = (g: number) => [`g${g}s1`, `g${g}s2`, `g${g}s3`]
const joins = (...groups: number[]) => groups.map((g) => join(g, servers(g)))
const configOf = (r: ShardMasterResult): Configuration => {
  if (!(r instanceof Configuration)) throw new Error(`expected a configuration, got ${r._tag}`)
  return r
}
const latestOf = (commands: ReadonlyArray<ShardMasterCommand>) => configOf(master.execute(run(commands).state, query())[0])

test("initial query: no configuration before the first Join, for latest and for any number", (t) => {
  const s = master.init()
  for (const num of [null, 1, 7]) t.deepEqual(master.execute(s, query(num))[0], new NoConfiguration())
})

test("commands return Ok with the number of the configuration they create", (t) => {
  const { results } = run([...joins(1, 2), move(0, 2), leave(1), query()])
  t.deepEqual(results.slice(0, 4), [1, 2, 3, 4].map((num) => new Ok({ num })))
  t.is(configOf(results[4]!).num, 4)
})

test("initial configuration: the first group owns every shard and its servers are recorded", (t) => {
  const c = latestOf(joins(5))
  t.is(c.num, 1)
  t.deepEqual(c.shards, Array(N).fill(5))
  t.deepEqual(c.groups.map((g) => [g.id, g.servers]), [[5, servers(5)]])
})

test("join and leave: balanced after each, groups listed in id order, every shard owned", (t) => {
  const commands: ShardMasterCommand[] = [...joins(3, 1, 2, 4), leave(1), leave(3), ...joins(9), leave(4), leave(2), leave(9)]
  const { state } = run(commands)
  t.is(configurationsProblem(state, N), undefined)
  for (const c of state.configs) t.true(isBalanced(c.shards, c.groups.map((g) => g.id)), `configuration ${c.num}`)
  t.deepEqual(state.configs[3]!.groups.map((g) => g.id), [1, 2, 3, 4])
  t.deepEqual([...counts(state.configs[3]!.shards, [1, 2, 3, 4]).values()].sort(), [2, 2, 3, 3])
  // The last group left: a configuration with no groups and no owners.
  const last = state.configs.at(-1)!
  t.deepEqual([last.num, last.groups.length, last.shards], [commands.length, 0, Array(N).fill(null)])
})

test("placing from nothing depends on the group set alone: contiguous runs in id order", (t) => {
  t.deepEqual(rebalance(Array(N).fill(null), [2, 7, 9]), [2, 2, 2, 2, 7, 7, 7, 9, 9, 9])
  t.deepEqual(rebalance(Array(3).fill(null), [1, 2, 3, 4, 5]), [1, 2, 3]) // more groups than shards: some get none
  // All groups gone, then a Join: the same placement as a first Join of that group set.
  t.deepEqual(latestOf([...joins(1, 2), leave(1), leave(2), ...joins(4)]).shards, latestOf(joins(4)).shards)
})

const rejections: ReadonlyArray<readonly [string, ReadonlyArray<ShardMasterCommand>, ShardMasterCommand, Rejection]> = [
  ["join twice", joins(1, 2), join(2, ["x"]), "already-joined"],
  ["leave an unknown group", joins(1), leave(2), "unknown-group"],
  ["leave before any Join", [], leave(1), "unknown-group"],
  ["move to an unknown group", joins(1, 2), move(0, 3), "unknown-group"],
  ["move before any Join", [], move(0, 1), "unknown-group"],
  ["move to the current owner", joins(1, 2), move(0, 1), "already-owner"],
  ["move a shard below the range", joins(1, 2), move(-1, 2), "shard-out-of-range"],
  ["move a shard above the range", joins(1, 2), move(N, 2), "shard-out-of-range"],
  ["join without servers", joins(1), join(2, []), "no-servers"],
  ["join group 0", joins(1), join(0, ["x"]), "bad-group-id"],
  ["query configuration 0", joins(1), query(0), "bad-configuration-number"],
]
for (const [name, before, bad, reason] of rejections) {
  test(`bad command, ${name}: Rejected(${reason}) and nothing changes`, (t) => {
    const { state } = run(before)
    const [result, after] = master.execute(state, bad)
    t.true(result instanceof Rejected)
    t.is((result as Rejected).reason, reason)
    t.is(after, state)
  })
}

test("historical queries: every configuration reads the same after later commands", (t) => {
  const commands: ShardMasterCommand[] = [...joins(1, 2, 3), move(4, 3), leave(2), ...joins(4), move(0, 4), leave(1)]
  const seen: Configuration[] = []
  let state = master.init()
  for (const c of commands) {
    state = master.execute(state, c)[1]
    seen.push(configOf(master.execute(state, query())[0]))
    for (const old of seen) t.deepEqual(master.execute(state, query(old.num))[0], old)
  }
  t.deepEqual(master.execute(state, query(99))[0], seen.at(-1))
})

test("move moves exactly that shard, and a later Join rebalances with the fewest moves", (t) => {
  const before = latestOf(joins(1, 2))
  const after = latestOf([...joins(1, 2), move(0, 2)])
  t.is(moved(before.shards, after.shards), 1)
  t.is(after.shards[0], 2)
  t.false(isBalanced(after.shards, [1, 2])) // 4 and 6: Move may unbalance
  const joined = latestOf([...joins(1, 2), move(0, 2), ...joins(3)])
  t.true(isBalanced(joined.shards, [1, 2, 3]))
  // 4, 6, 0 -> group 3 needs at least 3 shards, so at least 3 moves; taking them all from group 2 gives 4, 3, 3.
  t.is(moved(after.shards, joined.shards), 3)
})

test("minimal transfers after joins: a joining group takes only what it needs, from the fullest groups", (t) => {
  let owners = latestOf(joins(1)).shards
  for (const g of [2, 3, 4, 5]) {
    const next = latestOf(joins(...[1, 2, 3, 4, 5].filter((x) => x <= g))).shards
    t.is(moved(owners, next), Math.floor(N / g), `join of group ${g}`)
    t.true(next.every((owner, shard) => owner === owners[shard] || owner === g), "only the new group gains shards")
    owners = next
  }
})

test("minimal transfers after leaves: only the leaving group's shards move", (t) => {
  const all = joins(1, 2, 3, 4, 5)
  let commands: ShardMasterCommand[] = [...all]
  for (const g of [3, 1, 5, 2]) {
    const before = latestOf(commands).shards
    commands = [...commands, leave(g)]
    const after = latestOf(commands).shards
    t.is(moved(before, after), before.filter((o) => o === g).length, `leave of group ${g}`)
  }
})

test("deterministic application: the same commands give the same state, also from a decoded snapshot", (t) => {
  const commands: ShardMasterCommand[] = [...joins(4, 2, 7), move(3, 7), leave(2), ...joins(1), query(2), leave(4)]
  t.deepEqual(run(commands).state, run(commands).state)
  const half = run(commands.slice(0, 4)).state
  const encode = Schema.encodeSync(ShardMasterState)
  const snapshot = Schema.decodeUnknownSync(ShardMasterState)(JSON.parse(JSON.stringify(encode(half))))
  let s = snapshot
  for (const c of commands.slice(4)) s = master.execute(s, c)[1]
  t.deepEqual(encode(s), encode(run(commands).state))
})

test("planted bug, a Leave that leaves a shard unassigned: caught by the configuration invariant", (t) => {
  const buggy = shardMaster({ shards: N, bugLeaveUnassigned: true })
  const { state } = run([...joins(1, 2, 3, 4), leave(4)], buggy)
  t.regex(configurationsProblem(state, N) ?? "", /configuration 5: shard \d+ has no owner/)
  t.is(configurationsProblem(run([...joins(1, 2, 3, 4), leave(4)]).state, N), undefined)
})

test("a shard master needs a positive number of shards", (t) => {
  t.throws(() => shardMaster({ shards: 0 }), { instanceOf: RangeError })
})
