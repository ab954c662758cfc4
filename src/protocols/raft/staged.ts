/**
 * Staged searches, as DSLabs runs them: one BFS reaches a goal state (a situation that exhaustive
 * search from the start would reach only past its budget, such as a follower left behind the leader's
 * snapshot), and a second BFS searches on from that state for what must still be possible there (the
 * follower catches up). The result is one system to search: along the first search's path it takes
 * exactly that path's steps, and from its last state every step, so its traces start at the initial
 * state and replay on the unstaged system.
 */
import { explore } from "../../checker/explore.ts"
import type { CheckOptions, Path } from "../../checker/result.ts"
import { type StateProperty, type TransitionSystem, withProperties } from "../../checker/transition-system.ts"

/**
 * `system` that follows `prefix` from its initial state, then takes every step from the prefix's last
 * state. The system's prunes do not apply to the prefix's states (an earlier stage may have taken
 * steps that this one prunes); its invariants do.
 */
export const searchOnFrom = <S, L>(system: TransitionSystem<S, L>, prefix: Path<S, L>): TransitionSystem<S, L> => {
  const next = new Map<S, { readonly label: L; readonly state: S }>()
  let at = prefix.initial
  for (const step of prefix.steps) {
    next.set(at, { label: step.label, state: step.state })
    at = step.state
  }
  const onPrefix = (s: S) => s === at || next.has(s)
  const properties = system.properties.map((p) => (p.kind === "prune" ? { ...p, holds: (s: S) => !onPrefix(s) && p.holds(s) } : p))
  const out = Object.create(system) as TransitionSystem<S, L>
  Object.defineProperty(out, "properties", { value: properties })
  Object.defineProperty(out, "initial", { value: () => [prefix.initial] })
  Object.defineProperty(out, "successors", {
    value: (s: S, emit: (l: L, n: S) => void) => {
      const step = next.get(s)
      if (step) emit(step.label, step.state)
      else system.successors(s, emit)
    },
  })
  return out
}

/** One stage: a system (a configuration: the same nodes, perhaps another network) and the goal to reach in it. */
export interface Stage<S, L> {
  readonly system: TransitionSystem<S, L>
  readonly goal: StateProperty<S>
}

/**
 * The staged system: BFS in each stage's system, from where the stage before it ended, to that stage's
 * goal (the system's invariants checked on the way); then `last` searches on from there with its own
 * goal. Every stage's steps must be steps of `last`'s system (a stage may cut a node off, say, where
 * `last` does not), so its traces replay there. When a stage breaks an invariant its path is kept (the
 * last search meets the violation on it); when a stage reaches no goal state, the staged system is the
 * initial state alone, so the last goal is not found.
 */
export const staged = <S, L>(stages: ReadonlyArray<Stage<S, L>>, last: Stage<S, L>, budget: CheckOptions): TransitionSystem<S, L> => {
  const withGoal = ({ system, goal }: Stage<S, L>) => withProperties(system, [...system.properties.filter((p) => p.kind !== "goal"), goal])
  let prefix: Path<S, L> = { initialIndex: 0, initial: last.system.initial()[0]!, steps: [] }
  for (const stage of stages) {
    const r = explore(searchOnFrom(withGoal(stage), prefix), { ...budget, strategy: "bfs", minimise: false, checkDeterminism: false })
    if (r.verdict === "violation" && r.path) return searchOnFrom(withGoal(last), r.path)
    if (r.verdict !== "goal-found" || !r.path) {
      const out = Object.create(withGoal(last)) as TransitionSystem<S, L>
      Object.defineProperty(out, "successors", { value: () => {} })
      return out
    }
    prefix = r.path
  }
  return searchOnFrom(withGoal(last), prefix)
}
