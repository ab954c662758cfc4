/** Exactly-once client/server: RESULTS_OK and APPENDS_LINEARIZABLE on complete state spaces. */
import type { Obligation } from "../src/checker/prove.ts"
import type { CLIENTSERVER_TESTS } from "../src/protocols/clientserver/model.ts"
import { obligationsOn } from "./obligation.ts"

const on = obligationsOn<typeof CLIENTSERVER_TESTS>("clientserver")

export const obligations: ReadonlyArray<Obligation> = [
  on({ name: "RESULTS_OK in every state, one client, put/append/get", test: "exhaustive-one-client", expect: "ok" }),
  on({ name: "APPENDS_LINEARIZABLE in every state, 2 concurrent appenders", test: "exhaustive-appends", params: { clients: "2" }, expect: "ok" }),
  on({ name: "APPENDS_LINEARIZABLE in every state, 3 concurrent appenders", test: "exhaustive-appends", params: { clients: "3" }, expect: "ok" }),
  on({ name: "every client finishes at 20% loss (simulated)", test: "unreliable-20", options: { seed: 1 }, expect: "goal-found" }),
]
