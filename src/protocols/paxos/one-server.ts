/**
 * Multi-Paxos on a single server (`--param servers=1` is a supported setup): a majority of one, so the
 * server leads as soon as its election timer fires and decides each command as it proposes it, with
 * no message among servers (server.ts `propose` and the ElectionTimer's `majority === 1` paths). No
 * named test ran a single server (bench/coverage-protocols.ts), so a mistake on those paths, one that
 * leaves a lone server never leading or never deciding, passed every test. A lone server starts as the
 * leader of the first ballot, so only one that crashes and restarts (from its storage: not leading)
 * runs the election of a majority of one.
 */
import type { NamedTest } from "../../checker/model.ts"
import { workload } from "../../core/config.ts"
import { append, appendResult, get, getResult, put, putOk } from "../../core/kv.ts"
import { goal, prune } from "../../checker/transition-system.ts"
import { allClientsDone, clientsDone } from "../../core/properties.ts"
import type { World } from "../../core/world.ts"
import { checked } from "./model.ts"

const putAppendGet = workload([
  [put("foo", "bar"), putOk()],
  [append("foo", "baz"), appendResult("barbaz")],
  [get("foo"), getResult("barbaz")],
])

export const ONE_SERVER_TESTS = {
  "one-server-done": {
    description:
      "bfs, a single server (a majority of one: it leads and decides alone), timers on, one client's put, append, get: the client finishes with results right (RESULTS_OK, REFINES_KV, LOGS_CONSISTENT)",
    build: () => checked({ servers: 1, workloads: [putAppendGet], goals: [clientsDone()] }),
    options: { strategy: "bfs", maxStates: 20_000 },
    expect: "goal-found",
  },
  "one-server-restart-done": {
    description:
      "bfs, a single persisting server that may crash once and restart from its storage, timers on, one client's put, append, get, ballots up to 3: a state where the server leads again at a later ballot (its own election, a majority of one) and the client has finished, results right",
    build: () =>
      checked({ servers: 1, workloads: [putAppendGet], server: { persist: true }, faults: { maxCrashed: 1 } }, (c) => {
        const log = (w: World) => {
          const s = c.servers[0]!.state(w)
          return s && c.service.log.state(s)
        }
        return [
          goal("LEADS_AGAIN_AND_CLIENT_DONE", (w: World) => allClientsDone(w) && log(w)?.active === true && log(w)!.round >= 2),
          // Ballots up to 3: each election of a server that never leads would otherwise open a new one.
          prune("BALLOT_ABOVE_3", (w: World) => (log(w)?.round ?? 0) > 3),
        ]
      }),
    options: { strategy: "bfs", maxStates: 50_000 },
    expect: "goal-found",
  },
} satisfies Record<string, NamedTest>
