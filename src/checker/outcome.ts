/** How every strategy turns what its search saw into a CheckResult: one verdict rule for all. */
import type { Hit } from "./properties.ts"
import type { CheckResult, Path, Strategy, Verdict } from "./result.ts"

export interface Outcome<S, L> {
  readonly strategy: Strategy
  /** The violation or goal the search stopped at. */
  readonly hit?: Hit | undefined
  /** A goal met when the search was told not to stop at goals. */
  readonly goalSeen?: Hit | undefined
  readonly hasGoals: boolean
  /** A budget (states, depth, time, samples) cut the search short. */
  readonly ranOut: boolean
  /** The whole reachable space (within maxDepth) was explored: exhaustive strategies only. */
  readonly complete: boolean
  readonly path?: Path<S, L> | undefined
  readonly detail?: string | undefined
  readonly distinct: number
  readonly generated: number
  /** Depth as TLC counts it: an initial state is at depth 1. */
  readonly depth: number
  readonly seconds: number
  readonly seed?: number | undefined
}

export const verdictOf = (o: Pick<Outcome<unknown, unknown>, "hit" | "goalSeen" | "hasGoals" | "ranOut">): Verdict =>
  o.hit
    ? o.hit.kind === "violation"
      ? "violation"
      : "goal-found"
    : o.goalSeen
      ? "goal-found"
      : o.ranOut
        ? "budget-exhausted"
        : o.hasGoals
          ? "goal-not-found"
          : "ok"

export const toResult = <S, L>(o: Outcome<S, L>): CheckResult<S, L> => {
  const final = o.hit ?? o.goalSeen
  const detail = final?.detail ?? o.detail
  return {
    verdict: verdictOf(o),
    strategy: o.strategy,
    ...(final ? { property: final.property } : {}),
    ...(detail ? { detail } : {}),
    ...(o.path ? { path: o.path } : {}),
    distinct: o.distinct,
    generated: o.generated,
    depth: o.depth,
    seconds: o.seconds,
    complete: o.complete,
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
  }
}

/**
 * The end of an exhaustive search (bfs, dfs, the partial-order-reduced bfs): complete when nothing was
 * hit and no budget cut it short, which is also when it did not run out.
 */
export const exhaustiveResult = <S, L>(o: Omit<Outcome<S, L>, "ranOut" | "complete"> & { readonly budgetHit: boolean }): CheckResult<S, L> => {
  const { budgetHit, ...rest } = o
  const complete = !o.hit && !budgetHit
  return toResult({ ...rest, ranOut: !complete, complete })
}
