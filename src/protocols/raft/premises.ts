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
import { serverStates } from "./properties.ts"
import { AppendEntries, InstallSnapshot, lastIndex, termAt } from "./server.ts"

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

/**
 * The premise of snapshot-install-keeps-suffix-by-last-term (session 16): a follower installing a
 * snapshot through index L of term T keeps its entries after L when its own last term is at least T,
 * where the shipped install keeps them when its entry at L has term T. The rules agree whenever every
 * log that reaches past L with a last term of at least T holds the entry (L, T): a snapshot is taken at
 * a commit point, whose entry has the term of the leader that committed it; every later leader holds
 * it (leader completeness), and an entry of term T or later past L came from such a leader, whose log
 * the receiving log matches up to it. Checked for every snapshot a server holds and every
 * InstallSnapshot in flight, against the log of every up server of the first `n` that has not
 * compacted past L.
 */
export const snapshotInNewerLogs = (n: number) => {
  const check = (w: ProtocolState): string | undefined => {
    const logs = serverStates(w, n)
    const against = (what: string, index: number, term: number): string | undefined => {
      for (let i = 0; i < n; i++) {
        const g = logs[i]
        if (!g || g.snapIndex > index || lastIndex(g) <= index) continue
        const t = termAt(g, index)
        if (termAt(g, lastIndex(g)) >= term && t !== term)
          return `s${i + 1}'s log reaches index ${lastIndex(g)} with last term ${termAt(g, lastIndex(g))} but has term ${t} at index ${index}, where ${what} has term ${term}`
      }
      return undefined
    }
    for (let i = 0; i < n; i++) {
      const s = logs[i]
      const bad = s && s.snapIndex > 0 ? against(`s${i + 1}'s snapshot`, s.snapIndex, s.snapTerm) : undefined
      if (bad) return bad
    }
    for (const e of w.net) {
      const m = e.msg
      const bad = m instanceof InstallSnapshot ? against(`the InstallSnapshot ${e.from} sent ${e.to}`, m.lastIncludedIndex, m.lastIncludedTerm) : undefined
      if (bad) return bad
    }
    return undefined
  }
  return invariant<ProtocolState>("SNAPSHOT_IN_NEWER_LOGS", (w) => check(w) === undefined, check)
}
