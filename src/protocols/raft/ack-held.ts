/**
 * A server acknowledges only entries it holds (issue 14, session 10). Figure 2's receiver rules 3 and
 * 4 ("delete the existing entry and all that follow it" on a conflict, "append any new entries not
 * already in the log") leave a follower that answers an AppendEntries with success holding every
 * entry through prevLogIndex + entries.length; an InstallSnapshot's answer acknowledges its last
 * included index, which the follower then holds (its snapshot, or a commit index past it). ACK_HELD:
 * every success AppendEntriesReply and every InstallSnapshotReply a server sends acknowledges no index
 * past its last. A follower that appends a batch at the wrong place, or skips an entry its snapshot
 * does not cover, acknowledges what it does not hold, and the invariants see it only when the leader
 * counts the false ack toward a commit. Declared as reading a step's sends (core/step-reads.ts), so
 * checked in every raft search (scenarios.ts checkedSystem); shown in staged-append-over-snapshot
 * (compaction-searches.ts).
 */
import type { StepProperty } from "../../checker/transition-system.ts"
import type { Tagged } from "../../core/node.ts"
import { sentMessagesCheck, StepVerdicts } from "../../core/step-verdicts.ts"
import type { World } from "../../core/world.ts"
import { raftServers } from "./properties.ts"
import { lastIndex } from "./server.ts"

/** Every success AppendEntriesReply or InstallSnapshotReply a step of one of the first `n` nodes sends acknowledges no index past the sender's last after the step. */
export const ackHeld = <L>(n: number, names: ReadonlyArray<string>, verdicts = new StepVerdicts()): StepProperty<World, L> => {
  const violation = (src: number, msg: Tagged, to: World): string | undefined => {
    if (msg._tag !== "AppendEntriesReply" && msg._tag !== "InstallSnapshotReply") return undefined
    const m = msg as unknown as { readonly success?: boolean; readonly matchIndex: number }
    if (m.success === false) return undefined
    const s = raftServers(n)[src]!.state(to)?.log
    return s && m.matchIndex > lastIndex(s) ? `${names[src]} sent ${msg._tag} acknowledging index ${m.matchIndex}, holding through ${lastIndex(s)}` : undefined
  }
  return sentMessagesCheck<L>("ACK_HELD", n, violation, verdicts)
}
