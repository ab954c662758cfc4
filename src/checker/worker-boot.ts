/**
 * The code a worker thread evaluates to load its entry module, a sibling of the caller named without
 * extension. From the build (dist/) it imports the .js entry directly. From sources (.ts) it imports
 * the built twin of the entry when the build is fresh (no .ts under src/, spec/ or proofs/ newer than
 * it, bin/tla-ts.js's rule): the same code, without tsx, whose loader costs a worker about 0.3 CPU
 * seconds and a second of wall-clock time to start on this machine -- a large share of a search of a
 * million states. Otherwise the worker first registers tsx's loader (Node 20 loads a worker's entry
 * before an inherited `--import tsx` hook is registered).
 *
 * A module URL that the worker imports later (the model loader of parallel BFS) goes through
 * `moduleFor`, so that a worker booted from the build never loads a source twin beside it.
 */
import { existsSync, readdirSync, statSync } from "node:fs"
import { join, relative, sep } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { fromPackageRoot, PACKAGE_ROOT } from "../package-root.ts"

const BUILT_MAIN = fromPackageRoot("dist", "src", "cli", "main.js")

const newerThan = (dir: string, t: number): boolean =>
  readdirSync(dir, { withFileTypes: true }).some((e) =>
    e.isDirectory() ? newerThan(join(dir, e.name), t) : e.name.endsWith(".ts") && statSync(join(dir, e.name)).mtimeMs > t
  )

let fresh: boolean | undefined
/** The build exists and no source is newer than it (checked once per process). */
const buildIsFresh = (): boolean =>
  (fresh ??=
    existsSync(BUILT_MAIN) &&
    ["src", "spec", "proofs"].every((d) => {
      const dir = fromPackageRoot(d)
      return !existsSync(dir) || !newerThan(dir, statSync(BUILT_MAIN).mtimeMs)
    }))

/** The built twin of a source module of this package (src/, spec/, proofs/), when the build is fresh. */
const builtTwin = (url: string): string | undefined => {
  if (!url.startsWith("file:") || !url.endsWith(".ts")) return undefined
  const rel = relative(PACKAGE_ROOT, fileURLToPath(url))
  if (!["src", "spec", "proofs"].includes(rel.split(sep)[0]!) || !buildIsFresh()) return undefined
  const js = fromPackageRoot("dist", rel.replace(/\.ts$/, ".js"))
  return existsSync(js) ? pathToFileURL(js).href : undefined
}

export interface WorkerBoot {
  /** The code to evaluate (`new Worker(code, { eval: true })`). */
  readonly code: string
  /** The URL the worker should import for a module URL of the caller's (its built twin when the worker runs the build). */
  readonly moduleFor: (url: string) => string
}

/**
 * How a worker starts. `modules`: every module URL the worker will import besides its entry's own
 * imports (it runs the build only when each has a built twin); absent when they are not known at boot
 * (the worker then keeps tsx, which loads any source).
 */
export const workerBoot = (callerUrl: string, name: string, modules?: ReadonlyArray<string>): WorkerBoot => {
  const entry = new URL(`./${name}${callerUrl.endsWith(".ts") ? ".ts" : ".js"}`, callerUrl).href
  if (!entry.endsWith(".ts")) return { code: `import(${JSON.stringify(entry)})`, moduleFor: (url) => url }
  const twin = modules && builtTwin(entry)
  const twins = modules?.map((m) => (m.endsWith(".ts") ? builtTwin(m) : m))
  if (modules && twin !== undefined && twins!.every((t) => t !== undefined))
    return { code: `import(${JSON.stringify(twin)})`, moduleFor: (url) => twins![modules.indexOf(url)] ?? url }
  return {
    code: `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}) })`,
    moduleFor: (url) => url,
  }
}
