/**
 * Session 13's sharded-store check (issue 14): CLIENT_SEQ_KEPT_WHILE_PENDING (client-refresh.ts) in
 * staged-stale-client, shown catching session 12's blind mutant client-new-seq-on-reroute
 * (bench/mutants/shardkv/catalogue.ts, restated) with a short trace, from a mutated copy of the
 * sources (mutant-tree.ts). Before, the suite caught it only as single-group-basic's goal not
 * reached, with no trace (bench/mutants/shard-session13.json).
 *
 * That the shipped protocol passes this search, shardkv-staged.test.ts checks.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

/** The catalogue's mutant (same name), restated. */
const MUTANTS: Record<string, Edit> = {
  "client-new-seq-on-reroute": {
    file: "src/protocols/shardkv/client.ts",
    search: "(config.num > (s.config?.num ?? 0) ? { ...s, config } : s)",
    replace: "(config.num > (s.config?.num ?? 0) ? { ...s, config, seq: s.pending === null ? s.seq : s.seq + 1 } : s)",
  },
}

const cases = [{ name: "staged-stale-client", mutant: "client-new-seq-on-reroute", property: "CLIENT_SEQ_KEPT_WHILE_PENDING", steps: 4 }] as const

shortTraceTests("shardkv", "src/protocols/shardkv/model.ts", "shardKvModel", MUTANTS, cases)
