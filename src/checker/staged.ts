/**
 * Systems that follow a path, and staged searches, as DSLabs runs them: one BFS reaches a goal state
 * (a situation that exhaustive search from the start would reach only past its budget, such as a
 * follower left behind the leader's snapshot, or a server back in a later view with older messages
 * still in flight), and the next searches on from that state. The result is one system to search:
 * along the earlier stages' path it takes exactly that path's steps, and from its last state every
 * step, so its traces start at the initial state and replay on the unstaged system. The swarm
 * (core/swarm.ts) hands back its minimised counterexamples as path systems.
 */
import { explore } from "./explore.ts"
import type { CheckOptions, Path } from "./result.ts"
import { type StateProperty, type TransitionSystem, withProperties } from "./transition-system.ts"

/**
 * `system` along `path`: one successor per state on it; from any other state every step (`rest`) or
 * none. With `rest`, the system's prunes do not apply to the path's states (an earlier stage may have
 * taken steps that a later one prunes); its invariants do.
 */
const alongPath = <S, L>(system: TransitionSystem<S, L>, path: Path<S, L>, rest: boolean): TransitionSystem<S, L> => {
  const next = new Map<S, { readonly label: L; readonly state: S }>()
  let at = path.initial
  for (const step of path.steps) {
    next.set(at, { label: step.label, state: step.state })
    at = step.state
  }
  const onPath = (s: S) => s === at || next.has(s)
  const out = Object.create(system) as TransitionSystem<S, L>
  if (rest) {
    const properties = system.properties.map((p) => (p.kind === "prune" ? { ...p, holds: (s: S) => !onPath(s) && p.holds(s) } : p))
    Object.defineProperty(out, "properties", { value: properties })
  }
  Object.defineProperty(out, "initial", { value: () => [path.initial] })
  Object.defineProperty(out, "successors", {
    value: (s: S, emit: (l: L, n: S) => void) => {
      const step = next.get(s)
      if (step) emit(step.label, step.state)
      else if (rest) system.successors(s, emit)
    },
  })
  return out
}

/**
 * `system` along one path only: from each state of `path` the one step the path takes (the same labels
 * and states). The path must not come back to a state it passed (`withoutCycles` in core/swarm.ts): a
 * search would take the second visit for the first and stop there.
 */
export const pathSystem = <S, L>(system: TransitionSystem<S, L>, path: Path<S, L>): TransitionSystem<S, L> => alongPath(system, path, false)

/**
 * `system` that first takes the steps of `path`, then, from its last state, every step: a later stage
 * of a staged search, whose traces start from the initial state and so replay on `system` itself. A
 * state of the path met again later is not expanded again.
 */
export const afterPath = <S, L>(system: TransitionSystem<S, L>, path: Path<S, L>): TransitionSystem<S, L> => alongPath(system, path, true)


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
    const r = explore(afterPath(withGoal(stage), prefix), { ...budget, strategy: "bfs", minimise: false, checkDeterminism: false })
    if (r.verdict === "violation" && r.path) return afterPath(withGoal(last), r.path)
    if (r.verdict !== "goal-found" || !r.path) {
      const out = Object.create(withGoal(last)) as TransitionSystem<S, L>
      Object.defineProperty(out, "successors", { value: () => {} })
      return out
    }
    prefix = r.path
  }
  return afterPath(withGoal(last), prefix)
}
