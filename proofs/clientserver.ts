/** Exactly-once client/server: RESULTS_OK and APPENDS_LINEARIZABLE on complete state spaces. */
import type { Obligation } from "../src/checker/prove.ts"

export const obligations: ReadonlyArray<Obligation> = [
  { name: "RESULTS_OK in every state, one client, put/append/get", model: "clientserver", test: "exhaustive-one-client", expect: "ok" },
  { name: "APPENDS_LINEARIZABLE in every state, 2 concurrent appenders", model: "clientserver", test: "exhaustive-appends", params: { clients: "2" }, expect: "ok" },
  { name: "APPENDS_LINEARIZABLE in every state, 3 concurrent appenders", model: "clientserver", test: "exhaustive-appends", params: { clients: "3" }, expect: "ok" },
  { name: "every client finishes at 20% loss (simulated)", model: "clientserver", test: "unreliable-20", options: { seed: 1 }, expect: "goal-found" },
]
