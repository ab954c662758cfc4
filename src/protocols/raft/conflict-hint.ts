/**
 * A rejection tells the truth about the follower's log (session 12). §5.3's fast backup: a follower
 * that refuses an AppendEntries says where its log stops agreeing, and the leader moves nextIndex by
 * that alone. CONFLICT_HINT_TRUE: every AppendEntriesReply a server sends that refuses with a hint
 * (conflictIndex > 0; a refusal of an older term carries none) describes the sender's log after the
 * step: conflictTerm -1 says the log ends just before conflictIndex; otherwise the log holds an entry
 * of conflictTerm at conflictIndex, and it is the first of that term above the snapshot. A follower
 * that miscounts its own log (the blind mutant append-check-ignores-snapshot-offset forgets the
 * entries compacted into its snapshot) refuses entries that follow on from its log with a false hint,
 * the leader keeps nextIndex where it is, and only a liveness lasso of 36 steps showed it. Declared as
 * reading a step's sends, checked in every raft search (scenarios.ts checkedSystem).
 */
import type { StepProperty } from "../../checker/transition-system.ts"
import type { Tagged } from "../../core/node.ts"
import { sentMessagesCheck, StepVerdicts } from "../../core/step-verdicts.ts"
import type { World } from "../../core/world.ts"
import { raftServers } from "./properties.ts"
import { type AppendEntriesReply, lastIndex, termAt } from "./server.ts"

export const conflictHintTrue = <L>(n: number, names: ReadonlyArray<string>, verdicts = new StepVerdicts()): StepProperty<World, L> => {
  const servers = raftServers(n)
  const violation = (src: number, msg: Tagged, to: World): string | undefined => {
    if (msg._tag !== "AppendEntriesReply") return undefined
    const m = msg as AppendEntriesReply
    if (m.success || m.conflictIndex === 0) return undefined
    const s = servers[src]!.state(to)?.log
    if (!s) return undefined
    const who = `${names[src]} refused AppendEntries with conflict (term ${m.conflictTerm}, index ${m.conflictIndex})`
    if (m.conflictTerm === -1) return m.conflictIndex === lastIndex(s) + 1 ? undefined : `${who}, but its log ends at ${lastIndex(s)}`
    if (termAt(s, m.conflictIndex) !== m.conflictTerm) return `${who}, but its entry there is of term ${termAt(s, m.conflictIndex)}`
    if (m.conflictIndex - 1 > s.snapIndex && termAt(s, m.conflictIndex - 1) === m.conflictTerm) return `${who}, but its entry ${m.conflictIndex - 1} is of that term too`
    return undefined
  }
  return sentMessagesCheck<L>("CONFLICT_HINT_TRUE", n, violation, verdicts)
}
