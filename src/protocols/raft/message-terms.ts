/**
 * Figure 2's rule that every RPC and every response carries the sender's currentTerm ("for the leader to
 * update itself", "for candidate to update itself"): it is how a deposed leader or a stale candidate
 * learns of a newer term. Issue 14 item 5, session 6; designed after the fact: written after the blind
 * mutant reject-echoes-stale-term (a follower rejecting a stale AppendEntries answers with the
 * message's term, so the old leader never steps down) passed every test, the gap being that a stale
 * leader that is never told is a liveness failure only under a partition no bounded liveness test reaches.
 */
import type { StepProperty } from "../../checker/transition-system.ts"
import type { Tagged } from "../../core/node.ts"
import { readsSends } from "../../core/step-reads.ts"
import type { World } from "../../core/world.ts"
import { raftServers } from "./properties.ts"
import { StepVerdicts } from "./step-verdicts.ts"

/**
 * Every message a step of a Raft server sends that has a term carries that server's term after the
 * step (the servers are the first `n` nodes, named `names`; `verdicts`, the cache of the servers' step verdicts).
 */
export const messagesCarryTerm = <L>(n: number, names: ReadonlyArray<string>, verdicts = new StepVerdicts()): StepProperty<World, L> => {
  const violation = (src: number, msg: Tagged, to: World): string | undefined => {
    const term = (msg as { readonly term?: unknown }).term
    if (typeof term !== "number") return undefined
    const s = raftServers(n)[src]!.state(to)?.log
    return s && term !== s.term ? `${names[src]} sent ${msg._tag} of term ${term} while in term ${s.term}` : undefined
  }
  return sentMessagesCheck<L>("MESSAGES_CARRY_TERM", n, violation, verdicts)
}

/**
 * A step property that holds when `violation` finds nothing wrong with any message a step of one of
 * the first `n` nodes (the Raft servers) sent, judged against the world after the step; declared as
 * reading the step's sends (core/step-reads.ts). `violation` reads the sender's record of `to` alone:
 * a node step's verdict is cached in `verdicts`.
 */
export const sentMessagesCheck = <L>(name: string, n: number, violation: (src: number, msg: Tagged, to: World) => string | undefined, verdicts = new StepVerdicts()): StepProperty<World, L> => {
  const sendsCheck = verdicts.sendsCheck(violation)
  return readsSends<World, L>(
    {
      name,
      check: (from, _label, to) => {
        if (to.sendSeq === from.sendSeq) return undefined
        for (const e of to.net) {
          if (e.seq < from.sendSeq || e.src >= n) continue
          const v = violation(e.src, e.msg, to)
          if (v) return v
        }
        return undefined
      },
    },
    // A node's step: its sends (those already in flight too, which the whole form does not see again).
    (_from, to, node, sends) => (node >= n ? undefined : sendsCheck(to, node, sends))
  )
}
