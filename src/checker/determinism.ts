/**
 * The determinism check: a state's successors generated twice must agree, label by label and
 * fingerprint by fingerprint. Run on sampled states by every strategy.
 */
import type { Hit } from "./properties.ts"
import { newFingerprint, type TransitionSystem } from "./transition-system.ts"

/**
 * Compares two successor runs of one state; a handler that is not deterministic shows up here. The
 * runs are compared by their successors' fingerprints (a label is a function of the state, the step
 * and the choices taken, all of which the next state's fingerprint covers); labels are formatted only
 * to explain a difference.
 */
export const nondeterminism = <S, L>(system: TransitionSystem<S, L>, state: S, once = false): string | undefined => {
  const fp = newFingerprint()
  const run = () => {
    const prints: number[] = []
    const labels: L[] = []
    system.successors(state, (label, next) => {
      system.fingerprint(next, fp)
      prints.push(fp.hi, fp.lo)
      labels.push(label)
    })
    return { prints, labels }
  }
  // The second run computes every step afresh: a system's cache of its steps (`memo`) must agree with
  // its handlers. With `once`, a step the cache holds is computed afresh by the first check that meets
  // it, and served from the cache (so checked already) in later ones.
  const a = run()
  const memo = system.memo
  const b = memo ? (once && memo.recheck ? memo.recheck(run) : memo.bypass(run)) : run()
  if (a.labels.length !== b.labels.length) return `successors of one state came out ${a.labels.length} then ${b.labels.length}`
  const step = (r: typeof a, i: number) => `${system.formatLabel(r.labels[i]!)}#${r.prints[2 * i]}:${r.prints[2 * i + 1]}`
  for (let i = 0; i < a.labels.length; i++) {
    if (a.prints[2 * i] !== b.prints[2 * i] || a.prints[2 * i + 1] !== b.prints[2 * i + 1]) return `step ${step(a, i)} replayed as ${step(b, i)}`
  }
  const s1 = newFingerprint()
  system.fingerprint(state, s1)
  system.fingerprint(state, fp)
  if (s1.hi !== fp.hi || s1.lo !== fp.lo) return "fingerprint of one state differs between calls"
  return undefined
}

/** Which expanded states to re-check: the first 64, then one in 1024. */
export const shouldSample = (expanded: number) => expanded < 64 || (expanded & 1023) === 0

/**
 * The DETERMINISM violation of `state`, if its successors do not come out the same twice. `once`, for
 * the sampled states of a search: each distinct cached step is recomputed by the first check that
 * meets it only; a replay that looks for the violation again in every state recomputes every step.
 */
export const determinismHit = <S, L>(system: TransitionSystem<S, L>, state: S, once = false): Hit | undefined => {
  const why = nondeterminism(system, state, once)
  return why ? { kind: "violation", property: "DETERMINISM", detail: why } : undefined
}
