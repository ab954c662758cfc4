/**
 * Session 16's shard-master check (issue 14): app-exhaustive-more-groups (two shards over three groups,
 * so some group must hold none) catches blind wave 11's at-least-one-shard-each (placement gives every
 * group a quota of at least one shard; bench/mutants/shardmaster/catalogue.ts, restated), which every
 * named test missed in the first pass (bench/mutants/shard-session16.json): after Join, Join, a Move and
 * a third Join the group holding both shards keeps them (RefinesShardMasterSpec). From a mutated copy of
 * the sources (mutant-tree.ts); the shipped master passes it (below).
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { SHARDMASTER_TESTS } from "../../src/protocols/shardmaster/model.ts"
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const MUTANTS: Record<string, Edit> = {
  "at-least-one-shard-each": {
    file: "src/protocols/shardmaster/placement.ts",
    search: "const base = Math.floor(owners.length / groups.length)",
    replace: "const base = Math.max(1, Math.floor(owners.length / groups.length))",
  },
}

shortTraceTests("shardmaster", "src/protocols/shardmaster/model.ts", "shardMasterModel", MUTANTS, [
  { name: "app-exhaustive-more-groups", mutant: "at-least-one-shard-each", property: "RefinesShardMasterSpec", steps: 4 },
])

test("shardmaster app-exhaustive-more-groups: the shipped master passes (217 states, complete)", (t) => {
  const named = SHARDMASTER_TESTS["app-exhaustive-more-groups"]
  const r = explore(named.build({}), {})
  t.is(r.verdict, "ok")
  t.is(r.distinct, 217)
})
