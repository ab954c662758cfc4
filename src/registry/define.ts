/**
 * `defineModel`: a user's model with typed parameters, named tests and expected verdicts, the same
 * shape the built-in models have. Export it as a module's default export and point the CLI at the
 * file: `tla-ts check ./model.ts --test NAME`, `tla-ts test ./model.ts`.
 */
import type { Model, NamedTest, ParamSpec, Params } from "../checker/model.ts"
import type { CheckOptions, Verdict } from "../checker/result.ts"
import type { TransitionSystem } from "../checker/transition-system.ts"
import { ParamError } from "../errors.ts"

/** A whole-number parameter (`--param n=3`), checked against its bounds before any build. */
export interface IntParamDef {
  readonly default: number
  readonly min?: number
  readonly max?: number
  readonly description?: string
}

/** A parameter taken as text, optionally one of a few choices. */
export interface TextParamDef {
  readonly default: string
  readonly choices?: ReadonlyArray<string>
  readonly description?: string
}

export type ParamDefs = Readonly<Record<string, IntParamDef | TextParamDef>>

/** The parameter values a build receives: numbers for whole-number parameters, text otherwise. */
export type ParamValues<P extends ParamDefs> = { readonly [K in keyof P]: P[K] extends IntParamDef ? number : string }

export type Build<P extends ParamDefs> = (params: ParamValues<P>, seed: number) => TransitionSystem<any, any>

export interface TestDef<P extends ParamDefs> {
  readonly description?: string
  /** The system this test checks (default: the model's own build). */
  readonly build?: Build<P>
  /** Search settings (strategy, budgets, samples...) unless the command line overrides them. */
  readonly options?: CheckOptions
  /** The verdict the test must give; `tla-ts test` fails on any other. */
  readonly expect?: Verdict
}

export interface ModelDef<P extends ParamDefs> {
  readonly name: string
  readonly description?: string
  readonly params?: P
  readonly build: Build<P>
  readonly tests?: Readonly<Record<string, TestDef<P>>>
}

const isInt = (d: IntParamDef | TextParamDef): d is IntParamDef => typeof d.default === "number"

const paramSpec = (d: IntParamDef | TextParamDef): ParamSpec => {
  if (!isInt(d)) return { default: d.default, description: d.description ?? (d.choices ? `one of ${d.choices.join(", ")}` : ""), ...(d.choices ? { choices: d.choices } : {}) }
  const min = d.min ?? 0
  const max = d.max ?? Number.MAX_SAFE_INTEGER
  if (!Number.isSafeInteger(d.default) || d.default < min || d.default > max) throw new ParamError(`default ${d.default} is not a whole number within ${min}..${max}`)
  return { default: String(d.default), description: d.description ?? "", int: { min, max } }
}

/**
 * The checked text values as typed ones (resolveParams has validated bounds and choices), read
 * lazily: a value is read from `raw` only when the build uses it, so a parameter it ignores is
 * still reported as having no effect.
 */
const typed = <P extends ParamDefs>(defs: P, raw: Params): ParamValues<P> => {
  const out = {}
  for (const [k, d] of Object.entries(defs))
    Object.defineProperty(out, k, { enumerable: true, get: () => (isInt(d) ? Number(raw[k] ?? d.default) : (raw[k] ?? d.default)) })
  return out as ParamValues<P>
}

export const defineModel = <const P extends ParamDefs = {}>(def: ModelDef<P>): Model => {
  const defs = (def.params ?? {}) as P
  const params: Record<string, ParamSpec> = {}
  for (const [k, d] of Object.entries(defs)) params[k] = paramSpec(d)
  const wrap =
    (build: Build<P>) =>
    (raw: Params, seed: number): TransitionSystem<any, any> =>
      build(typed(defs, raw), seed)
  const tests: Record<string, NamedTest> = {}
  for (const [k, t] of Object.entries(def.tests ?? {}))
    tests[k] = {
      description: t.description ?? k,
      build: wrap(t.build ?? def.build),
      ...(t.options ? { options: t.options } : {}),
      ...(t.expect ? { expect: t.expect } : {}),
    }
  return { name: def.name, description: def.description ?? def.name, params, build: wrap(def.build), tests }
}
