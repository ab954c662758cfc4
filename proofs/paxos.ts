/**
 * Multi-Paxos: LOGS_CONSISTENT, REFINES_CONSENSUS (spec/consensus: per slot at most one chosen value,
 * chosen stays chosen), REFINES_KV (one client: the executed store is a spec/kv store), RESULTS_OK,
 * APPENDS_LINEARIZABLE, LOG_BOUNDED. With a stable leader (no timeouts) the space is finite and is
 * explored completely; with timers ballots grow without bound, so those searches are bounded by a
 * state budget and discharge "budget-exhausted with every invariant and refinement holding".
 */
import type { Obligation } from "../src/checker/prove.ts"
import type { PAXOS_TESTS } from "../src/protocols/paxos/model.ts"
import { obligationsOn } from "./obligation.ts"

const on = obligationsOn<typeof PAXOS_TESTS>("paxos")

const SIM = { seed: 1 } as const

export const obligations: ReadonlyArray<Obligation> = [
  on({ name: "LOGS_CONSISTENT, REFINES_CONSENSUS and REFINES_KV over the first 40,000 states (bfs), 3 servers, 1 client", test: "bounded-one-client", expect: "budget-exhausted" }),
  on({ name: "LOGS_CONSISTENT, APPENDS_LINEARIZABLE and REFINES_CONSENSUS over the first 40,000 states (bfs), 3 servers, 2 appenders", test: "bounded-two-clients", expect: "budget-exhausted" }),
  on({ name: "every invariant and refinement in every reachable state with a stable leader, 3 servers, 3 concurrent appenders (complete bfs)", test: "exhaustive-stable-leader", params: { clients: "3" }, expect: "ok" }),
  on({ name: "a bounded search reaches a state where one server alone executed 3 commands (invariants hold on the way)", test: "goal-one-server-3", expect: "goal-found" }),
  on({ name: "the checker catches an acceptor that accepts below its promise (REFINES_CONSENSUS: a second value chosen for a slot)", test: "bug-accept-below-promise", options: SIM, expect: "violation" }),
  on({ name: "LOG_BOUNDED (50 slots) over 10,000 simulated operations", test: "log-compaction-10000", options: SIM, expect: "goal-found" }),
  on({ name: "clients finish with results right under a minority partition (simulated)", test: "minority-partition", options: SIM, expect: "goal-found" }),
  on({ name: "clients finish with results right under leader crashes and recovery (simulated)", test: "leader-crash-recovery", options: SIM, expect: "goal-found" }),
  on({ name: "clients finish with results right at 20% loss (simulated)", test: "unreliable-20", options: SIM, expect: "goal-found" }),
  on({ name: "25 concurrent appenders: APPENDS_LINEARIZABLE (simulated)", test: "concurrent-appends-25", options: SIM, expect: "goal-found" }),
  on({ name: "every client request completes under fair delivery with a stable leader: 3 servers, lossy network, at most 2 in flight (complete bfs, then liveness)", test: "live-requests-complete", expect: "ok" }),
  on({ name: "the checker catches a client that never re-sends after a loss (a lasso: its request is dropped and the cluster heartbeats forever)", test: "bug-live-no-client-retry", expect: "violation" }),
  on({ name: "40 swarm simulations (loss, duplication, partitions, leader crash-restarts) with 3 appenders: every invariant, CATCH_UP_POSSIBLE, APPLIED_CONSISTENT, and every run finishes and catches up", test: "hunt-sim-swarm-appends", expect: "ok" }),
]
