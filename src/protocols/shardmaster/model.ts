/**
 * The shard master as a model. Until it runs replicated over a consensus log, its named tests check
 * the application itself: every command from a small domain in every reachable state, each step
 * refining spec/shardmaster with its result, and the planted Leave bug.
 */
import { intParam } from "../../../spec/packed.ts"
import { shardMasterSpec, type ShardMasterSpecOptions } from "../../../spec/shardmaster.ts"
import type { Model, Params } from "../../checker/model.ts"
import { shardMasterSystem } from "./system.ts"

const domain = (p: Params): ShardMasterSpecOptions => ({
  shards: intParam(p, "shards", 3, 1, 6),
  groups: Array.from({ length: intParam(p, "groups", 3, 1, 5) }, (_, i) => ({ id: i + 1, servers: [`g${i + 1}s1`] })),
  maxConfigs: intParam(p, "configs", 4, 1, 8),
})

export const shardMasterModel: Model = {
  name: "shardmaster",
  description: "the shard master's configuration service (Join, Leave, Move, Query): its application against spec/shardmaster",
  params: {
    shards: { default: "3", description: "number of shards (1-6)" },
    groups: { default: "3", description: "groups that may join (1-5)" },
    configs: { default: "4", description: "configurations at most (1-8)" },
  },
  build: (p) => shardMasterSystem(domain(p)),
  tests: {
    "app-exhaustive": {
      description: "every command in every reachable state: invariants, and each step a spec step with the same result (283 states)",
      build: (p) => shardMasterSystem(domain(p)),
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
  },
}
