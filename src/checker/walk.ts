/**
 * One run through a system that keeps its states and labels: the initial state and then, at each
 * step, one enabled step picked by the caller (a fast-check schedule, a seeded generator). Runs end
 * at the first property hit, after `length` steps, in a deadlock, or in a pruned state.
 */
import type { Hit, PropertySet } from "./properties.ts"
import { PropertySet as Properties } from "./properties.ts"
import type { Path, TraceStep } from "./result.ts"
import type { TransitionSystem } from "./transition-system.ts"

export interface Walk<S, L> {
  readonly path: Path<S, L>
  /** The first property hit along the run, if any (the run stops there). */
  readonly hit?: Hit
  /** Why the run ended without a hit. */
  readonly end?: "schedule" | "deadlock" | "pruned"
}

export interface WalkHooks<S> {
  /** False lets a run continue past goals (reported through `onGoal`). */
  readonly stopAtGoal?: boolean
  /** Sees every state reached (for counting distinct states). */
  readonly onState?: (s: S) => void
  readonly onGoal?: (h: Hit) => void
  /** Runs before a state is expanded; a hit ends the run (the determinism check). */
  readonly beforeExpand?: (s: S) => Hit | undefined
}

/**
 * `pickInitial(n)` chooses among the n initial states; `pick(n, k, labels, nexts)` among the n enabled
 * steps at step k (guided schedulers look at the labels and next states).
 */
export const walk = <S, L>(
  system: TransitionSystem<S, L>,
  length: number,
  pickInitial: (n: number) => number,
  pick: (n: number, k: number, labels: ReadonlyArray<L>, nexts: ReadonlyArray<S>) => number,
  props: PropertySet<S, L> = new Properties(system),
  hooks: WalkHooks<S> = {}
): Walk<S, L> => {
  const inits = system.initial()
  const initialIndex = pickInitial(inits.length)
  const initial = inits[initialIndex]!
  const steps: Array<TraceStep<S, L>> = []
  const stopAtGoal = hooks.stopAtGoal ?? true
  const accept = (h: Hit | undefined): Hit | undefined => {
    if (h && h.kind === "goal" && !stopAtGoal) {
      hooks.onGoal?.(h)
      return undefined
    }
    return h
  }
  const result = (hit: Hit | undefined, end?: Walk<S, L>["end"]): Walk<S, L> => ({
    path: { initialIndex, initial, steps },
    ...(hit ? { hit } : {}),
    ...(end ? { end } : {}),
  })
  hooks.onState?.(initial)
  let hit = accept(props.checkState(initial))
  if (hit) return result(hit)
  let state = initial
  const labels: L[] = []
  const nexts: S[] = []
  const emit = (label: L, next: S) => {
    labels.push(label)
    nexts.push(next)
  }
  for (let step = 0; step < length; step++) {
    if (props.pruned(state)) return result(undefined, "pruned")
    const bad = hooks.beforeExpand?.(state)
    if (bad) return result(bad)
    labels.length = 0
    nexts.length = 0
    system.successors(state, emit)
    if (nexts.length === 0) return result(undefined, "deadlock")
    const k = pick(nexts.length, step, labels, nexts)
    const label = labels[k]!
    const next = nexts[k]!
    steps.push({ label, text: system.formatLabel(label), state: next })
    hooks.onState?.(next)
    hit = accept(props.checkStep(state, label, next) ?? props.checkState(next))
    if (hit) return result(hit)
    state = next
  }
  return result(undefined, "schedule")
}
