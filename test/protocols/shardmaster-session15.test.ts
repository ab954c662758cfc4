/**
 * Session 15's shard-master checks (issue 14), each shown catching a blind mutant of the session's wave
 * (bench/mutants/shardmaster/catalogue.ts, restated) that every named test missed in the first pass
 * (bench/mutants/shard-session15.json), from a mutated copy of the sources (mutant-tree.ts):
 *
 * - spec/shardmaster's inputs now hold Moves of a shard before the first and past the last (rejected):
 *   move-shard-bound-off-by-one (Move(n) accepted) breaks RefinesShardMasterSpec in app-exhaustive.
 * - walks-deposed-leader-queries (deposed.ts: the master's Raft leader cut off with a querying client):
 *   query-served-without-confirmation (the leader answers Queries from its applied state at once)
 *   answers a configuration older than one another client was told exists (HistoryLinearizable).
 *
 * That the shipped master passes walks-deposed-leader-queries, reaching its cut-off phase, is checked
 * below (app-exhaustive's shipped pass is shardmaster.test.ts's).
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { SHARDMASTER_TESTS } from "../../src/protocols/shardmaster/model.ts"
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const MUTANTS: Record<string, Edit> = {
  "move-shard-bound-off-by-one": {
    file: "src/protocols/shardmaster/config.ts",
    search: "if (c.shard < 0 || c.shard >= shards)",
    replace: "if (c.shard < 0 || c.shard > shards)",
  },
  "query-served-without-confirmation": {
    file: "src/core/replicated-service.ts",
    search: "        // A leader-confirmed read; when the log cannot serve one now, the command goes through the log.\n        const reading = app.readOnly?.(c.command)",
    replace:
      "        if (app.readOnly?.(c.command)) {\n          ctx.send(from, new Reply({ result: new AMOResult({ result: app.execute(s.app.app, c.command)[0], client: c.client, seq: c.seq }) }))\n          return s\n        }\n        // A leader-confirmed read; when the log cannot serve one now, the command goes through the log.\n        const reading = app.readOnly?.(c.command)",
  },
}

shortTraceTests("shardmaster", "src/protocols/shardmaster/model.ts", "shardMasterModel", MUTANTS, [
  { name: "app-exhaustive", mutant: "move-shard-bound-off-by-one", property: "RefinesShardMasterSpec", steps: 2 },
  { name: "walks-deposed-leader-queries", mutant: "query-served-without-confirmation", property: "HistoryLinearizable", steps: 40 },
])

test("shardmaster walks-deposed-leader-queries: the shipped master passes (seed 1)", (t) => {
  const named = SHARDMASTER_TESTS["walks-deposed-leader-queries"]
  t.is(explore(named.build({}, 1), { ...named.options, seed: 1 }).verdict, "ok")
})
