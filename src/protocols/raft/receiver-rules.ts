/**
 * Step properties of Raft judged on the message a step delivers (Figure 2's rules for the receiver
 * of an RPC), declared as reading the delivered envelope, the receiver's records and its sends
 * (core/step-reads.ts `onDelivery`, "node" scope: judged once per memoised node step), so checked in
 * every raft search (scenarios.ts checkedSystem) with BFS's fast path on (session 14; before, each
 * was checked only in the search written for it, as an undeclared one turned the fast path off):
 *
 * - TERM_RULE_APPLIED (session 9, search-term-rule): a server that gets a message of a newer term is
 *   in at least that term after the step (the blind mutant reply-term-ignored);
 * - ACKS_CHECKED (session 9, search-snapshot-acks): a reply to an AppendEntries or InstallSnapshot
 *   claims a matchIndex no higher than the message checked (snapshot-reply-claims-whole-log);
 * - RECEIVER_RULES (session 13, search-snapshot-acks and staged-figure-8-repair): the replies to an
 *   AppendEntries or InstallSnapshot follow from the server's state before the step and the message:
 *   rule 1, a message of an older term than the server's is refused as stale (AppendEntriesReply
 *   false with no conflict hint, InstallSnapshotReply with matchIndex 0), and only such a message is;
 *   rule 2, an AppendEntries is accepted only when the server's log holds an entry of prevLogTerm at
 *   prevLogIndex (or prevLogIndex is below its snapshot, whose entries are committed, hence match)
 *   (install-snapshot-rejects-current-term, prev-term-compared-by-order); and (session 14) what an
 *   accepting server holds after the step: rules 3 and 4, an AppendEntries' entries at their indexes
 *   (those its snapshot does not cover); rule 5, a commit index of at least min(leaderCommit, index
 *   of the last new entry) (heartbeat-does-not-commit); an InstallSnapshot's lastIncludedTerm at
 *   lastIncludedIndex, unless compacted past it (install-snapshot-records-message-term); and
 *   RequestVote's rules: a vote is granted exactly when the candidate's term is not older than the
 *   server's, the server has not voted for another in it, and the candidate's last entry (lastLogTerm,
 *   lastLogIndex) is at least as up to date as the server's (up-to-date-term-inverted), and (session
 *   16) after the step the server has voted for the candidate if it granted, else as before (a refusal
 *   spends no vote: vote-recorded-before-check);
 * - PROPOSED_IN_TERM (session 8, staged-retry-new-leader): a leader asked for a command it has not
 *   executed holds it in an entry of its current term after the step (retry-dedup-any-term).
 */
import type { StepProperty } from "../../checker/transition-system.ts"
import { amo, type AMOCommand } from "../../core/application.ts"
import type { Event, ProtocolState } from "../../core/compile.ts"
import { Request } from "../../core/exactly-once.ts"
import { kvStore } from "../../core/kv.ts"
import { sameCommand } from "../../core/replicated-log.ts"
import { onDelivery } from "../../core/step-reads.ts"
import { raftServers } from "./properties.ts"
import { type AppendEntries, type AppendEntriesReply, entryAt, type InstallSnapshot, type InstallSnapshotReply, lastIndex, type RaftState, type RequestVote, type RequestVoteReply, termAt } from "./server.ts"

const { alreadyExecuted } = amo(kvStore)

/**
 * In a step that delivers to a Raft server (one of the first `n` nodes, named `names`) a message with
 * a term newer than the server's, the server is in at least that term after the step.
 */
export const termRuleApplied = (n: number, names: ReadonlyArray<string>): StepProperty<ProtocolState, Event> =>
  onDelivery<ProtocolState>(
    "TERM_RULE_APPLIED",
    (from, to, node, delivered) => {
      if (delivered === undefined || node >= n) return undefined
      const term = (delivered.msg as { readonly term?: unknown }).term
      if (typeof term !== "number") return undefined
      const r = raftServers(n)[node]!
      const a = r.state(from)?.log
      const b = r.state(to)?.log
      if (!a || !b || term <= a.term || b.term >= term) return undefined
      return `${names[node]} (${a.role}, term ${a.term}) got ${delivered.msg._tag} of term ${term} and stayed in term ${b.term}`
    },
    "node"
  )

/** The highest index `msg` checks, when it is an AppendEntries or an InstallSnapshot. */
const checkedThrough = (msg: { readonly _tag: string }): number | undefined =>
  msg._tag === "AppendEntries"
    ? (msg as AppendEntries).prevLogIndex + (msg as AppendEntries).entries.length
    : msg._tag === "InstallSnapshot"
      ? (msg as InstallSnapshot).lastIncludedIndex
      : undefined

/**
 * In a step that delivers an AppendEntries or InstallSnapshot to a Raft server (one of the first `n`
 * nodes, named `names`), the server's replies sent in that step claim a matchIndex no higher than the
 * message checked.
 */
export const acksChecked = (n: number, names: ReadonlyArray<string>): StepProperty<ProtocolState, Event> =>
  onDelivery<ProtocolState>(
    "ACKS_CHECKED",
    (_from, _to, node, delivered, sends) => {
      if (delivered === undefined || node >= n || sends.length === 0) return undefined
      const through = checkedThrough(delivered.msg)
      if (through === undefined) return undefined
      for (const e of sends) {
        const match = (e.msg as { readonly matchIndex?: unknown }).matchIndex
        if (typeof match === "number" && match > through) return `${names[node]} answered ${delivered.msg._tag} checking through ${through} with ${e.msg._tag} matchIndex ${match}`
      }
      return undefined
    },
    "node"
  )

/**
 * RequestVote's receiver rules on the server's replies: granted exactly when the candidate's term, the
 * server's vote and the logs allow it; and (session 16) on its vote after the step (`b`): the candidate
 * when granted, else the vote it had in that term (none when the message's term was newer), so that a
 * refusal spends no vote (judged from the state before and the message: a reply already in flight is
 * not sent again).
 */
const voteRule = (s: RaftState, b: RaftState, m: RequestVote, candidate: string, name: string, sends: ReadonlyArray<{ readonly msg: { readonly _tag: string } }>): string | undefined => {
  const last = lastIndex(s)
  const lastTerm = termAt(s, last)
  const upToDate = m.lastLogTerm > lastTerm || (m.lastLogTerm === lastTerm && m.lastLogIndex >= last)
  const free = m.term > s.term || (m.term === s.term && (s.votedFor === null || s.votedFor === candidate))
  const vote = free && upToDate ? candidate : m.term > s.term ? null : s.votedFor
  if (b.votedFor !== vote)
    return `${name} (term ${s.term}, voted for ${s.votedFor}) ${free && upToDate ? "granted" : "refused"} ${candidate}'s RequestVote of term ${m.term} and has voted for ${b.votedFor} after it`
  for (const e of sends) {
    if (e.msg._tag !== "RequestVoteReply") continue
    const granted = (e.msg as RequestVoteReply).granted
    if (granted !== (free && upToDate))
      return `${name} (term ${s.term}, voted for ${s.votedFor}, last entry ${last} of term ${lastTerm}) ${granted ? "granted" : "refused"} ${candidate}'s RequestVote of term ${m.term} (last entry ${m.lastLogIndex} of term ${m.lastLogTerm})`
  }
  return undefined
}

/** Figure 2's receiver rules 1 and 2 on the replies to an AppendEntries or InstallSnapshot (see above). */
export const receiverRules = (n: number, names: ReadonlyArray<string>): StepProperty<ProtocolState, Event> =>
  onDelivery<ProtocolState>(
    "RECEIVER_RULES",
    (from, to, node, delivered, sends) => {
      if (delivered === undefined || node >= n) return undefined
      const msg = delivered.msg
      if (msg._tag !== "AppendEntries" && msg._tag !== "InstallSnapshot" && msg._tag !== "RequestVote") return undefined
      const s = raftServers(n)[node]?.state(from)?.log
      const b = raftServers(n)[node]?.state(to)?.log
      if (!s || !b) return undefined
      if (msg._tag === "RequestVote") return voteRule(s, b, msg as RequestVote, delivered.from, names[node]!, sends)
      const m = msg as AppendEntries | InstallSnapshot
      const stale = m.term < s.term
      const who = `${names[node]} (term ${s.term}) answered ${msg._tag} of term ${m.term}`
      const a = m as AppendEntries
      // Whether rules 1 and 2 accept it: from the state before the step and the message alone (a reply
      // equal to one in flight is not sent again, so what the server holds after is judged by this).
      const accept = !stale && (msg._tag === "InstallSnapshot" || (a.prevLogIndex <= lastIndex(s) && (a.prevLogIndex < s.snapIndex || termAt(s, a.prevLogIndex) === a.prevLogTerm)))
      for (const e of sends) {
        if (e.msg._tag === "InstallSnapshotReply") {
          const refused = (e.msg as InstallSnapshotReply).matchIndex === 0
          if (refused !== stale) return `${who} ${refused ? "refusing it as stale" : "accepting it"}`
        } else if (e.msg._tag === "AppendEntriesReply") {
          const r = e.msg as AppendEntriesReply
          const refused = !r.success && r.conflictIndex === 0
          if (refused !== stale) return `${who} ${refused ? "refusing it as stale" : "without refusing it as stale"}`
          if (r.success && !accept) return `${who} accepting it, but its entry ${a.prevLogIndex} is of term ${termAt(s, a.prevLogIndex)}, not prevLogTerm ${a.prevLogTerm}`
        }
      }
      if (!accept) return undefined
      if (msg._tag === "InstallSnapshot") {
        const i = m as InstallSnapshot
        return i.lastIncludedIndex >= b.snapIndex && termAt(b, i.lastIncludedIndex) !== i.lastIncludedTerm
          ? `${who} holding term ${termAt(b, i.lastIncludedIndex)} at its lastIncludedIndex ${i.lastIncludedIndex} after it, not lastIncludedTerm ${i.lastIncludedTerm}`
          : undefined
      }
      for (let k = 0; k < a.entries.length; k++) {
        const idx = a.prevLogIndex + 1 + k
        if (idx > b.snapIndex && termAt(b, idx) !== a.entries[k]!.term) return `${who} holding term ${termAt(b, idx)} at index ${idx} after it, where it sent an entry of term ${a.entries[k]!.term}`
      }
      const commit = Math.min(a.leaderCommit, a.prevLogIndex + a.entries.length)
      return b.commitIndex < commit ? `${who} (leaderCommit ${a.leaderCommit}, last new entry ${a.prevLogIndex + a.entries.length}) with its commit index ${b.commitIndex} after it, not at least ${commit}` : undefined
    },
    "node"
  )

/**
 * In a step that delivers a client's Request to a server that leads term T before and after it, and
 * that had not executed the command: after the step the server's log holds the command in an entry of
 * term T (or the command is executed). The servers are the first `n` nodes, named `names`.
 */
export const proposedInTerm = (n: number, names: ReadonlyArray<string>): StepProperty<ProtocolState, Event> =>
  onDelivery<ProtocolState>(
    "PROPOSED_IN_TERM",
    (from, to, node, delivered) => {
      if (delivered === undefined || node >= n || !(delivered.msg instanceof Request)) return undefined
      const r = raftServers(n)[node]!
      const a = r.state(from)
      const b = r.state(to)
      const c = delivered.msg.command as AMOCommand
      if (!a || !b || a.log.role !== "leader" || b.log.role !== "leader" || a.log.term !== b.log.term || alreadyExecuted(a.app, c) || alreadyExecuted(b.app, c)) return undefined
      const L = b.log
      for (let k = lastIndex(L); k > L.snapIndex; k--) {
        const e = entryAt(L, k)!
        if (e.term !== L.term) break
        if (sameCommand(e.command, c)) return undefined
      }
      return `leader ${names[node]} (term ${L.term}) was asked for ${c.client}.${c.seq} and holds it in no entry of its term`
    },
    "node"
  )

/** The four, for the first `n` nodes named `names`: every raft search checks them (scenarios.ts). */
export const deliverySteps = (n: number, names: ReadonlyArray<string>): ReadonlyArray<StepProperty<ProtocolState, Event>> => [
  termRuleApplied(n, names),
  acksChecked(n, names),
  receiverRules(n, names),
  proposedInTerm(n, names),
]
