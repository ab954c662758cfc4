/**
 * The premise of a mutant judged equivalent, as an invariant a search can check (issue 14 item 5,
 * session 6). commit-past-last-new-entry (bench/mutants/raft/catalogue.ts) lets a follower advance its
 * commit index to min(leaderCommit, its last index) instead of min(leaderCommit, the last index this
 * message matched). The two agree whenever every AppendEntries covers its own commit point: its
 * prevLogIndex plus its entries reach leaderCommit (this server sends the whole suffix from nextIndex,
 * and a leader's commit index is within its log), for then the message's match index is at least
 * leaderCommit and so is the follower's last index after appending it.
 */
import { invariant } from "../../checker/transition-system.ts"
import type { ProtocolState } from "../../core/compile.ts"
import { AppendEntries } from "./server.ts"

/** Every AppendEntries in flight reaches its leader's commit point: prevLogIndex + entries >= leaderCommit. */
export const appendCoversCommit = () => {
  const check = (w: ProtocolState): string | undefined => {
    for (const e of w.net) {
      const m = e.msg
      if (m instanceof AppendEntries && m.prevLogIndex + m.entries.length < m.leaderCommit)
        return `${e.from} sent ${e.to} AppendEntries through index ${m.prevLogIndex + m.entries.length} with leaderCommit ${m.leaderCommit}`
    }
    return undefined
  }
  return invariant<ProtocolState>("APPEND_COVERS_COMMIT", (w) => check(w) === undefined, check)
}
