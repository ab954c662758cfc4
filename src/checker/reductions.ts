/**
 * The state-space reductions a run asks for (`--symmetry`), applied to the system before any
 * strategy sees it, so that BFS, DFS and the parallel search's coordinator and workers all explore
 * the same reduced space.
 */
import type { CheckOptions } from "./result.ts"
import { SymmetryError, withSymmetry } from "./symmetry.ts"
import type { TransitionSystem } from "./transition-system.ts"

const REDUCED = ["bfs", "dfs"]

/** The system as the options reduce it; refuses (SymmetryError) a strategy the reduction does not serve. */
export const reduced = <S, L>(system: TransitionSystem<S, L>, options: Pick<CheckOptions, "symmetry" | "strategy">): TransitionSystem<S, L> => {
  if (!options.symmetry) return system
  const strategy = options.strategy ?? "bfs"
  if (!REDUCED.includes(strategy)) throw new SymmetryError(`--symmetry applies to bfs and dfs (and parallel bfs), not ${strategy}: a sampled run keeps no visited set to reduce`)
  return withSymmetry(system)
}
