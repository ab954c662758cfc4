/**
 * The layering rule (issue 8 item 6), checked in .ci/run: spec <- protocol -> transition system ->
 * checker -> trace -> viewer, and the registry and the CLI on top. Reads every static, re-export and
 * dynamic import of the project's TypeScript and reports each edge a rule forbids.
 * `npm run layers` (exit 1 on a violation).
 */
import { readdirSync, readFileSync } from "node:fs"
import { dirname, join, normalize, relative } from "node:path"
import { fileURLToPath } from "node:url"

export interface Rule {
  readonly name: string
  /** Files the rule constrains (repo-relative, forward slashes). */
  readonly from: RegExp
  /** Targets they may not import... */
  readonly forbidden?: RegExp
  /** ...or, instead, the only targets they may import (besides themselves' folder, node builtins and packages when allowed). */
  readonly only?: RegExp
}

export const RULES: ReadonlyArray<Rule> = [
  { name: "the checker knows no protocol, DSL or registry", from: /^src\/checker\//, forbidden: /^src\/(registry|protocols|core|cli|runtime|viewer)\// },
  { name: "spec/ imports only the transition-system interface and hashing", from: /^spec\//, only: /^(spec\/|src\/checker\/(transition-system|hash|plain)\.ts$)/ },
  { name: "the CLI knows no world internals", from: /^src\/cli\//, forbidden: /^src\/(core|protocols)\// },
  { name: "only the CLI, the viewer's one door and the public API know the registry", from: /^(src|spec|proofs)\/(?!cli\/|registry\/|api\/|index\.ts$|viewer\/registry\.ts$)/, forbidden: /^src\/registry\// },
  { name: "the DSL knows no protocol, CLI or registry", from: /^src\/core\//, forbidden: /^src\/(protocols|cli|registry)\// },
  { name: "protocols do not reach up into the CLI or registry", from: /^src\/protocols\//, forbidden: /^src\/(cli|registry)\// },
  { name: "tests do not import benchmarks", from: /^test\//, forbidden: /^bench\// },
]

/**
 * Temporary exceptions, each an edge (importer -> imported) that another owner is removing. Remove an
 * entry as soon as the edge is gone: a listed edge that no longer exists is reported too.
 */
export const EXCEPTIONS: ReadonlyArray<{ readonly from: string; readonly to: string; readonly why: string }> = [
]

const IMPORT = /(?:^|[\s;}])(?:import|export)\s[^"'`;]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm

/** Relative import targets of one file's source, resolved to repo-relative paths. */
export const importsOf = (file: string, source: string): string[] => {
  const out: string[] = []
  for (const m of source.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3]!
    if (spec.startsWith(".")) out.push(normalize(join(dirname(file), spec)).split("\\").join("/"))
  }
  return out
}

export interface Violation {
  readonly rule: string
  readonly from: string
  readonly to: string
}

/** Every forbidden edge among `files` (repo-relative path -> source text), exceptions applied. */
export const checkLayers = (files: ReadonlyMap<string, string>, rules = RULES, exceptions = EXCEPTIONS): { violations: Violation[]; staleExceptions: string[] } => {
  const violations: Violation[] = []
  const used = new Set<string>()
  for (const [file, source] of files)
    for (const to of importsOf(file, source))
      for (const rule of rules) {
        if (!rule.from.test(file)) continue
        const bad = rule.forbidden ? rule.forbidden.test(to) : rule.only ? !rule.only.test(to) : false
        if (!bad) continue
        const exception = exceptions.find((e) => e.from === file && e.to === to)
        if (exception) used.add(`${exception.from} -> ${exception.to}`)
        else violations.push({ rule: rule.name, from: file, to })
        break // one report per edge, under the first rule it breaks
      }
  const staleExceptions = exceptions.map((e) => `${e.from} -> ${e.to}`).filter((e) => !used.has(e))
  return { violations, staleExceptions }
}

const ROOT = fileURLToPath(new URL("../", import.meta.url))
const FOLDERS = ["src", "spec", "proofs", "test", "bench"]

export const projectFiles = (root = ROOT): Map<string, string> => {
  const files = new Map<string, string>()
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (/\.ts$/.test(e.name) && !/\.d\.ts$/.test(e.name)) files.set(relative(root, p).split("\\").join("/"), readFileSync(p, "utf8"))
    }
  }
  for (const f of FOLDERS) {
    try {
      walk(join(root, f))
    } catch {
      // a folder the project does not have
    }
  }
  return files
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = projectFiles()
  const { violations, staleExceptions } = checkLayers(files)
  for (const v of violations) console.error(`layers: ${v.from} imports ${v.to}: ${v.rule}`)
  for (const e of staleExceptions) console.error(`layers: exception ${e} no longer needed: remove it from tools/layers.ts`)
  console.log(`layers: ${files.size} files, ${violations.length} violation(s), ${EXCEPTIONS.length - staleExceptions.length} temporary exception(s) in use`)
  process.exitCode = violations.length || staleExceptions.length ? 1 : 0
}
