/**
 * The viewer's one door to the model registry (which the package work moves from src/models.ts and
 * src/checker/run-model.ts to src/registry/): re-point this function and nothing else changes.
 */
import type { TransitionSystem } from "../checker/transition-system.ts"
import { prepare, type Run, runModel } from "../checker/run-model.ts"

export interface SystemRef {
  readonly model: string
  readonly params: Readonly<Record<string, string>>
  readonly test?: string
  readonly seed?: number
}

/** The system a model (or one of its named tests) builds, with its parameters resolved. */
export const buildSystem = async (ref: SystemRef): Promise<{ system: TransitionSystem<any, any>; params: Readonly<Record<string, string>> }> => {
  const { system, params } = await prepare({
    model: ref.model,
    params: ref.params,
    ...(ref.test ? { test: ref.test } : {}),
    options: ref.seed !== undefined ? { seed: ref.seed } : {},
  })
  return { system, params }
}

/** Runs a model's named test with its own search options (for the viewer's tests and benchmark). */
export const runTest = (ref: SystemRef & { readonly test: string }): Promise<Run> =>
  runModel({ model: ref.model, params: ref.params, test: ref.test, ...(ref.seed !== undefined ? { options: { seed: ref.seed } } : {}) })
