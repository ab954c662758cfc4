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
import type { World } from "../../core/world.ts"
import type { LiveReplica } from "./properties-leader.ts"
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
