/**
 * User models: a module (`.ts` through tsx, `.js`/`.mjs` as is) that exports a model, by default export
 * or as the one export that is a model. Every problem is one ModelFileError naming the file.
 */
import { existsSync } from "node:fs"
import { resolve } from "node:path"
import { pathToFileURL } from "node:url"
import type { Model } from "../checker/model.ts"
import { STRATEGIES, type Verdict } from "../checker/result.ts"
import { ModelFileError } from "../errors.ts"

const SCRIPT = /\.(?:[cm]?[jt]s|tsx|jsx)$/
const TYPESCRIPT = /\.(?:[cm]?ts|tsx)$/
const VERDICTS: ReadonlyArray<Verdict> = ["ok", "violation", "goal-found", "goal-not-found", "budget-exhausted"]

/** A model reference is a file when it has a path separator or a script ending. */
export const isModelFile = (ref: string): boolean => /[\\/]/.test(ref) || SCRIPT.test(ref)

/** The line of an error that says what is wrong (esbuild heads its compile errors with a count). */
const firstLine = (e: unknown) => {
  const lines = (e instanceof Error ? e.message : String(e)).split("\n").map((l) => l.trim()).filter((l) => l !== "" && !/^Transform failed with \d+ errors?:?$/.test(l))
  return lines[0] ?? "unknown error"
}

/** What is wrong with a value meant to be a model, or undefined when it is one. */
export const modelProblem = (m: unknown): string | undefined => {
  if (typeof m !== "object" || m === null) return "it is not an object"
  const o = m as Record<string, unknown>
  if (typeof o.name !== "string" || o.name === "") return `"name" must be a non-empty string`
  if (typeof o.build !== "function") return `"build" must be a function (params, seed) => transition system`
  if (typeof o.description !== "string") return `"description" must be a string`
  if (typeof o.params !== "object" || o.params === null) return `"params" must be an object`
  for (const [k, p] of Object.entries(o.params))
    if (typeof p !== "object" || p === null || typeof (p as { default?: unknown }).default !== "string") return `parameter "${k}" must have a string "default"`
  if (typeof o.tests !== "object" || o.tests === null) return `"tests" must be an object`
  for (const [k, t] of Object.entries(o.tests)) {
    if (typeof t !== "object" || t === null) return `test "${k}" is not an object`
    const test = t as Record<string, unknown>
    if (typeof test.build !== "function") return `test "${k}": "build" must be a function`
    if (test.expect !== undefined && !VERDICTS.includes(test.expect as Verdict)) return `test "${k}": "expect" must be one of ${VERDICTS.join(", ")}`
    const strategy = (test.options as { strategy?: unknown } | undefined)?.strategy
    if (strategy !== undefined && !STRATEGIES.includes(strategy as never)) return `test "${k}": strategy must be one of ${STRATEGIES.join(", ")}`
  }
  return undefined
}

const looksLikeModel = (v: unknown) => typeof v === "object" && v !== null && "build" in v && "tests" in v

/** Loads the model a file exports; TypeScript goes through tsx, loaded only for TypeScript files. */
export const loadModelFile = async (file: string): Promise<Model> => {
  const abs = resolve(file)
  if (!existsSync(abs)) throw new ModelFileError(`model file ${file} does not exist`)
  const url = pathToFileURL(abs).href
  let mod: Record<string, unknown>
  try {
    mod = TYPESCRIPT.test(abs) ? await (await import("tsx/esm/api")).tsImport(url, import.meta.url) : await import(url)
  } catch (e) {
    throw new ModelFileError(`model file ${file} does not load: ${firstLine(e)}`)
  }
  const candidates = "default" in mod ? [["default", mod.default] as const] : Object.entries(mod).filter(([, v]) => looksLikeModel(v))
  if (candidates.length === 0) throw new ModelFileError(`model file ${file} exports no model (export default defineModel({...}))`)
  if (candidates.length > 1) throw new ModelFileError(`model file ${file} exports several models (${candidates.map(([k]) => k).join(", ")}): export one as default`)
  const [name, model] = candidates[0]!
  const problem = modelProblem(model)
  if (problem) throw new ModelFileError(`model file ${file}: export "${name}" is not a model: ${problem}`)
  return model as Model
}
