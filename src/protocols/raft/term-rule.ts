/**
 * Figure 2's term rule, as a step property (issue 14, session 9): "if RPC request or response
 * contains term T > currentTerm: set currentTerm = T, convert to follower". A server that applies it
 * to requests only keeps leading (or campaigning in) its old term after a reply from a newer one;
 * nothing unsafe follows at once (the newer term's servers reject it), so no invariant sees it and
 * only a liveness search, with no trace, did (the blind mutant reply-term-ignored,
 * bench/mutants/raft/catalogue.ts). TERM_RULE_APPLIED checks the step that delivers the message.
 *
 * search-term-rule: three servers, no clients, two terms, every server may campaign, BFS to a small
 * budget: a candidate's RequestVote answered by a server that has since moved to a newer term is
 * within five steps.
 */
import type { NamedTest } from "../../checker/model.ts"
import type { StepProperty } from "../../checker/transition-system.ts"
import type { Event, ProtocolState } from "../../core/compile.ts"
import { raftServers } from "./properties.ts"
import { checkedSystem, serverNames } from "./scenarios.ts"

/**
 * In a step that delivers to a Raft server (one of the first `n` nodes, named `names`) a message with
 * a term newer than the server's, the server is in at least that term after the step. It reads the step's label (the delivered message).
 */
export const termRuleApplied = (n: number, names: ReadonlyArray<string>): StepProperty<ProtocolState, Event> => ({
  name: "TERM_RULE_APPLIED",
  check: (from, label, to) => {
    if (label.k !== "deliver" || label.env.dst >= n) return undefined
    const term = (label.env.msg as { readonly term?: unknown }).term
    if (typeof term !== "number") return undefined
    const r = raftServers(n)[label.env.dst]!
    const a = r.state(from)?.log
    const b = r.state(to)?.log
    if (!a || !b || term <= a.term || b.term >= term) return undefined
    return `${names[label.env.dst]} (${a.role}, term ${a.term}) got ${label.env.msg._tag} of term ${term} and stayed in term ${b.term}`
  },
})

/** The search's budget: every order of the first five steps of three campaigners fits well within it. */
export const TERM_RULE_BUDGET = 5_000

export const TERM_RULE_TESTS = {
  "search-term-rule": {
    description: `3 servers, no clients, terms up to 2, every server may campaign, duplicating network, servers interchangeable; BFS to ${TERM_RULE_BUDGET} states: a server that gets a request or a reply of a newer term adopts it in that step (TERM_RULE_APPLIED), as a candidate whose RequestVote reaches a server already in a newer term shows in five steps`,
    build: () => checkedSystem({ servers: 3, server: { maxTerm: 2 }, symmetricServers: true }, [], "raft term rule", [termRuleApplied(3, serverNames(3))]),
    options: { strategy: "bfs", maxStates: TERM_RULE_BUDGET },
    expect: "budget-exhausted",
  },
} satisfies Record<string, NamedTest>
