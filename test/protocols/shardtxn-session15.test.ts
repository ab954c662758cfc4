/**
 * Session 15's transaction checks (issue 14): TXN_RETRY_ARMED (shardkv/timers-armed.ts, a step property
 * of every checked shardtxn search: no step leaves a client with a transaction pending and no
 * TxnRetryTimer for its current attempt) catches the blind mutant txn-retry-after-abort-not-armed
 * (bench/mutants/shardtxn/catalogue.ts, restated: after an abort the client counts on the master's
 * answer to send its next attempt and sets no back-off timer) at the step that delivers the abort.
 * Before, only simulations whose clients never finished caught it, with no trace or long ones (first
 * pass, bench/mutants/shard-session15.json). From a mutated copy of the sources (mutant-tree.ts).
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const MUTANTS: Record<string, Edit> = {
  "txn-retry-after-abort-not-armed": {
    file: "src/protocols/shardtxn/client.ts",
    search: "        ctx.setTimer(retryAt(next), TXN_BACKOFF[0], TXN_BACKOFF[1])\n        return ask(next, ctx)\n",
    replace: "        return ask(next, ctx)\n",
  },
}

shortTraceTests("shardtxn", "src/protocols/shardtxn/model.ts", "shardTxnModel", MUTANTS, [
  { name: "walks-after-abort", mutant: "txn-retry-after-abort-not-armed", property: "TXN_RETRY_ARMED", steps: 1 },
  { name: "search-from-refusal", mutant: "txn-retry-after-abort-not-armed", property: "TXN_RETRY_ARMED", steps: 2 },
])
