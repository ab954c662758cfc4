/**
 * Consensus on a log: per slot at most one value is ever chosen, and a chosen value stays chosen.
 *
 * The state is the chosen log: every slot below `base` is chosen and compacted (its value may have
 * been forgotten), and `chosen` maps slots at or above `base` to their chosen value. Two actions:
 *
 *   Choose(s, v)   an unchosen slot s >= base gets value v
 *   Compact(b)     slots below b (b > base), all chosen, are forgotten
 *
 * `consensusIsStep` answers "is before -> after a spec step (or several choices at once)?" for
 * refinement; `consensusSpec` is the same spec as a finite transition system.
 */
import { fingerprintValue } from "../src/checker/hash.ts"
import type { TransitionSystem } from "../src/checker/transition-system.ts"

export interface ConsensusState {
  /** Every slot below base is chosen and forgotten. */
  readonly base: number
  /** Chosen values of slots at or above base. */
  readonly chosen: ReadonlyMap<number, string>
}

export const consensusInit = (): ConsensusState => ({ base: 0, chosen: new Map() })

/**
 * True when after follows before: base never goes back; every value chosen in before is, in after,
 * either the same value or compacted (below after's base), never a different value or unchosen; and
 * the slots compacted were all chosen (those below before's base, or chosen now or before).
 * Learning several slots at once is several Choose steps; a protocol step may take them together.
 */
export const consensusIsStep = (before: ConsensusState, after: ConsensusState): boolean => {
  if (after.base < before.base) return false
  for (const [slot, v] of before.chosen) {
    if (slot < after.base) continue
    if (after.chosen.get(slot) !== v) return false
  }
  for (const slot of after.chosen.keys()) if (slot < after.base) return false
  return true
}

export type ConsensusLabel = { readonly k: "choose"; readonly slot: number; readonly value: string } | { readonly k: "compact"; readonly base: number }

/** The spec as a transition system over `slots` slots and a finite set of values. */
export const consensusSpec = ({ slots, values }: { readonly slots: number; readonly values: ReadonlyArray<string> }): TransitionSystem<ConsensusState, ConsensusLabel> => ({
  name: `Consensus(slots=${slots})`,
  initial: () => [consensusInit()],
  successors: (s, emit) => {
    for (let slot = s.base; slot < slots; slot++) {
      if (s.chosen.has(slot)) continue
      for (const value of values) emit({ k: "choose", slot, value }, { base: s.base, chosen: new Map(s.chosen).set(slot, value) })
    }
    // Compaction forgets a prefix of chosen slots.
    for (let b = s.base + 1; b <= slots && s.chosen.has(b - 1); b++) {
      const chosen = new Map([...s.chosen].filter(([k]) => k >= b))
      emit({ k: "compact", base: b }, { base: b, chosen })
    }
  },
  fingerprint: (s, out) => void fingerprintValue(s, out),
  formatLabel: (l) => (l.k === "choose" ? `Choose(${l.slot}, ${l.value})` : `Compact(${l.base})`),
  view: (s) => ({ base: s.base, chosen: Object.fromEntries(s.chosen) }),
  properties: [],
})
