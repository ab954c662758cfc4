/**
 * Figure 2's rules for what a leader does in one step, as step properties that fail at the step that
 * breaks one (issue 14 item 5, session 8):
 *
 * - LEADER_COMMITS_OWN_TERM: a leader moves its commit index only to an entry of its own term (§5.4.2:
 *   "only log entries from the leader's current term are committed by counting replicas"; older
 *   entries commit with them). A leader that commits an older entry by counting is caught when it
 *   does, not when a later leader overwrites the entry (Figure 8: LEADER_COMPLETENESS, four terms on).
 * - RPC_ARGS_FROM_LOG: the log arguments of an RPC are the sender's log (Figure 2): AppendEntries'
 *   prevLogTerm is "the term of the prevLogIndex entry" and entries[] are its entries after it;
 *   RequestVote's lastLogIndex and lastLogTerm are the "index/term of candidate's last log entry". A
 *   leader that sends another prevLogTerm has every consistency check fail (or pass where it should
 *   not), which the whole-state invariants see only when the logs go wrong, and the liveness tests as a
 *   request that never commits; a candidate that understates its log (its array's length, forgetting
 *   the snapshot) is refused where it should win, and one that overstates it wins where it should not.
 */
import type { StepProperty } from "../../checker/transition-system.ts"
import type { Tagged } from "../../core/node.ts"
import { readsNodes } from "../../core/step-reads.ts"
import type { World } from "../../core/world.ts"
import { sentMessagesCheck, StepVerdicts } from "../../core/step-verdicts.ts"
import { raftServers, type RaftReplica } from "./properties.ts"
import { AppendEntries, entryAt, lastIndex, RequestVote, termAt } from "./server.ts"

/** A leader of one term in both states that raised its commit index raised it to an entry of that term. */
export const leaderCommitsOwnTerm = <L>(group: ReadonlyArray<RaftReplica>): StepProperty<World, L> =>
  readsNodes({
    name: "LEADER_COMMITS_OWN_TERM",
    check: (from, _label, to) => {
      for (const r of group) {
        if (r.index !== undefined && from.nodes[r.index] === to.nodes[r.index]) continue // an unchanged node commits nothing
        const a = r.log(from)
        const b = r.log(to)
        if (!a || !b || a.role !== "leader" || b.role !== "leader" || a.term !== b.term || b.commitIndex <= a.commitIndex) continue
        const t = termAt(b, b.commitIndex)
        if (t !== b.term) return `leader ${r.name} (term ${b.term}) moved its commit index from ${a.commitIndex} to ${b.commitIndex}, an entry of term ${t}`
      }
      return undefined
    },
  })

/**
 * Every AppendEntries a step of a Raft server sends in its current term carries, as prevLogTerm and
 * entries, its own log's term at prevLogIndex and entries after it (where its log still has them: a
 * compaction in the same step may have taken them under the snapshot); every RequestVote, its last
 * index and that entry's term. The servers are the first `n`
 * nodes, named `names`; `verdicts`, the cache of their step verdicts.
 */
export const rpcArgsFromLog = <L>(n: number, names: ReadonlyArray<string>, verdicts = new StepVerdicts()): StepProperty<World, L> => {
  const violation = (src: number, msg: Tagged, to: World): string | undefined => {
    if (!(msg instanceof AppendEntries) && !(msg instanceof RequestVote)) return undefined
    const s = raftServers(n)[src]!.state(to)?.log
    if (!s || msg.term !== s.term) return undefined
    if (msg instanceof RequestVote) {
      const last = lastIndex(s)
      return msg.lastLogIndex !== last || msg.lastLogTerm !== termAt(s, last)
        ? `${names[src]} sent RequestVote with last entry ${msg.lastLogIndex}/${msg.lastLogTerm}, where its log ends at ${last}/${termAt(s, last)}`
        : undefined
    }
    const prev = msg.prevLogIndex
    if (prev >= s.snapIndex && termAt(s, prev) !== msg.prevLogTerm)
      return `${names[src]} sent AppendEntries with prevLogTerm ${msg.prevLogTerm} at index ${prev}, where its log has term ${termAt(s, prev)}`
    for (let k = 0; k < msg.entries.length; k++) {
      const i = prev + 1 + k
      if (i <= s.snapIndex) continue
      const e = entryAt(s, i)
      if (e === undefined || e.term !== msg.entries[k]!.term)
        return `${names[src]} sent AppendEntries with an entry of term ${msg.entries[k]!.term} at index ${i}, where its log has ${e === undefined ? "none" : `term ${e.term}`}`
    }
    return undefined
  }
  return sentMessagesCheck<L>("RPC_ARGS_FROM_LOG", n, violation, verdicts)
}
