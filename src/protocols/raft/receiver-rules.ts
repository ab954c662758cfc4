/**
 * Figure 2's receiver rules, checked on the answer (session 13). RECEIVER_RULES: in a step that
 * delivers an AppendEntries or InstallSnapshot to a Raft server, the replies it sends follow from
 * its state before the step and the message alone:
 *
 * - rule 1: a message of an older term than the server's is refused as stale (AppendEntriesReply
 *   false with no conflict hint, InstallSnapshotReply with matchIndex 0), and only such a message is;
 * - rule 2: an AppendEntries is accepted only when the server's log holds an entry of prevLogTerm at
 *   prevLogIndex (or prevLogIndex is below its snapshot, whose entries are committed, hence match).
 *
 * Both blind mutants of session 13 it targets broke only a consequence many steps on: a follower
 * refusing InstallSnapshot of its own term (install-snapshot-rejects-current-term) was seen by a
 * 32-step liveness lasso; one comparing prevLogTerm by order (prev-term-compared-by-order), by a
 * seeded swarm's 28-53 steps. It reads the step's label (the delivered message), the receiver's state
 * before the step and the step's sends: not declarable as core/step-reads.ts asks (records and sends
 * only), and an undeclared step property turns off BFS's fast path for the whole search, so it is
 * checked only where a search targets these replies (search-snapshot-acks, staged-figure-8-repair),
 * not in every raft search.
 */
import type { StepProperty } from "../../checker/transition-system.ts"
import type { Event, ProtocolState } from "../../core/compile.ts"
import { raftServers } from "./properties.ts"
import { type AppendEntries, type AppendEntriesReply, type InstallSnapshot, type InstallSnapshotReply, lastIndex, termAt } from "./server.ts"

export const receiverRules = (n: number, names: ReadonlyArray<string>): StepProperty<ProtocolState, Event> => ({
  name: "RECEIVER_RULES",
  check: (from, label, to) => {
    if (label.k !== "deliver" || label.env.dst >= n || to.sendSeq === from.sendSeq) return undefined
    const msg = label.env.msg
    if (msg._tag !== "AppendEntries" && msg._tag !== "InstallSnapshot") return undefined
    const s = raftServers(n)[label.env.dst]?.state(from)?.log
    if (!s) return undefined
    const m = msg as AppendEntries | InstallSnapshot
    const stale = m.term < s.term
    const who = `${names[label.env.dst]} (term ${s.term}) answered ${msg._tag} of term ${m.term}`
    for (const e of to.net) {
      if (e.seq < from.sendSeq || e.src !== label.env.dst) continue
      if (e.msg._tag === "InstallSnapshotReply") {
        const refused = (e.msg as InstallSnapshotReply).matchIndex === 0
        if (refused !== stale) return `${who} ${refused ? "refusing it as stale" : "accepting it"}`
      } else if (e.msg._tag === "AppendEntriesReply") {
        const r = e.msg as AppendEntriesReply
        const refused = !r.success && r.conflictIndex === 0
        if (refused !== stale) return `${who} ${refused ? "refusing it as stale" : "without refusing it as stale"}`
        const a = m as AppendEntries
        if (r.success && a.prevLogIndex >= s.snapIndex && (a.prevLogIndex > lastIndex(s) || termAt(s, a.prevLogIndex) !== a.prevLogTerm))
          return `${who} accepting it, but its entry ${a.prevLogIndex} is of term ${termAt(s, a.prevLogIndex)}, not prevLogTerm ${a.prevLogTerm}`
      }
    }
    return undefined
  },
})
