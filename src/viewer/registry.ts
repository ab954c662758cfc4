/** The viewer's one door to the model registry: the system a model (or one of its named tests) builds. */
import type { TransitionSystem } from "../checker/transition-system.ts"
import { prepare, type Run, runModel } from "../checker/run-model.ts"
import { loadModel } from "../registry/index.ts"

export interface SystemRef {
  readonly model: string
  readonly params: Readonly<Record<string, string>>
  readonly test?: string
  readonly seed?: number
}

const request = (ref: SystemRef) => ({
  params: ref.params,
  ...(ref.test ? { test: ref.test } : {}),
  options: ref.seed !== undefined ? { seed: ref.seed } : {},
})

/** The system a model (or one of its named tests) builds, with its parameters resolved. */
export const buildSystem = async (ref: SystemRef): Promise<{ system: TransitionSystem<any, any>; params: Readonly<Record<string, string>> }> => {
  const { system, params } = prepare(await loadModel(ref.model), request(ref))
  return { system, params }
}

/** Runs a model's named test with its own search options (for the viewer's tests and benchmark). */
export const runTest = async (ref: SystemRef & { readonly test: string }): Promise<Run> => runModel(await loadModel(ref.model), request(ref))
