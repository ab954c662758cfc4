/**
 * TwoPhase refines TCommit (the THEOREM TPSpec => TC!TCSpec of TwoPhase.tla): the refinement mapping
 * keeps rmState and forgets the TM and the messages; every TwoPhase step must be a TCommit step or
 * a stutter.
 */
import { withProperties, type TransitionSystem } from "../checker/transition-system.ts"
import { tCommitPlain, type TCommitState } from "../../spec/tcommit-plain.ts"
import type { TwoPhaseLabel, TwoPhaseState } from "../../spec/twophase-plain.ts"
import { refines } from "./refinement.ts"

export const abstractTwoPhase = (s: TwoPhaseState): TCommitState => ({ rmState: s.rmState })

/** `system` (a plain TwoPhase with `rm` resource managers) with the refinement check as a step property. */
export const twoPhaseRefinesTCommit = (
  system: TransitionSystem<TwoPhaseState, TwoPhaseLabel>,
  rm: number
): TransitionSystem<TwoPhaseState, TwoPhaseLabel> =>
  withProperties(system, system.properties, [
    ...(system.stepProperties ?? []),
    refines<TwoPhaseState, TwoPhaseLabel, TCommitState>({ name: "RefinesTCommit", abs: abstractTwoPhase, spec: { system: tCommitPlain({ rm }) as TransitionSystem<TCommitState, unknown> } }),
  ])
