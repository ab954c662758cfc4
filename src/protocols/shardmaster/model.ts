/**
 * The shard master as a model. The lab tests run the replicated master (three servers on Multi-Paxos,
 * or with --param log=spec on the spec-backed log) with clients whose expected results are the
 * application's own; the searches explore the replicated master on the spec-backed log exhaustively;
 * the app-* tests check the application itself against spec/shardmaster; and the planted Leave bug is
 * caught at both levels.
 */
import { intParam } from "../../../spec/packed.ts"
import { shardMasterSpec, type ShardMasterSpecOptions } from "../../../spec/shardmaster.ts"
import type { Model, NamedTest, Params } from "../../checker/model.ts"
import { deposedMasterWalks } from "./deposed.ts"
import { logParam } from "./logs.ts"
import { join, leave, query } from "./messages.ts"
import { checkedMaster, simulatedMaster, type MasterSetup } from "./replicated.ts"
import { masterScenarios } from "./scenarios.ts"
import { shardMasterSystem } from "./system.ts"

const RANDOM = { strategy: "random", samples: 1, maxDepth: 1_000_000, minimise: false } as const

const setup = (p: Params, scenario: MasterSetup["scenario"], bugLeaveUnassigned = false): MasterSetup => ({
  log: logParam(p),
  servers: intParam(p, "servers", 3, 1, 7),
  scenario,
  bugLeaveUnassigned,
})

/** The lab tests: one seeded simulated run each, every client done with the results expected. */
const labTests = Object.fromEntries(
  Object.entries(masterScenarios).map(([name, scenario]): [string, NamedTest] => [
    name,
    { description: `simulation: ${scenario.description}`, build: (p: Params, seed: number) => simulatedMaster(setup(p, scenario), {}, seed), options: RANDOM, expect: "goal-found" as const },
  ])
) as Record<keyof typeof masterScenarios, NamedTest>

/** Exhaustive searches of the replicated master on the spec-backed log (assume-guarantee: the log's refinement of spec/consensus is Paxos's own obligation). */
const search = (description: string, clients: MasterSetup["scenario"]["clients"]): NamedTest => ({
  description: `bfs on the spec-backed log: ${description}`,
  build: (p) => checkedMaster({ ...setup(p, { description, clients }), log: "spec" }),
  options: { stopAtGoal: false },
  expect: "goal-found",
})

const domain = (p: Params): ShardMasterSpecOptions => ({
  shards: intParam(p, "shards", 3, 1, 6),
  groups: Array.from({ length: intParam(p, "groups", 3, 1, 5) }, (_, i) => ({ id: i + 1, servers: [`g${i + 1}s1`] })),
  maxConfigs: intParam(p, "configs", 4, 1, 8),
})

/** The named tests, keyed by name (proofs refer to them by these keys, checked by the type checker). */
export const SHARDMASTER_TESTS = {
  ...labTests,
  "search-one-client": search("one client joins, queries and leaves", [[join(1, ["a"]), query(), leave(1)]]),
  "search-two-clients": search("two clients join and leave concurrently", [[join(1, ["a"]), leave(1)], [join(2, ["b"])]]),
  "walks-deposed-leader-queries": deposedMasterWalks(),
  "bug-replicated-leave-unassigned": {
    description: "planted bug: the replicated master's Leave leaves shards unassigned; ConfigurationsWellFormed fails",
    build: (p, seed) => simulatedMaster(setup(p, masterScenarios["minimal-transfers-leaves"], true), {}, seed),
    options: RANDOM,
    expect: "violation",
  },
  "bug-replicated-leave-unassigned-search": {
    description: "planted bug, bfs on the spec-backed log: four joins and a Leave; the shortest trace to an unowned shard (9 steps)",
    build: (p) => checkedMaster({ ...setup(p, { description: "four joins, one leave", clients: [masterScenarios["minimal-transfers-leaves"].clients[0]!.slice(0, 5)] }, true), log: "spec" }),
    expect: "violation",
  },
  "app-exhaustive": {
    description: "every command in every reachable state: invariants, and each step a spec step with the same result (283 states)",
    build: (p) => shardMasterSystem(domain(p)),
    expect: "ok",
  },
  // Four shards over three groups, so that quotas differ (ceil for some groups, floor for others) in
  // every group count: with three shards and four configurations, placement keeping only the floor
  // quota of a ceil-quota group (moving a shard more than needed) refined the spec everywhere (session 14).
  "app-exhaustive-four-shards": {
    description: "app-exhaustive with four shards: every command in every reachable state, each step a spec step with the same result (361 states)",
    build: (p) => shardMasterSystem({ ...domain(p), shards: 4 }),
    expect: "ok",
  },
  // More groups than shards, so that some group must hold none (quotas of zero): with as many shards as
  // groups or more, placement giving every group at least one shard refined the spec everywhere (session 16).
  "app-exhaustive-more-groups": {
    description: "app-exhaustive with two shards over three groups: every command in every reachable state, each step a spec step with the same result",
    build: (p) => shardMasterSystem({ ...domain(p), shards: 2 }),
    expect: "ok",
  },
  "spec-exhaustive": {
    description: "spec/shardmaster alone: any balanced fewest-move assignment (1,357 states)",
    build: (p) => shardMasterSpec(domain(p)),
    expect: "ok",
  },
  "bug-leave-unassigned": {
    description: "planted bug: a Leave fills the remaining groups only to floor(n/g); refinement fails after Join, Join, Join, Leave",
    build: (p) => shardMasterSystem({ ...domain(p), bugLeaveUnassigned: true }),
    expect: "violation",
  },
} satisfies Record<string, NamedTest>

export const shardMasterModel: Model = {
  name: "shardmaster",
  description: "the shard master (Join, Leave, Move, Query), replicated on Multi-Paxos or the spec-backed log; its application against spec/shardmaster",
  params: {
    log: { default: "paxos", description: "the log the replicated master runs on: paxos, raft or spec" },
    servers: { default: "3", int: { min: 1, max: 7 }, description: "servers of the replicated master (1-7)" },
    shards: { default: "3", int: { min: 1, max: 6 }, description: "app-* tests: number of shards (1-6)" },
    groups: { default: "3", int: { min: 1, max: 5 }, description: "app-* tests: groups that may join (1-5)" },
    configs: { default: "4", int: { min: 1, max: 8 }, description: "app-* tests: configurations at most (1-8)" },
  },
  build: (p) => shardMasterSystem(domain(p)),
  tests: SHARDMASTER_TESTS,
}
