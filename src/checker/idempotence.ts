/**
 * The duplicate-delivery check of `--checks` (DSLabs' idempotence check): for a step that delivers a
 * message the protocol claims to tolerate duplicates of, delivering the same message once more must
 * leave the outcome (node states, client results; not the network) as the first delivery left it.
 * Run on sampled states by bfs, like the determinism check, when the system declares `redelivery`.
 */
import { fingerprintValue } from "./hash.ts"
import { findStep } from "./path.ts"
import type { Hit } from "./properties.ts"
import { newFingerprint, type TransitionSystem } from "./transition-system.ts"

export interface Redelivery<S, L> {
  /** Steps whose repetition must not change the outcome (deliveries of duplicate-tolerant messages). */
  readonly redeliverable: (label: L) => boolean
  /** What a duplicate must not change: the node states and results, without the network. */
  readonly outcome: (state: S) => unknown
  /**
   * The same delivery once more in `state`. Default: the enabled step with the same label text, which
   * exists where delivered messages stay deliverable (a duplicating network); a system whose network
   * consumes messages must provide it.
   */
  readonly again?: (state: S, label: L) => { readonly label: L; readonly next: S } | undefined
}

export const DUPLICATE_TOLERANCE = "DUPLICATE_TOLERANCE"

/** The violation of duplicate tolerance among `state`'s steps, if any. */
export const duplicateHit = <S, L>(system: TransitionSystem<S, L>, state: S, r: Redelivery<S, L>): Hit | undefined => {
  const a = newFingerprint()
  const b = newFingerprint()
  let hit: Hit | undefined
  system.successors(state, (label, next) => {
    if (hit || !r.redeliverable(label)) return
    const text = system.formatLabel(label)
    const again = r.again ? r.again(next, label) : findStep(system, next, text)
    if (!again) return
    fingerprintValue(r.outcome(next), a)
    fingerprintValue(r.outcome(again.next), b)
    if (a.hi !== b.hi || a.lo !== b.lo)
      hit = { kind: "violation", property: DUPLICATE_TOLERANCE, detail: `delivering "${text}" a second time changes the outcome` }
  })
  return hit
}
