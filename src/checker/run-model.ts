/**
 * Runs a model or one of its named tests: resolves and validates parameters, merges the test's own
 * search options under the caller's, fixes the seed (given, or fresh and reported), and dispatches to
 * the strategy. The CLI, `tla-ts prove`, `tla-ts test` and the tests all go through here. The model is
 * given, never looked up: the checker knows no registry. Parallel workers, which cannot receive
 * functions, load it by name from the module a ModelRef's `loader` names.
 */
import { ParamError } from "../errors.ts"
import { explore } from "./explore.ts"
import { reduced } from "./reductions.ts"
import { type Model, ModelError, type NamedTest, type Params } from "./model.ts"
import type { ModelRef } from "./parallel-protocol.ts"
import { freshSeed } from "./random.ts"
import type { CheckOptions, CheckResult, Verdict } from "./result.ts"
import type { TransitionSystem } from "./transition-system.ts"

export interface RunRequest {
  readonly params?: Params
  readonly test?: string
  readonly options?: CheckOptions
  /**
   * Reject a given parameter the build never reads (set where the user typed the parameters: a value
   * with no effect would pass vacuously). Not for parameters replayed from a trace, which lists them all.
   */
  readonly rejectUnusedParams?: boolean
}

export interface Prepared {
  readonly system: TransitionSystem<any, any>
  readonly options: CheckOptions
  readonly params: Params
  readonly seed: number
  readonly expect?: Verdict
}

export interface Run {
  readonly system: TransitionSystem<any, any>
  readonly result: CheckResult<any, any>
  readonly params: Params
  readonly seed: number
  readonly expect?: Verdict
}

/** A module that loads models by name (the registry); parallel workers import it by URL. */
export interface ModelLoader {
  readonly loadModel: (name: string) => Promise<Model>
}

/** A model's named test, or a clear error naming the tests it has. */
export const findTest = (model: Model, name: string | undefined): NamedTest | undefined => {
  if (name === undefined) return undefined
  if (!Object.hasOwn(model.tests, name)) throw new ModelError(`model ${model.name} has no test "${name}" (tests: ${Object.keys(model.tests).join(", ")})`)
  return model.tests[name]
}

const WHOLE = /^\d+$/

/** Fills defaults; rejects unknown parameters and values a whole-number parameter cannot take. */
export const resolveParams = (model: Model, given: Params): Params => {
  for (const k of Object.keys(given))
    if (!Object.hasOwn(model.params, k))
      throw new ModelError(
        `model ${model.name} has no parameter "${k}"` +
          (Object.keys(model.params).length ? ` (it has: ${Object.keys(model.params).join(", ")})` : " (it takes none)")
      )
  const out: Record<string, string> = {}
  for (const [k, spec] of Object.entries(model.params)) {
    const v = Object.hasOwn(given, k) ? given[k]! : spec.default
    const int = spec.int ?? (WHOLE.test(spec.default) ? { min: 0, max: Number.MAX_SAFE_INTEGER } : undefined)
    if (int && v !== "") {
      if (!WHOLE.test(v)) throw new ParamError(`parameter ${k} must be a whole number, got "${v}" (model ${model.name})`)
      if (Number(v) < int.min || Number(v) > int.max) throw new ParamError(`parameter ${k} must be between ${int.min} and ${int.max}, got ${v} (model ${model.name})`)
    }
    if (spec.choices && !spec.choices.includes(v)) throw new ParamError(`parameter ${k} must be one of ${spec.choices.join(", ")}, got "${v}" (model ${model.name})`)
    out[k] = v
  }
  return out
}

/**
 * Builds a system and rejects a given parameter the build never read: a value that has no effect
 * would otherwise pass vacuously.
 */
const buildChecked = (model: Model, test: NamedTest | undefined, testName: string | undefined, params: Params, given: Params, seed: number) => {
  const read = new Set<string>()
  const tracked = new Proxy(params, {
    get: (target, key) => {
      if (typeof key === "string") read.add(key)
      return Reflect.get(target, key)
    },
    ownKeys: (target) => {
      for (const k of Object.keys(target)) read.add(k)
      return Reflect.ownKeys(target)
    },
  })
  const system = (test ?? model).build(tracked, seed) as TransitionSystem<any, any>
  for (const k of Object.keys(given))
    if (!read.has(k)) throw new ParamError(`parameter ${k} has no effect on ${model.name}${testName ? ` --test ${testName}` : ""}`)
  return system
}

/** Builds the system a request names, with the options it will run under. */
export const prepare = (model: Model, req: RunRequest = {}): Prepared => {
  const given = req.params ?? {}
  const params = resolveParams(model, given)
  const test = findTest(model, req.test)
  const options: CheckOptions = { ...(test?.options ?? {}), ...stripUndefined(req.options ?? {}) }
  const seed = options.seed ?? freshSeed()
  const system = req.rejectUnusedParams ? buildChecked(model, test, req.test, params, given, seed) : (test ?? model).build(params, seed)
  return { system, options: { ...options, seed }, params, seed, ...(test?.expect ? { expect: test.expect } : {}) }
}

export const runModel = (model: Model, req: RunRequest = {}): Run => {
  const p = prepare(model, req)
  return { system: p.system, result: explore(p.system, p.options), params: p.params, seed: p.seed, ...(p.expect ? { expect: p.expect } : {}) }
}

/** The system a ModelRef names, loaded through its loader module (for parallel workers). */
export const buildSystem = async (ref: ModelRef): Promise<TransitionSystem<unknown, unknown>> => {
  const loader = (await import(ref.loader)) as ModelLoader
  const model = await loader.loadModel(ref.model)
  const params = resolveParams(model, ref.params ?? {})
  const system = (findTest(model, ref.test) ?? model).build(params, ref.seed ?? 0) as TransitionSystem<unknown, unknown>
  return ref.symmetry ? reduced(system, { symmetry: true }) : system
}

const stripUndefined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
