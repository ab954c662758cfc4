/**
 * Figure 2's rules for leaders, as invariants over the servers' records that fail at the first step
 * that breaks a rule (issue 14 item 5, session 8), where the whole-state invariants of Figure 3 see the
 * fault only when it has led to two leaders or a lost entry, and the liveness tests only as a request
 * that never completes (a lasso of 30 and more steps):
 *
 * - LEADER_ELECTED_BY_QUORUM: a leader of term T won a majority of votes in T. A vote is durable
 *   (votedFor, persisted before the reply leaves) and is dropped only for a newer term, so at least a
 *   majority of servers (a down one by its storage) are in T having voted for the leader, or in a later
 *   term. A candidate that counts one voter twice becomes a leader without them.
 * - COMMIT_RULE_APPLIED: "if there exists an N > commitIndex such that a majority of matchIndex[i] >= N
 *   and log[N].term == currentTerm, set commitIndex = N". This implementation applies the rule in every
 *   step that changes the match table or the log, so after every step a leader has committed every
 *   entry of its term that its match table shows on a majority (itself included). A count that misses
 *   such an entry leaves it uncommitted, and its client waiting, until some later entry replicates.
 * - VOTES_TRUE (session 10): a candidate of term T counts no more votes than there are servers that
 *   voted for it in T (by their records, as above) or are past T. A candidate that carries a lost
 *   election's votes into its next term, or counts a grant of another term, breaks it in the step it
 *   counts them, before LEADER_ELECTED_BY_QUORUM sees the leader such a tally makes.
 * - NEXT_INDEX_BOUNDS: for every follower, matchIndex < nextIndex <= lastIndex + 1 (nextIndex is the
 *   next entry to send, past what is known replicated; a follower never acknowledges more than the
 *   leader had). A reply that raises matchIndex without moving nextIndex past it leaves the leader
 *   re-sending what the follower already has.
 * - CANDIDATE_KNOWS_NO_LEADER (session 12), the rule for candidates: "if AppendEntries RPC received
 *   from new leader: convert to follower". A candidate has heard from no leader of its term (it clears
 *   the leader it knew when it campaigns, and AppendEntries or InstallSnapshot of its term make it a
 *   follower of the sender). A candidate that takes a leader's entries and keeps campaigning (the
 *   blind mutant candidate-ignores-leader-of-its-term) breaks it in that step; before, only a staged
 *   search whose last stage wants every server a follower saw it, with no trace.
 * - LEADER_HINT_OF_TERM (session 15), the hint a server gives clients (WrongLeader) and itself: the
 *   leader a server names is one of its term. It learns it from AppendEntries or InstallSnapshot of
 *   its term (the sender's term then, and terms never go back, so the named server's term is at least
 *   its own), forgets it on moving to a newer term, and names itself only while it leads. A server
 *   that keeps the old term's leader into a new term (the blind mutant hint-survives-term-change)
 *   redirects clients to a deposed leader; before, only a staged search that could not reach its
 *   stage saw it, with no trace.
 */
import { rootOf } from "../../core/execute.ts"
import type { World } from "../../core/world.ts"
import type { GroupVerdicts, RaftReplica } from "./properties.ts"
import { lastIndex, type RaftDurable, type RaftState, termAt } from "./server.ts"

/** A replica's term and vote: its state while it is up, its storage while it is down (nothing stored: term 0, no vote). */
const ballotOf = (r: RaftReplica, w: World): Pick<RaftDurable, "term" | "votedFor"> => r.log(w) ?? r.stored?.(w) ?? { term: 0, votedFor: null }

export const leaderElectedByQuorum = (group: ReadonlyArray<RaftReplica>, verdicts: GroupVerdicts) => {
  const majority = Math.floor(group.length / 2) + 1
  const check = (w: World): string | undefined => {
    for (const r of group) {
      const L = r.log(w)
      if (!L || L.role !== "leader") continue
      let count = 0
      for (const x of group) {
        const b = ballotOf(x, w)
        if (b.term > L.term || (b.term === L.term && b.votedFor === L.votedFor)) count++
      }
      if (count < majority) return `${r.name} leads term ${L.term}, but only ${count} of ${group.length} servers voted for it in that term or are past it`
    }
    return undefined
  }
  return verdicts.invariant("LEADER_ELECTED_BY_QUORUM", check)
}

export const votesTrue = (group: ReadonlyArray<RaftReplica>, verdicts: GroupVerdicts) => {
  const check = (w: World): string | undefined => {
    for (const r of group) {
      const C = r.log(w)
      if (!C || C.role !== "candidate" || C.votes === null) continue
      let count = 0
      for (const x of group) {
        const b = ballotOf(x, w)
        if (b.term > C.term || (b.term === C.term && b.votedFor === C.votedFor)) count++
      }
      if (C.votes.length > count) return `${r.name} (candidate, term ${C.term}) counts ${C.votes.length} votes (${C.votes.join(", ")}), but only ${count} servers voted for it in that term or are past it`
    }
    return undefined
  }
  return verdicts.invariant("VOTES_TRUE", check)
}

/** The highest index of `L`'s term that its match table shows on a majority (0 if none). */
export const quorumIndex = (L: RaftState, majority: number): number => {
  for (let n = lastIndex(L); n > L.snapIndex && n > 0; n--) {
    if (termAt(L, n) !== L.term) return 0
    let count = 1
    for (const [, m] of L.match!) if (m >= n) count++
    if (count >= majority) return n
  }
  return 0
}

export const commitRuleApplied = (group: ReadonlyArray<RaftReplica>, verdicts: GroupVerdicts) => {
  const majority = Math.floor(group.length / 2) + 1
  const check = (w: World): string | undefined => {
    for (const r of group) {
      const L = r.log(w)
      if (!L || L.role !== "leader" || !L.match) continue
      const n = quorumIndex(L, majority)
      if (n > L.commitIndex) return `leader ${r.name} (term ${L.term}) has index ${n} of its term on a majority by its match table, but its commit index is ${L.commitIndex}`
    }
    return undefined
  }
  return verdicts.invariant("COMMIT_RULE_APPLIED", check)
}

export const nextIndexBounds = (group: ReadonlyArray<RaftReplica>, verdicts: GroupVerdicts) => {
  const check = (w: World): string | undefined => {
    for (const r of group) {
      const L = r.log(w)
      if (!L || L.role !== "leader" || !L.match || !L.next) continue
      for (const [f, m] of L.match) {
        const n = L.next.get(f)
        if (n === undefined || !(m < n && n <= lastIndex(L) + 1)) return `leader ${r.name} (term ${L.term}, last index ${lastIndex(L)}) has matchIndex ${m} and nextIndex ${n} for ${f}`
      }
    }
    return undefined
  }
  return verdicts.invariant("NEXT_INDEX_BOUNDS", check)
}

export const candidateKnowsNoLeader = (group: ReadonlyArray<RaftReplica>, verdicts: GroupVerdicts) => {
  const check = (w: World): string | undefined => {
    for (const r of group) {
      const C = r.log(w)
      if (C && C.role === "candidate" && C.leader !== null) return `${r.name} is a candidate of term ${C.term} but has heard from ${C.leader}, leader of that term`
    }
    return undefined
  }
  return verdicts.invariant("CANDIDATE_KNOWS_NO_LEADER", check)
}

export const leaderHintOfTerm = (group: ReadonlyArray<RaftReplica>, verdicts: GroupVerdicts) => {
  const check = (w: World): string | undefined => {
    for (const r of group) {
      const S = r.log(w)
      if (!S || S.leader === null) continue
      const x = group.find((g) => g.name === rootOf(S.leader!))
      if (x === r) {
        if (S.role !== "leader") return `${r.name} (${S.role}, term ${S.term}) names itself as leader`
      } else if (x !== undefined && ballotOf(x, w).term < S.term) return `${r.name} (term ${S.term}) names ${x.name} as leader, in term ${ballotOf(x, w).term}`
    }
    return undefined
  }
  return verdicts.invariant("LEADER_HINT_OF_TERM", check)
}

/** The rules, for the end of a group's invariants. */
export const leaderRules = (group: ReadonlyArray<RaftReplica>, verdicts: GroupVerdicts) => [
  leaderElectedByQuorum(group, verdicts),
  votesTrue(group, verdicts),
  commitRuleApplied(group, verdicts),
  nextIndexBounds(group, verdicts),
  candidateKnowsNoLeader(group, verdicts),
  leaderHintOfTerm(group, verdicts),
]
