/**
 * Five servers, two terms (issue 14, session 10): a candidate that loses an election and campaigns
 * again must start its tally afresh. With three servers a tally that does not win holds the candidate
 * alone, so nothing carries over; with five, a candidate with one vote has not won. VOTES_TRUE
 * (leader-rules.ts) fails in the step a candidate counts a vote of another term.
 *
 * search-five-terms: five servers, no clients, terms up to 2, every server may campaign, BFS to a
 * small budget: a candidate that gets one vote in term 1 and campaigns again is four steps deep.
 *
 * Designed after the blind mutant candidate-keeps-old-votes (bench/mutants/raft/catalogue.ts), which
 * none of the targeted searches caught; of the other named tests only the five-server swarm hunt
 * (hunt-swarm-5, 150 simulated runs) does, in 8 steps (LEADER_ELECTED_BY_QUORUM).
 */
import type { NamedTest } from "../../checker/model.ts"
import { checkedSystem } from "./scenarios.ts"

/** The search's budget: every order of the first four steps of five campaigners fits well within it. */
export const FIVE_TERMS_BUDGET = 5_000

export const FIVE_TERMS_TESTS = {
  "search-five-terms": {
    description: `5 servers, no clients, terms up to 2, every server may campaign, duplicating network, servers interchangeable; BFS to ${FIVE_TERMS_BUDGET} states: a candidate's tally counts only servers that voted for it in its term or are past it (VOTES_TRUE), as a candidate that keeps a lost term's votes when it campaigns again shows in four steps`,
    build: () => checkedSystem({ servers: 5, server: { maxTerm: 2 }, symmetricServers: true }, [], "raft five servers, two terms"),
    options: { strategy: "bfs", maxStates: FIVE_TERMS_BUDGET },
    expect: "budget-exhausted",
  },
} satisfies Record<string, NamedTest>
