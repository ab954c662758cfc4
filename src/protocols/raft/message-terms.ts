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
import type { World } from "../../core/world.ts"
import { raftServers } from "./properties.ts"
import { sentMessagesCheck, StepVerdicts } from "../../core/step-verdicts.ts"

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
