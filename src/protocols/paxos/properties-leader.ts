/**
 * What a Multi-Paxos leader owes its log once phase 1 is done ("Paxos Made Simple" §3: the new leader
 * proposes a no-op for every slot below the highest one it heard of that it cannot fill): an active
 * leader's log has no gap below its open proposals, so every slot it or an earlier leader used can be
 * chosen and executed. (Above its proposals a leader still unaware that it was deposed may learn
 * slots the next leader chose: no gap of its own making.)
 */
import { invariant, type StateProperty, type StepProperty } from "../../checker/transition-system.ts"
import { rootOf } from "../../core/execute.ts"
import type { Tagged } from "../../core/node.ts"
import { sentMessagesCheck } from "../../core/step-verdicts.ts"
import type { World } from "../../core/world.ts"
import { cmpBallot, type Replica } from "./properties.ts"
import type { PaxosState } from "./server.ts"
import type { TimedReplica } from "./properties-timers.ts"

/**
 * LEADER_LOG_CONTIGUOUS: an active leader holds an entry (accepted or chosen) in every slot from its
 * first unexecuted, uncleared slot up to the highest slot it proposed at its own ballot and has not
 * seen chosen. Not of a leader a majority has moved past (promised a higher ballot): unaware, it may
 * learn a later leader's slots above a hole and propose above them (found under `tla-ts test paxos
 * --seed 2`, hunt-scripted), but none of its proposals can be chosen any more.
 */
export const leaderLogContiguous = <W extends World>(group: ReadonlyArray<Replica>): StateProperty<W> => {
  const majority = Math.floor(group.length / 2) + 1
  const deposed = (w: World, s: PaxosState): boolean => {
    let past = 0
    for (const o of group) {
      const t = o.log(w)
      if (t && cmpBallot(t.round, t.leader, s.round, s.leader) > 0) past++
    }
    return past >= majority
  }
  const check = (w: World): string | undefined => {
    for (const r of group) {
      const s = r.log(w)
      if (!s?.active) continue
      let top = -1
      for (const [k, e] of s.log) if (k > top && !e.chosen && e.round === s.round && e.leader === s.leader) top = k
      let hole = -1
      for (let slot = Math.max(s.slotOut, s.cleared); slot < top && hole < 0; slot++) if (!s.log.has(slot)) hole = slot
      if (hole >= 0 && !deposed(w, s)) return `${r.name} leads ballot (${s.round}, ${s.leader}) with slot ${top} proposed but nothing in slot ${hole}`
    }
    return undefined
  }
  return invariant<W>("LEADER_LOG_CONTIGUOUS", (w) => check(w) === undefined, check)
}

/** A server's live log replica (undefined while it is down), for step properties that must not read storage. */
export interface LiveReplica {
  readonly name: string
  readonly live: (w: World) => PaxosState | undefined
}

/**
 * STEPS_DOWN_ONLY_TO_HIGHER (a step property): a leader gives up its ballot only for a higher one
 * ("Paxos Made Simple": a proposer abandons a proposal when it learns of a higher-numbered one). A step
 * after which a replica that led (r, l) no longer leads, while still up, must leave it promised to a
 * ballot above (r, l): a message of its own ballot, or of a lower one, never deposes it.
 */
export const stepsDownOnlyToHigher = <W extends World, L>(group: ReadonlyArray<LiveReplica>): StepProperty<W, L> => ({
  name: "STEPS_DOWN_ONLY_TO_HIGHER",
  check: (from, _label, to) => {
    for (const r of group) {
      const a = r.live(from)
      if (!a?.active) continue
      const b = r.live(to)
      if (b === undefined || b.active) continue
      if (cmpBallot(b.round, b.leader, a.round, a.leader) <= 0) return `${r.name} stopped leading (${a.round}, ${a.leader}) but is promised only (${b.round}, ${b.leader})`
    }
    return undefined
  },
})

/**
 * PROMISES_ONLY_RISE (a step property; Paxos Made Simple's acceptor: it "promises never again to accept
 * a proposal numbered less than n"): a step leaves every replica that was up and is still up promised
 * to a ballot at least as high as before. A candidate that stands at a ballot below its own promise
 * (the round not raised) lowers it, and would accept what it promised to refuse.
 */
export const promisesOnlyRise = <W extends World, L>(group: ReadonlyArray<LiveReplica>): StepProperty<W, L> => ({
  name: "PROMISES_ONLY_RISE",
  check: (from, _label, to) => {
    for (const r of group) {
      const a = r.live(from)
      const b = a && r.live(to)
      if (b && cmpBallot(b.round, b.leader, a.round, a.leader) < 0) return `${r.name} was promised (${a.round}, ${a.leader}) and is now promised only (${b.round}, ${b.leader})`
    }
    return undefined
  },
})

/**
 * LEADER_SENDS_OWN_BALLOT (a step property; session 10): a Heartbeat or a phase-2 request (P2a) is
 * sent only by the active leader of the ballot it carries, its own: a leader that stepped down and
 * still heartbeats (in the new leader's ballot, holding followers' election timers back), or one that
 * copied a newer ballot without stepping down and proposes under it, is caught at the step that sends
 * it. The servers are the first nodes of the world, `group[i]` at node `i`.
 */
export const leaderSendsOwnBallot = <L>(group: ReadonlyArray<LiveReplica>): StepProperty<World, L> => {
  const violation = (src: number, msg: Tagged, to: World): string | undefined => {
    if (msg._tag !== "Heartbeat" && msg._tag !== "P2a") return undefined
    const r = group[src]!
    const s = r.live(to)
    if (!s) return undefined
    const m = msg as unknown as { readonly round: number; readonly leader: string }
    if (s.active && rootOf(m.leader) === r.name && m.round === s.round && m.leader === s.leader) return undefined
    return `${r.name} sent ${msg._tag} at ballot (${m.round}, ${m.leader}) but ${s.active ? "leads" : "does not lead"} (${s.round}, ${s.leader})`
  }
  return sentMessagesCheck<L>("LEADER_SENDS_OWN_BALLOT", group.length, violation)
}

/**
 * QUORUM_ACTS (session 13, issue 14): a leader decides a proposal as soon as a majority accepted it as
 * far as it knows, counting itself ("Paxos Made Moderately Complex": each replica is an acceptor too,
 * and the leader accepted its proposal when it made it): an active leader has no open proposal whose
 * counted acceptances, with its own, make a majority. A tally that leaves the leader out needs a
 * majority of the others: safe, and live on three servers while all are up, but with one down for
 * good nothing is ever chosen, which a liveness search shows only after a crash; here it is caught at
 * the acceptance that completes the majority. (Not of candidates' promises: a restarted candidate
 * rightly leaves itself out of its count, since its phase-1 merge no longer holds its own log.)
 */
export const quorumActs = <W extends World>(group: ReadonlyArray<LiveReplica>): StateProperty<W> => {
  const majority = Math.floor(group.length / 2) + 1
  const check = (w: World): string | undefined => {
    for (const r of group) {
      const s = r.live(w)
      if (!s?.active || rootOf(s.leader) !== r.name) continue
      for (const [slot, voters] of s.votes) {
        const e = s.log.get(slot)
        const own = e !== undefined && !e.chosen && e.round === s.round && e.leader === s.leader && !voters.has(s.leader) ? 1 : 0
        if (voters.size + own >= majority) return `${r.name} leads (${s.round}, ${s.leader}) and holds acceptances of slot ${slot} from a majority (${[...voters, ...(own ? [s.leader] : [])].join(", ")}) but has not decided it`
      }
    }
    return undefined
  }
  return invariant<W>("QUORUM_ACTS", (w) => check(w) === undefined, check)
}

/**
 * PROPOSALS_PURSUED (session 13, issue 14 wave 10): an active leader tallies every open proposal of
 * its ballot (each slot from its first unexecuted one that it holds accepted at its own ballot has a
 * vote count, which its heartbeats re-send phase 2 from): a leader that drops a tally while it leads
 * (phase-1 completion run again by late promises, say) neither decides that slot nor re-proposes it,
 * and the slot waits for the next leader; caught at the step that drops it. Session 14 (wave 11): and
 * every slot it holds open from there is one of its ballot. Phase-1 completion re-proposes each open
 * slot in the new ballot, its own accepted ones too (its candidacy merged its own log), and as leader
 * it accepts no other ballot's value: an entry of an older ballot left open is a slot no one pursues.
 */
export const proposalsPursued = <W extends World>(group: ReadonlyArray<LiveReplica>): StateProperty<W> => {
  const check = (w: World): string | undefined => {
    for (const r of group) {
      const s = r.live(w)
      if (!s?.active) continue
      for (const [slot, e] of s.log) {
        if (slot < s.slotOut || e.chosen) continue
        // A replica active under another's ballot is LEADER_SENDS_OWN_BALLOT's (heartbeat-keeps-leading).
        if (e.round !== s.round || e.leader !== s.leader) {
          if (rootOf(s.leader) !== r.name) continue
          return `${r.name} leads (${s.round}, ${s.leader}) and holds slot ${slot} open at (${e.round}, ${e.leader}), not re-proposed in its ballot`
        }
        if (!s.votes.has(slot)) return `${r.name} leads (${s.round}, ${s.leader}) and holds its own proposal in slot ${slot} open, but counts no acceptances for it`
      }
    }
    return undefined
  }
  return invariant<W>("PROPOSALS_PURSUED", (w) => check(w) === undefined, check)
}

/**
 * CANDIDATE_COUNTS_ITSELF (a step property; session 13, issue 14 wave 10; QUORUM_ACTS's rule for
 * phase 1): a replica whose election timer makes it stand at a new ballot of its own has promised that
 * ballot itself, and its promise count starts with that promise. A count that leaves the candidate out
 * needs a majority of the others: with one server of three down for good no one is ever elected, which
 * a liveness search within a bound on ballot changes cannot show (every candidacy after the bound is
 * cut). Only a timer's step: a restarted candidate rightly leaves itself out (its phase-1 merge no
 * longer holds its own log). Reads the step's label: not a records-only property.
 */
export const candidateCountsItself = <W extends World>(group: ReadonlyArray<TimedReplica>): StepProperty<W, { readonly k: string; readonly node?: number }> => ({
  name: "CANDIDATE_COUNTS_ITSELF",
  check: (from, label, to) => {
    if (label.k !== "timer") return undefined
    const r = group.find((g) => g.index === label.node)
    const a = r?.live(from)
    const b = a && r!.live(to)
    if (!b || b.active || rootOf(b.leader) !== r!.name || cmpBallot(b.round, b.leader, a.round, a.leader) <= 0) return undefined
    return b.promises.has(b.leader) ? undefined : `${r!.name} stood at (${b.round}, ${b.leader}) without counting its own promise (counted: ${[...b.promises].join(", ") || "none"})`
  },
})
