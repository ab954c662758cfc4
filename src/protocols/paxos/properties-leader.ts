/**
 * What a Multi-Paxos leader owes its log once phase 1 is done ("Paxos Made Simple" §3: the new leader
 * proposes a no-op for every slot below the highest one it heard of that it cannot fill): an active
 * leader's log has no gap below its open proposals, so every slot it or an earlier leader used can be
 * chosen and executed. (Above its proposals a leader still unaware that it was deposed may learn
 * slots the next leader chose: no gap of its own making.)
 */
import { invariant, type StateProperty } from "../../checker/transition-system.ts"
import type { World } from "../../core/world.ts"
import type { Replica } from "./properties.ts"

/**
 * LEADER_LOG_CONTIGUOUS: an active leader holds an entry (accepted or chosen) in every slot from its
 * first unexecuted, uncleared slot up to the highest slot it proposed at its own ballot and has not
 * seen chosen.
 */
export const leaderLogContiguous = <W extends World>(group: ReadonlyArray<Replica>): StateProperty<W> => {
  const check = (w: World): string | undefined => {
    for (const r of group) {
      const s = r.log(w)
      if (!s?.active) continue
      let top = -1
      for (const [k, e] of s.log) if (k > top && !e.chosen && e.round === s.round && e.leader === s.leader) top = k
      for (let slot = Math.max(s.slotOut, s.cleared); slot < top; slot++)
        if (!s.log.has(slot)) return `${r.name} leads ballot (${s.round}, ${s.leader}) with slot ${top} proposed but nothing in slot ${slot}`
    }
    return undefined
  }
  return invariant<W>("LEADER_LOG_CONTIGUOUS", (w) => check(w) === undefined, check)
}
