/**
 * The determinism check: a state's successors generated twice must agree, label by label and
 * fingerprint by fingerprint. Run on sampled states by every strategy.
 */
import type { Hit } from "./properties.ts"
import { newFingerprint, type TransitionSystem } from "./transition-system.ts"

/** Compares two successor runs of one state; a handler that is not deterministic shows up here. */
export const nondeterminism = <S, L>(system: TransitionSystem<S, L>, state: S): string | undefined => {
  const fp = newFingerprint()
  const run = () => {
    const out: string[] = []
    system.successors(state, (label, next) => {
      system.fingerprint(next, fp)
      out.push(`${system.formatLabel(label)}#${fp.hi}:${fp.lo}`)
    })
    return out
  }
  const a = run()
  const b = run()
  if (a.length !== b.length) return `successors of one state came out ${a.length} then ${b.length}`
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return `step ${a[i]} replayed as ${b[i]}`
  const s1 = newFingerprint()
  system.fingerprint(state, s1)
  system.fingerprint(state, fp)
  if (s1.hi !== fp.hi || s1.lo !== fp.lo) return "fingerprint of one state differs between calls"
  return undefined
}

/** Which expanded states to re-check: the first 64, then one in 1024. */
export const shouldSample = (expanded: number) => expanded < 64 || (expanded & 1023) === 0

/** The DETERMINISM violation of `state`, if its successors do not come out the same twice. */
export const determinismHit = <S, L>(system: TransitionSystem<S, L>, state: S): Hit | undefined => {
  const why = nondeterminism(system, state)
  return why ? { kind: "violation", property: "DETERMINISM", detail: why } : undefined
}
