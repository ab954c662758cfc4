/**
 * The replicated KV service over each log: the service's obligations (RESULTS_OK, APPENDS_LINEARIZABLE,
 * REFINES_KV) on complete state spaces, assuming the log (spec log) and on the real logs, whose own
 * obligations (Paxos: REFINES_CONSENSUS, Raft: its Figure 3 invariants) are in paxos.ts and raft.ts.
 */
import type { Obligation } from "../src/checker/prove.ts"
import type { TESTS } from "../src/protocols/replicated-kv/model.ts"
import { obligationsOn } from "./obligation.ts"

const on = obligationsOn<typeof TESTS>("replicated-kv")

export const obligations: ReadonlyArray<Obligation> = (["spec", "paxos", "raft"] as const).flatMap((log) => [
  on({ name: `on the ${log} log: RESULTS_OK and REFINES_KV in every state, one client, put/append/get (complete bfs)`, test: "exhaustive-one-client", params: { log }, expect: "ok" }),
  on({ name: `on the ${log} log: APPENDS_LINEARIZABLE in every state, 2 concurrent appenders (complete bfs)`, test: "exhaustive-appends", params: { log }, expect: "ok" }),
  on({ name: `on the ${log} log: a Put that wipes other keys is caught by REFINES_KV`, test: "bug-clobbering-put", params: { log }, expect: "violation" }),
])
