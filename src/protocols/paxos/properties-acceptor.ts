/**
 * ACCEPTS_AT_PROMISE (a step property; session 11, issue 14 wave 8; Paxos Made Simple's acceptor: it
 * accepts a proposal numbered n only if it has not promised a higher number): a step that writes a
 * value into a live replica's log (a slot's accepted entry, new or replaced, not chosen) writes it at
 * a ballot at least the one the replica was promised before the step. Caught at the write: a late
 * phase-2 message of a ballot below the promise that slips past the acceptor's check (of the same
 * leader's earlier ballot, of another leader's lower one of the same round) overwrites a value a
 * higher ballot may have chosen, which on 3 servers the state invariants often see only much later,
 * or never.
 */
import type { StepProperty } from "../../checker/transition-system.ts"
import type { Tagged } from "../../core/node.ts"
import type { World } from "../../core/world.ts"
import type { LiveReplica } from "./properties-leader.ts"
import type { TimedReplica } from "./properties-timers.ts"
import { cmpBallot, commandKey } from "./properties.ts"

export const acceptsAtPromise = <W extends World, L>(group: ReadonlyArray<LiveReplica>): StepProperty<W, L> => ({
  name: "ACCEPTS_AT_PROMISE",
  check: (from, _label, to) => {
    for (const r of group) {
      const a = r.live(from)
      const b = a && r.live(to)
      if (!b || a.log === b.log) continue
      for (const [slot, e] of b.log) {
        if (e.chosen) continue
        // An entry as it was (records recur as equal objects reached by other paths: compare contents).
        const p = a.log.get(slot)
        if (p !== undefined && !p.chosen && p.round === e.round && p.leader === e.leader && commandKey(p.command) === commandKey(e.command)) continue
        if (cmpBallot(e.round, e.leader, a.round, a.leader) < 0)
          return `${r.name} was promised (${a.round}, ${a.leader}) and accepted slot ${slot} at (${e.round}, ${e.leader})`
      }
    }
    return undefined
  },
})

/**
 * PHASE2_ANSWERED (a step property; session 15, issue 14 wave 13; the acceptor of Paxos Made Simple
 * answers every proposal it may accept): a step that delivers a P2a of a ballot at or above a live
 * replica's promise, from a live proposer it can reach, leaves a P2b of that ballot and slot from the replica to the
 * proposer in flight (sent in the step, or the same message still in flight, which a duplicating network
 * does not add twice). An acceptor that stays silent (for a slot it already knows chosen, say) is caught
 * at that delivery, not as a new leader that re-proposes such a slot and never learns it (a goal never
 * reached, a liveness lasso). Reads the step's label: not a records-only property.
 */
export const phase2Answered = <W extends World>(
  group: ReadonlyArray<TimedReplica>,
  /** Whether node `a`'s sends reach node `b` (a partition drops the others; a message sent before the cut may still arrive). */
  linked: (a: number, b: number) => boolean = () => true
): StepProperty<W, { readonly k: string; readonly env?: { readonly src: number; readonly dst: number; readonly msg: Tagged } }> => ({
  name: "PHASE2_ANSWERED",
  check: (from, label, to) => {
    if (label.k !== "deliver" || label.env!.msg._tag !== "P2a") return undefined
    const r = group.find((g) => g.index === label.env!.dst)
    const a = r?.live(from)
    if (!a || !r!.live(to) || !group.find((g) => g.index === label.env!.src)?.live(to) || !linked(r!.index, label.env!.src)) return undefined
    const m = label.env!.msg as unknown as { readonly round: number; readonly leader: string; readonly slot: number }
    if (cmpBallot(m.round, m.leader, a.round, a.leader) < 0) return undefined
    const answers = (x: Tagged): boolean => {
      if (x._tag !== "P2b") return false
      const b = x as unknown as typeof m
      return b.round === m.round && b.leader === m.leader && b.slot === m.slot
    }
    if (to.net.some((e) => e.src === r!.index && e.dst === label.env!.src && answers(e.msg))) return undefined
    return `${r!.name}, promised (${a.round}, ${a.leader}), got phase 2 of slot ${m.slot} at (${m.round}, ${m.leader}) and left it unanswered`
  },
})
