/**
 * Session 14's sharded-store checks (issue 14), each shown catching a blind mutant of the session's
 * wave (bench/mutants/shardkv/catalogue.ts, restated) with a short trace, from a mutated copy of the
 * sources (mutant-tree.ts):
 *
 * - CLIENT_RETRY_ARMED (timers-armed.ts, a step property of the staged searches): client-retry-timer-not-rearmed
 *   (the retry timer not set again) was caught before only without a trace (a simulation whose client
 *   never finishes, a planted-bug walk that no longer reaches its violation).
 * - staged-handoff-ack (a bfs from a HandoffAck on its way): ack-applied-without-log (the sender's
 *   leader deletes the shard without its log) was caught before only by multi-group-join-leave's
 *   simulation, with traces of 594-819 steps (bench/mutants/shard-session14.json).
 *
 * That the shipped protocol passes staged-handoff-ack is checked below.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { SHARDKV_TESTS } from "../../src/protocols/shardkv/model.ts"
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const MUTANTS: Record<string, Edit> = {
  "client-retry-timer-not-rearmed": {
    file: "src/protocols/shardkv/client.ts",
    search: "        ctx.setTimer(t, CLIENT_RETRY_MILLIS)\n        return sendOrAsk(s, ctx)\n",
    replace: "        return sendOrAsk(s, ctx)\n",
  },
  "ack-applied-without-log": {
    file: "src/protocols/shardkv/server.ts",
    search: "(s: S, a: HandoffAck, _from: Address, ctx: SCtx) {\n        if (!log.isLeader(s.log) || app.execute(s.app, a)[1] === s.app) return s\n        return propose(s, a, ctx)\n",
    replace: "(s: S, a: HandoffAck, _from: Address, _ctx: SCtx) {\n        if (!log.isLeader(s.log)) return s\n        const next = app.execute(s.app, a)[1]\n        return next === s.app ? s : { ...s, app: next }\n",
  },
}

shortTraceTests("shardkv", "src/protocols/shardkv/model.ts", "shardKvModel", MUTANTS, [
  { name: "staged-stale-client", mutant: "client-retry-timer-not-rearmed", property: "CLIENT_RETRY_ARMED", steps: 1 },
  { name: "staged-handoff-ack", mutant: "ack-applied-without-log", property: "SNAPSHOT_IS_APPLIED_STATE", steps: 1 },
])

test("shardkv staged-handoff-ack: the shipped protocol passes its budget", (t) => {
  const named = SHARDKV_TESTS["staged-handoff-ack"]
  t.is(explore(named.build({}, 1), { ...named.options, seed: 1 }).verdict, "budget-exhausted")
})
