/**
 * Runs a registered model or one of its named tests: resolves parameters, merges the test's own
 * search options under the caller's, fixes the seed (given, or fresh and reported), and dispatches to
 * the strategy. The CLI, `tla-ts prove` and the tests all go through here.
 */
import { loadModel } from "../models.ts"
import { explore } from "./explore.ts"
import { type Model, ModelError, type Params, resolveParams } from "./model.ts"
import { freshSeed } from "./random.ts"
import type { CheckOptions, CheckResult, Verdict } from "./result.ts"
import type { TransitionSystem } from "./transition-system.ts"

export interface RunRequest {
  readonly model: string
  readonly params?: Params
  readonly test?: string
  readonly options?: CheckOptions
}

export interface Run {
  readonly system: TransitionSystem<any, any>
  readonly result: CheckResult<any, any>
  readonly params: Params
  readonly seed: number
  readonly expect?: Verdict
}

/** A model's named test, or a clear error naming the tests it has. */
export const findTest = (model: Model, name: string | undefined) => {
  if (name === undefined) return undefined
  const test = model.tests[name]
  if (!test) throw new ModelError(`model ${model.name} has no test "${name}" (tests: ${Object.keys(model.tests).join(", ")})`)
  return test
}

/** The system of a model (or of one of its named tests) with the given parameters and seed. */
export const buildSystem = async (ref: { readonly model: string; readonly params?: Params; readonly test?: string; readonly seed?: number }) => {
  const model = await loadModel(ref.model)
  const params = resolveParams(model, ref.params ?? {})
  const test = findTest(model, ref.test)
  return (test ?? model).build(params, ref.seed ?? 0) as TransitionSystem<unknown, unknown>
}

/** Builds the system a request names, with the options it will run under. */
export const prepare = async (req: RunRequest): Promise<{ system: TransitionSystem<any, any>; options: CheckOptions; params: Params; seed: number; expect?: Verdict }> => {
  const model = await loadModel(req.model)
  const params = resolveParams(model, req.params ?? {})
  const test = findTest(model, req.test)
  const options: CheckOptions = { ...(test?.options ?? {}), ...stripUndefined(req.options ?? {}) }
  const seed = options.seed ?? freshSeed()
  const system = test ? test.build(params, seed) : model.build(params, seed)
  return { system, options: { ...options, seed }, params, seed, ...(test?.expect ? { expect: test.expect } : {}) }
}


export const runModel = async (req: RunRequest): Promise<Run> => {
  const p = await prepare(req)
  return { system: p.system, result: explore(p.system, p.options), params: p.params, seed: p.seed, ...(p.expect ? { expect: p.expect } : {}) }
}

const stripUndefined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
