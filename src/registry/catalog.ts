/**
 * What `tla-ts list` shows, without loading a model: the build writes every built-in model's
 * description, parameters and named tests to catalog.json beside the built registry, so listing
 * does not import every protocol. From sources (no catalog beside this file) the models are loaded.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import type { Model, ParamSpec } from "../checker/model.ts"
import type { Strategy, Verdict } from "../checker/result.ts"
import { loadModels } from "./index.ts"

export interface ModelInfo {
  readonly name: string
  readonly description: string
  readonly params: Readonly<Record<string, ParamSpec>>
  readonly tests: Readonly<Record<string, { readonly description: string; readonly expect?: Verdict; readonly strategy?: Strategy }>>
}

export const describeModel = (m: Model): ModelInfo => ({
  name: m.name,
  description: m.description,
  params: m.params,
  tests: Object.fromEntries(
    Object.entries(m.tests).map(([k, t]) => [k, { description: t.description, ...(t.expect ? { expect: t.expect } : {}), ...(t.options?.strategy ? { strategy: t.options.strategy } : {}) }])
  ),
})

const CATALOG = fileURLToPath(new URL("./catalog.json", import.meta.url))

export const builtinCatalog = async (): Promise<ModelInfo[]> =>
  existsSync(CATALOG) ? (JSON.parse(readFileSync(CATALOG, "utf8")) as ModelInfo[]) : (await loadModels()).map(describeModel)

/** Run by the build (`node dist/src/registry/catalog.js`): writes catalog.json from the built models. */
if (process.argv[1] === fileURLToPath(import.meta.url)) writeFileSync(CATALOG, JSON.stringify((await loadModels()).map(describeModel)) + "\n")
