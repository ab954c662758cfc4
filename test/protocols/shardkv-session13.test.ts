/**
 * Session 13's sharded-store check (issue 14): CLIENT_SEQ_KEPT_WHILE_PENDING (client-refresh.ts) in
 * staged-stale-client, shown catching session 12's blind mutant client-new-seq-on-reroute
 * (bench/mutants/shardkv/catalogue.ts, restated) with a short trace, from a mutated copy of the
 * sources (mutant-tree.ts). Before, the suite caught it only as single-group-basic's goal not
 * reached, with no trace (bench/mutants/shard-session13.json). Session 14: under seed 6 it missed
 * (the stage's client had stalled already), so the search also starts where the stale client is
 * being told WrongGroup; checked under seeds 1-10 here.
 *
 * That the shipped protocol passes this search, shardkv-staged.test.ts checks.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import type { Model } from "../../src/checker/model.ts"
import { type Edit, mutantTree, shortTraceTests } from "./mutant-tree.ts"

/** The catalogue's mutant (same name), restated. */
const MUTANTS: Record<string, Edit> = {
  "client-new-seq-on-reroute": {
    file: "src/protocols/shardkv/client.ts",
    search: "(config.num > (s.config?.num ?? 0) ? { ...s, config } : s)",
    replace: "(config.num > (s.config?.num ?? 0) ? { ...s, config, seq: s.pending === null ? s.seq : s.seq + 1 } : s)",
  },
}

const cases = [{ name: "staged-stale-client", mutant: "client-new-seq-on-reroute", property: "CLIENT_SEQ_KEPT_WHILE_PENDING", steps: 3 }] as const

shortTraceTests("shardkv", "src/protocols/shardkv/model.ts", "shardKvModel", MUTANTS, cases)

test("shardkv staged-stale-client catches client-new-seq-on-reroute in at most 3 steps under each of seeds 1-10 (seed 6 missed before session 14)", async (t) => {
  const tree = mutantTree(MUTANTS["client-new-seq-on-reroute"]!)
  try {
    const named = (await tree.load<Record<string, Model>>("src/protocols/shardkv/model.ts")).shardKvModel!.tests["staged-stale-client"]!
    for (let seed = 1; seed <= 10; seed++) {
      const r = explore(named.build({}, seed), { ...named.options, seed })
      t.is(r.verdict, "violation", `seed ${seed}`)
      t.is(r.property, "CLIENT_SEQ_KEPT_WHILE_PENDING", `seed ${seed}`)
      t.true(r.path!.steps.length <= 3, `seed ${seed}: ${r.path?.steps.length} steps`)
    }
  } finally {
    tree.dispose()
  }
})
