/** TwoPhase: TCConsistent holds in every reachable state, checked exhaustively for RM = 3..6. */
import type { Obligation } from "../src/checker/prove.ts"

export const obligations: ReadonlyArray<Obligation> = [3, 4, 5, 6].map((rm) => ({
  name: `TCConsistent in every reachable state, RM=${rm}`,
  model: "twophase",
  test: "exhaustive",
  params: { rm: String(rm) },
  expect: "ok" as const,
}))
