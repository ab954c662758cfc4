/**
 * A follower that accepts an AppendEntries holds its entries (issue 14, session 10). Figure 2's
 * receiver rules 3 and 4 ("delete the existing entry and all that follow it" on a conflict, "append
 * any new entries not already in the log") leave the follower's log equal to the message's entries at
 * their indices. APPEND_HELD: in a step that delivers an AppendEntries to a Raft server and sends a
 * success reply, the server's log has, at every index of the message above its snapshot, an entry of
 * the message's term. A follower that appends a batch at the wrong place, or skips an entry its
 * snapshot does not cover, acknowledges what it does not hold; the invariants see it only when a
 * leader later counts the false ack, or when another server's log is compared with it.
 *
 * Checked in every raft search (scenarios.ts checkedSystem); caught first by staged-append-over-snapshot
 * (compaction-searches.ts).
 */
import type { StepProperty } from "../../checker/transition-system.ts"
import type { Event, ProtocolState } from "../../core/compile.ts"
import { raftServers } from "./properties.ts"
import { type AppendEntries, lastIndex, termAt } from "./server.ts"

/** In a step that delivers an AppendEntries to one of the first `n` nodes (Raft servers named `names`) and sends a success reply, the server holds the message's entries. */
export const appendHeld = (n: number, names: ReadonlyArray<string>): StepProperty<ProtocolState, Event> => ({
  name: "APPEND_HELD",
  check: (from, label, to) => {
    if (label.k !== "deliver" || label.env.dst >= n || label.env.msg._tag !== "AppendEntries" || to.sendSeq === from.sendSeq) return undefined
    const m = label.env.msg as AppendEntries
    const ok = to.net.some((e) => e.seq >= from.sendSeq && e.src === label.env.dst && e.msg._tag === "AppendEntriesReply" && (e.msg as { readonly success?: boolean }).success === true)
    const s = raftServers(n)[label.env.dst]!.state(to)?.log
    if (!ok || !s) return undefined
    for (let k = 0; k < m.entries.length; k++) {
      const i = m.prevLogIndex + 1 + k
      if (i > s.snapIndex && termAt(s, i) !== m.entries[k]!.term)
        return `${names[label.env.dst]} accepted AppendEntries(prevLogIndex ${m.prevLogIndex}, ${m.entries.length} entries) but holds ${termAt(s, i) < 0 ? "no entry" : `an entry of term ${termAt(s, i)}`} at ${i}, not one of term ${m.entries[k]!.term} (snapshot through ${s.snapIndex}, last index ${lastIndex(s)})`
    }
    return undefined
  },
})
