/**
 * A search in phases, for counterexamples deeper than one search reaches: each phase searches (with
 * its own strategy, budget and seed) from the state where the phase before it stopped, until its goal;
 * the last phase searches until a violation of the system's invariants. A phase may take only some
 * steps (`allows`: say, no crash until the scene is set). The phases' paths, joined, are minimised
 * on the whole system (delta debugging: a step the violation does not need goes, whichever phase took
 * it), so the counterexample replays on the system from its initial state.
 */
import { explore } from "./explore.ts"
import { minimisePath } from "./minimise.ts"
import type { CheckOptions, Path } from "./result.ts"
import { startingFrom, withProperties, type StateProperty, type TransitionSystem } from "./transition-system.ts"

export interface Phase<S, L> {
  /** Where the phase stops (none: at a violation, as the last phase does). */
  readonly goal?: StateProperty<S>
  /** Its strategy, budget and seed (it stops at its goal or at a violation). */
  readonly options: CheckOptions
  /** The steps it may take (default: all). */
  readonly allows?: (label: L) => boolean
}

export interface PhasedResult<S, L> {
  /** The minimised counterexample and the property it violates, when a phase found one. */
  readonly found?: { readonly path: Path<S, L>; readonly property: string; readonly unminimised: number }
  /** The phases whose goal was reached. */
  readonly reached: number
}

const only = <S, L>(system: TransitionSystem<S, L>, allows: (label: L) => boolean): TransitionSystem<S, L> => {
  const out = Object.create(system) as TransitionSystem<S, L>
  Object.defineProperty(out, "successors", { value: (s: S, emit: (l: L, n: S) => void) => system.successors(s, (l, n) => allows(l) && emit(l, n)) })
  return out
}

const lastState = <S, L>(p: Path<S, L>): S => (p.steps.length > 0 ? p.steps[p.steps.length - 1]!.state : p.initial)

export const searchInPhases = <S, L>(system: TransitionSystem<S, L>, phases: ReadonlyArray<Phase<S, L>>): PhasedResult<S, L> => {
  const invariants = system.properties.filter((p) => p.kind !== "goal")
  let at: Path<S, L> = { initialIndex: 0, initial: system.initial()[0]!, steps: [] }
  for (const [i, phase] of phases.entries()) {
    const from = startingFrom(phase.allows ? only(system, phase.allows) : system, [lastState(at)])
    const r = explore(withProperties(from, phase.goal ? [...invariants, phase.goal] : invariants), { ...phase.options, minimise: false, stopAtGoal: true })
    if (r.path === undefined || (r.verdict !== "violation" && r.verdict !== "goal-found")) return { reached: i }
    at = { ...at, steps: [...at.steps, ...r.path.steps] }
    if (r.verdict === "violation") {
      const property = r.property!
      return { found: { path: minimisePath(system, at, { kind: "violation", property }), property, unminimised: at.steps.length }, reached: i }
    }
  }
  return { reached: phases.length }
}
