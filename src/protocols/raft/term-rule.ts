/**
 * Figure 2's term rule, as a step property (issue 14, session 9): "if RPC request or response
 * contains term T > currentTerm: set currentTerm = T, convert to follower". A server that applies it
 * to requests only keeps leading (or campaigning in) its old term after a reply from a newer one;
 * nothing unsafe follows at once (the newer term's servers reject it), so no invariant sees it and
 * only a liveness search, with no trace, did (the blind mutant reply-term-ignored,
 * bench/mutants/raft/catalogue.ts). TERM_RULE_APPLIED (receiver-rules.ts) checks the step that delivers the message.
 *
 * search-term-rule: three servers, no clients, two terms, every server may campaign, BFS to a small
 * budget: a candidate's RequestVote answered by a server that has since moved to a newer term is
 * within five steps.
 */
import type { NamedTest } from "../../checker/model.ts"
import { checkedSystem } from "./scenarios.ts"

/** The search's budget: every order of the first five steps of three campaigners fits well within it. */
export const TERM_RULE_BUDGET = 5_000

export const TERM_RULE_TESTS = {
  "search-term-rule": {
    description: `3 servers, no clients, terms up to 2, every server may campaign, duplicating network, servers interchangeable; BFS to ${TERM_RULE_BUDGET} states: a server that gets a request or a reply of a newer term adopts it in that step (TERM_RULE_APPLIED), as a candidate whose RequestVote reaches a server already in a newer term shows in five steps`,
    // TERM_RULE_APPLIED (receiver-rules.ts) is among every raft search's step properties.
    build: () => checkedSystem({ servers: 3, server: { maxTerm: 2 }, symmetricServers: true }, [], "raft term rule"),
    options: { strategy: "bfs", maxStates: TERM_RULE_BUDGET },
    expect: "budget-exhausted",
  },
} satisfies Record<string, NamedTest>
