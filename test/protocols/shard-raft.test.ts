/**
 * The shard master and the shard groups on the Raft log (`--param log=raft`): the named tests pass on
 * several seeds, and Raft's Figure 3 invariants are instantiated per group (a master and each shard
 * group): a group with two leaders of one term fails ELECTION_SAFETY naming that group's servers.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import type { NamedTest } from "../../src/checker/model.ts"
import type { Role } from "../../src/core/roles.ts"
import type { World } from "../../src/core/world.ts"
import { logChecks, type ReplicaState } from "../../src/protocols/replicated-kv/log-checks.ts"
import type { RaftState } from "../../src/protocols/raft/server.ts"
import { SHARDKV_TESTS } from "../../src/protocols/shardkv/model.ts"
import { SHARDMASTER_TESTS } from "../../src/protocols/shardmaster/model.ts"

const run = (t: NamedTest, seed: number) => explore(t.build({ log: "raft" }, seed), { ...t.options, seed })

for (const name of ["join-leave", "bad-commands", "concurrent-join-leave", "minimal-transfers-leaves"] as const)
  test(`shardmaster on Raft, ${name}: results are the application's on seeds 1-3`, (t) => {
    for (const seed of [1, 2, 3]) t.is(run(SHARDMASTER_TESTS[name], seed).verdict, "goal-found", `seed ${seed}`)
  })

test("shardmaster on Raft: the planted Leave bug is caught (ConfigurationsWellFormed)", (t) => {
  t.like(run(SHARDMASTER_TESTS["bug-replicated-leave-unassigned"], 1), { verdict: "violation", property: "ConfigurationsWellFormed" })
})

for (const name of ["single-group-basic", "master-moves-shards"] as const)
  test(`shardkv on Raft, ${name}: every client finishes, results right, history linearizable, Raft invariants in every group (seeds 1-2)`, (t) => {
    for (const seed of [1, 2]) t.is(run(SHARDKV_TESTS[name], seed).verdict, "goal-found", `seed ${seed}`)
  })

test("shardkv on Raft: a group serving a shard before its data arrives is caught", (t) => {
  t.is(run(SHARDKV_TESTS["bug-replicated-serve-before-data"], 1).verdict, "violation")
})

const raft = (role: RaftState["role"], term: number): RaftState => ({
  role, term, votedFor: null, log: [], snapIndex: 0, snapTerm: 0, snap: undefined, commitIndex: 0, votes: null, next: null, match: null, leader: null,
})
/** A fake role whose state is read from the world's `fake` table (the invariants only read `state`). */
const fakeRole = (address: string): Role<ReplicaState> => ({
  address,
  index: 0,
  state: (w) => ((w as unknown as { fake: Record<string, ReplicaState> }).fake[address]),
  up: () => true,
  stored: () => undefined,
})

test("Raft's invariants per group: two leaders of one term in the second group fail ELECTION_SAFETY; leaders of one term in different groups do not", (t) => {
  const groups = [["master1", "master2"], ["g1s1", "g1s2"]].map((g) => g.map(fakeRole))
  const { properties, steps } = logChecks<World, unknown>("raft", groups)
  t.deepEqual(properties.map((p) => p.name), ["ELECTION_SAFETY", "LOG_MATCHING", "LEADER_COMPLETENESS", "STATE_MACHINE_SAFETY", "LOG_TERMS_MONOTONE", "SNAPSHOT_MATCHING", "COMMITTED_ON_QUORUM", "MATCH_INDEX_TRUE"])
  t.deepEqual(steps.map((p) => p.name), ["COMMIT_INDEX_MONOTONE"])
  const world = (states: Record<string, RaftState>) =>
    ({ fake: Object.fromEntries(Object.entries(states).map(([a, log]) => [a, { app: {}, log }])) }) as unknown as World
  const safety = properties[0]!
  const ok = world({ master1: raft("leader", 1), master2: raft("follower", 1), g1s1: raft("leader", 1), g1s2: raft("follower", 1) })
  t.true(safety.holds(ok))
  const bad = world({ master1: raft("leader", 1), master2: raft("follower", 1), g1s1: raft("leader", 2), g1s2: raft("leader", 2) })
  t.false(safety.holds(bad))
  t.is(safety.explain?.(bad), "g1s1 and g1s2 both lead term 2")
})
