/**
 * The shard master: its application against spec/shardmaster in every reachable state (every command
 * a spec step with the same result, balanced fewest-move assignments), the replicated master on the
 * spec-backed log searched completely (its log's refinement of spec/consensus is Paxos's obligation),
 * the lab scenarios on Multi-Paxos (seed 1), and the planted Leave bug caught at both levels.
 */
import type { Obligation } from "../src/checker/prove.ts"
import type { SHARDMASTER_TESTS } from "../src/protocols/shardmaster/model.ts"
import { obligationsOn } from "./obligation.ts"

const on = obligationsOn<typeof SHARDMASTER_TESTS>("shardmaster")

const SIM = { seed: 1 } as const

export const obligations: ReadonlyArray<Obligation> = [
  on({ name: "spec/shardmaster alone: every reachable assignment balanced, every shard owned once a group exists (complete bfs)", test: "spec-exhaustive", expect: "ok" }),
  on({ name: "the application refines spec/shardmaster: every command in every reachable state is a spec step with the same result (complete bfs)", test: "app-exhaustive", expect: "ok" }),
  on({ name: "a Leave that leaves shards unassigned is caught by the refinement (planted bug)", test: "bug-leave-unassigned", expect: "violation" }),
  on({ name: "the replicated master on the spec-backed log, one client: RESULTS_OK, ConfigurationsWellFormed, ReplicasAgree in every state (complete bfs)", test: "search-one-client", expect: "goal-found" }),
  on({ name: "the same with two clients joining and leaving concurrently (complete bfs)", test: "search-two-clients", expect: "goal-found" }),
  on({ name: "the replicated master's Leave bug: the shortest trace to an unowned shard (bfs)", test: "bug-replicated-leave-unassigned-search", expect: "violation" }),
  ...(["commands-return-ok", "initial-query", "bad-commands", "join-leave", "historical-queries", "move", "minimal-transfers-joins", "minimal-transfers-leaves", "concurrent-join-leave"] as const).map((test) =>
    on({ name: `${test}: the replicated master on Multi-Paxos gives the application's results, a linearizable history (seed 1)`, test, options: SIM, expect: "goal-found" })
  ),
  ...(["join-leave", "concurrent-join-leave"] as const).map((test) =>
    on({ name: `${test} on Raft: the application's results, a linearizable history, Raft's invariants (seed 1)`, test, params: { log: "raft" }, options: SIM, expect: "goal-found" })
  ),
]
