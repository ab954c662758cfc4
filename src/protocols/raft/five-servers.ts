/**
 * Five servers (issue 14 item 5, session 7). With three, the leader and any one follower are a
 * majority, so a follower that commits or reports more than it should still agrees with a quorum,
 * and the whole-space searches cannot tell; with five, the leader and one follower are a minority.
 * The search: a bootstrapped leader (term 1, no election), one client's two puts, one term,
 * breadth-first over every delivery order of a duplicating network, to a budget. Every invariant is
 * checked: a follower that commits an entry only two servers hold breaks COMMITTED_ON_QUORUM, a
 * matchIndex past what the follower holds breaks MATCH_INDEX_TRUE, in two or three steps.
 *
 * Designed after apply-uncommitted (bench/mutants/raft/catalogue.ts) was caught only by a staged
 * search failing to reach its goal, with no trace.
 */
import type { NamedTest } from "../../checker/model.ts"
import { privateKeyWorkload } from "../../core/workloads.ts"
import { checkedSystem } from "./scenarios.ts"

/** The budget: keeps the test at a few seconds (about 20,000 states cover every order of the first ten or so steps). */
export const FIVE_SERVER_BUDGET = 20_000

/** The elections search's budget: a vote counted twice makes a leader in four steps. */
export const FIVE_ELECTION_BUDGET = 10_000

export const FIVE_SERVER_TESTS = {
  "search-five-servers": {
    description: `5 servers, a bootstrapped leader of term 1, one client's two puts, one term, duplicating network; BFS to ${FIVE_SERVER_BUDGET} states: a follower and the leader are a minority here, so every invariant (COMMITTED_ON_QUORUM, MATCH_INDEX_TRUE) sees a follower that commits or reports more than a quorum holds`,
    build: () =>
      checkedSystem(
        { servers: 5, workloads: [privateKeyWorkload("client1", 2)], server: { bootstrapLeader: true, maxTerm: 1 }, client: { retry: false } },
        [],
        "raft five servers"
      ),
    options: { strategy: "bfs", maxStates: FIVE_SERVER_BUDGET },
    expect: "budget-exhausted",
  },
  "search-five-elections": {
    description: `5 servers, no clients, one term, every server may campaign, duplicating network, servers interchangeable; BFS to ${FIVE_ELECTION_BUDGET} states (every order of the first four steps and more): a candidate needs two other votes here, so one voter's grant counted twice (a duplicated reply) makes a leader without a majority (LEADER_ELECTED_BY_QUORUM, session 8), which three servers cannot show (the candidate and any one voter are a majority)`,
    build: () => checkedSystem({ servers: 5, server: { maxTerm: 1 }, symmetricServers: true }, [], "raft five-server elections"),
    options: { strategy: "bfs", maxStates: FIVE_ELECTION_BUDGET },
    expect: "budget-exhausted",
  },
} satisfies Record<string, NamedTest>
