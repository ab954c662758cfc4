/**
 * Session 14's shard-master check (issue 14): app-exhaustive-four-shards catches the blind mutant
 * keep-base-quota-only (bench/mutants/shardmaster/catalogue.ts, restated: placement lets a group keep
 * only floor(n/g) of its shards, so a rebalance moves more than it needs), which app-exhaustive with
 * three shards does not (first pass, bench/mutants/shard-session14.json). From a mutated copy of the
 * sources (mutant-tree.ts); the correct application passes it (shardmaster model, expect ok).
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { SHARDMASTER_TESTS } from "../../src/protocols/shardmaster/model.ts"
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const MUTANTS: Record<string, Edit> = {
  "keep-base-quota-only": {
    file: "src/protocols/shardmaster/placement.ts",
    search: "  for (const id of groups) free.push(...held.get(id)!.splice(quota.get(id)!))\n",
    replace: "  for (const id of groups) free.push(...held.get(id)!.splice(base))\n",
  },
}

shortTraceTests("shardmaster", "src/protocols/shardmaster/model.ts", "shardMasterModel", MUTANTS, [
  { name: "app-exhaustive-four-shards", mutant: "keep-base-quota-only", property: "RefinesShardMasterSpec", steps: 3 },
])

test("shardmaster app-exhaustive-four-shards: the correct application refines the spec in every reachable state", (t) => {
  const named = SHARDMASTER_TESTS["app-exhaustive-four-shards"]
  t.is(explore(named.build({}), { seed: 1 }).verdict, "ok")
})
