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

/**
 * LEADER_LOG_CONTIGUOUS: an active leader holds an entry (accepted or chosen) in every slot from its
 * first unexecuted, uncleared slot up to the highest slot it proposed at its own ballot and has not
 * seen chosen. Not a leader that a majority has deposed unaware (promised to higher ballots): it may
 * have learned a later leader's chosen slots above a gap that leader's decision will fill, and it can
 * have nothing chosen (hunt-scripted under seed 2 met one proposing above them).
 */
export const leaderLogContiguous = <W extends World>(group: ReadonlyArray<Replica>): StateProperty<W> => {
  const majority = Math.floor(group.length / 2) + 1
  const check = (w: World): string | undefined => {
    const logs = group.map((r) => r.log(w))
    for (const r of group) {
      const s = r.log(w)
      if (!s?.active) continue
      if (logs.filter((o) => o !== undefined && cmpBallot(o.round, o.leader, s.round, s.leader) > 0).length >= majority) continue
      let top = -1
      for (const [k, e] of s.log) if (k > top && !e.chosen && e.round === s.round && e.leader === s.leader) top = k
      for (let slot = Math.max(s.slotOut, s.cleared); slot < top; slot++)
        if (!s.log.has(slot)) return `${r.name} leads ballot (${s.round}, ${s.leader}) with slot ${top} proposed but nothing in slot ${slot}`
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
