/**
 * Counterexample minimisation by delta debugging over the label sequence: drop chunks of steps,
 * replay the rest leniently (a label no longer enabled is skipped), and keep the shorter sequence
 * whenever the same property still fails. Ends with single-step removals (1-minimal).
 */
import type { Hit } from "./properties.ts"
import { PropertySet } from "./properties.ts"
import type { Path, TraceStep } from "./result.ts"
import type { TransitionSystem } from "./transition-system.ts"
import { findStep } from "./path.ts"

/** Replays texts leniently; returns the path up to the first state where `property` hits, if any. */
const replayUntil = <S, L>(
  system: TransitionSystem<S, L>,
  props: PropertySet<S, L>,
  initialIndex: number,
  texts: ReadonlyArray<string>,
  property: string
): Path<S, L> | undefined => {
  const initial = system.initial()[initialIndex]!
  const matches = (h: Hit | undefined) => h !== undefined && h.property === property
  if (matches(props.checkState(initial))) return { initialIndex, initial, steps: [] }
  let state: S = initial
  const steps: Array<TraceStep<S, L>> = []
  for (const text of texts) {
    const found = findStep(system, state, text)
    if (!found) continue
    steps.push({ label: found.label, text, state: found.next })
    const hit = props.checkStep(state, found.label, found.next) ?? props.checkState(found.next)
    state = found.next
    if (matches(hit)) return { initialIndex, initial, steps }
  }
  return undefined
}

export const minimisePath = <S, L>(system: TransitionSystem<S, L>, path: Path<S, L>, hit: Hit, maxReplays = 2000): Path<S, L> => {
  const props = new PropertySet(system)
  const first = replayUntil(system, props, path.initialIndex, path.steps.map((s) => s.text), hit.property)
  if (!first) return path
  let best: Path<S, L> = first
  let replays = 0
  let chunk = Math.max(1, Math.floor(best.steps.length / 2))
  while (chunk >= 1 && replays < maxReplays) {
    let improved = false
    for (let start = 0; start < best.steps.length && replays < maxReplays; ) {
      const texts: string[] = best.steps.map((s) => s.text)
      texts.splice(start, chunk)
      replays++
      const candidate: Path<S, L> | undefined = replayUntil(system, props, path.initialIndex, texts, hit.property)
      if (candidate && candidate.steps.length < best.steps.length) {
        best = candidate
        improved = true
      } else start += chunk
    }
    if (!improved) chunk = Math.floor(chunk / 2)
  }
  return best
}
