/**
 * A copy of the sources with one edit applied (a mutant of bench/mutants' catalogues, restated by the
 * test, since tests do not import benchmarks), for tests that show a search catching a bug that has no
 * planted-bug option: the protocol's server file is the one the hidden seeded-bug patches apply to, so
 * it gets no new option lines; the test imports the search from the mutated copy instead. The copy is
 * removed by `dispose`.
 */
import test from "ava"
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { explore } from "../../src/checker/explore.ts"
import type { Model } from "../../src/checker/model.ts"
import type { CheckResult } from "../../src/checker/result.ts"

const ROOT = new URL("../../", import.meta.url).pathname

export interface MutantTree {
  /** Imports `file` (a path from the repository root) from the mutated copy. */
  readonly load: <M>(file: string) => Promise<M>
  readonly dispose: () => void
}

/** An edit of one file: `search` must occur in it exactly once. */
export interface Edit {
  readonly file: string
  readonly search: string
  readonly replace: string
}

export const mutantTree = (edit: Edit): MutantTree => {
  const dir = mkdtempSync(join(tmpdir(), "tla-test-mutant-"))
  for (const d of ["src", "spec"]) cpSync(join(ROOT, d), join(dir, d), { recursive: true })
  cpSync(join(ROOT, "package.json"), join(dir, "package.json"))
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"))
  const text = readFileSync(join(dir, edit.file), "utf8")
  const parts = text.split(edit.search)
  if (parts.length !== 2) throw new Error(`${edit.file}: ${JSON.stringify(edit.search)} occurs ${parts.length - 1} times, not once`)
  writeFileSync(join(dir, edit.file), parts.join(edit.replace))
  return {
    load: async <M>(file: string) => (await import(join(dir, file))) as M,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/**
 * The result of the named test `test` of the model exported as `name` from `file`, in a copy of the
 * sources with `edit` applied (explored with seed 1 and the test's options; the copy removed after).
 */
export const exploreMutated = async (edit: Edit, file: string, name: string, test: string): Promise<CheckResult<unknown, unknown>> => {
  const tree = mutantTree(edit)
  try {
    const model = (await tree.load<Record<string, Model>>(file))[name]!
    const t = model.tests[test]
    if (t === undefined) throw new Error(`${file}: ${name} has no test ${test}`)
    return explore(t.build({}, 1), { seed: 1, ...t.options })
  } finally {
    tree.dispose()
  }
}

/** A named test of a model that a mutant breaks, and the property and the longest trace expected. */
export interface ShortTraceCase {
  readonly name: string
  readonly mutant: string
  readonly property: string
  readonly steps: number
}

/**
 * One ava test per case: in a copy with `mutants[case.mutant]` applied, the named test of the model
 * exported as `exported` from `file` finds a violation of the case's property in at most its steps.
 */
export const shortTraceTests = (label: string, file: string, exported: string, mutants: Record<string, Edit>, cases: ReadonlyArray<ShortTraceCase>): void => {
  for (const c of cases)
    test(`${label} ${c.name}: ${c.mutant} breaks ${c.property} in at most ${c.steps} steps`, async (t) => {
      const bad = await exploreMutated(mutants[c.mutant]!, file, exported, c.name)
      t.is(bad.verdict, "violation")
      t.is(bad.property, c.property)
      t.true(bad.path!.steps.length <= c.steps, `trace of ${bad.path!.steps.length} steps`)
    })
}
