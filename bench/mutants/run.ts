/**
 * Mutation runner: `node --import tsx bench/mutants/run.ts paxos [flags]`.
 *
 * For each mutant of the protocol's catalogue it copies the sources (src/, spec/, proofs/, bin/) to a
 * temporary directory, applies the mutant's edits there (the checkout is never touched), runs the
 * model's named tests through the CLI (`tla-ts check MODEL --test NAME --json`), each under a time
 * limit, and prints JSON: which test caught the mutant (an unexpected verdict or an error exit), with
 * what property, trace length and seconds. The unmutated protocol runs first: every test must pass
 * there, or the catalogue's results mean nothing (a false alarm is reported as such).
 *
 * Flags: --only a,b (mutants), --tests a,b (tests, in this order), --timeout S (per test, default 120),
 * --all (run every test on every mutant; default: stop at the first test that catches it),
 * --no-clean (skip the unmutated run), --out FILE (also write the JSON there), --root DIR (mutate the
 * sources of another tree, e.g. an older commit's `git archive`, to measure a catalogue before/after).
 */
import { spawnSync } from "node:child_process"
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { applyEdits, type Mutant, type TestRun } from "./mutant.ts"
import { PAXOS_MUTANTS } from "./paxos.ts"

const CATALOGUES: Record<string, { readonly model: string; readonly tests: () => Promise<ReadonlyArray<string>>; readonly mutants: ReadonlyArray<Mutant> }> = {
  paxos: {
    model: "paxos",
    tests: async () => Object.keys((await import("../../src/protocols/paxos/model.ts")).PAXOS_TESTS),
    mutants: PAXOS_MUTANTS,
  },
}

const HERE = resolve(import.meta.dirname, "../..")

const usage = (msg: string): never => {
  console.error(`mutants: ${msg}`)
  process.exit(2)
}

const args = process.argv.slice(2)
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name)
  if (i < 0) return undefined
  const v = args[i + 1]
  if (v === undefined || v.startsWith("--")) usage(`${name} needs a value`)
  args.splice(i, 2)
  return v
}
const bool = (name: string): boolean => {
  const i = args.indexOf(name)
  if (i >= 0) args.splice(i, 1)
  return i >= 0
}
const only = flag("--only")?.split(",")
const testsFlag = flag("--tests")?.split(",")
const timeout = Number(flag("--timeout") ?? 120)
const out = flag("--out")
/** The tree whose sources are copied and mutated (default this checkout; node_modules always from here). */
const ROOT = resolve(flag("--root") ?? HERE)
const all = bool("--all")
const noClean = bool("--no-clean")
if (!Number.isFinite(timeout) || timeout <= 0) usage("--timeout must be a positive number of seconds")
const protocol = args[0]
if (args.length !== 1 || protocol === undefined) usage(`usage: run.ts PROTOCOL [flags] (known: ${Object.keys(CATALOGUES).join(", ")})`)
const catalogue = CATALOGUES[protocol!] ?? usage(`unknown protocol "${protocol}" (known: ${Object.keys(CATALOGUES).join(", ")})`)
const known = await catalogue.tests()
const tests = testsFlag ?? known
for (const t of tests) if (!known.includes(t)) usage(`unknown test "${t}" of ${catalogue.model}`)
const mutants = only ? catalogue.mutants.filter((m) => only.includes(m.name)) : catalogue.mutants
for (const n of only ?? []) if (!catalogue.mutants.some((m) => m.name === n)) usage(`unknown mutant "${n}"`)


const base = mkdtempSync(join(tmpdir(), `tla-mutants-${protocol}-`))

/** A copy of the sources with `files` replaced: the tree a mutant's tests run in. */
const tree = (name: string, files: ReadonlyMap<string, string>): string => {
  const dir = join(base, name)
  mkdirSync(dir)
  for (const d of ["src", "spec", "proofs", "bin", "package.json", "tsconfig.json"]) if (existsSync(join(ROOT, d))) cpSync(join(ROOT, d), join(dir, d), { recursive: true })
  symlinkSync(join(HERE, "node_modules"), join(dir, "node_modules"))
  for (const [file, text] of files) writeFileSync(join(dir, file), text)
  return dir
}

const runTest = (dir: string, test: string): TestRun => {
  const t0 = performance.now()
  const r = spawnSync("nice", ["timeout", String(timeout), process.execPath, "bin/tla-ts.js", "check", catalogue.model, "--test", test, "--json"], {
    cwd: dir,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  })
  const seconds = Math.round((performance.now() - t0) / 100) / 10
  if (r.status === 124) return { test, outcome: "timeout", seconds }
  const line = r.stdout.trim().split("\n").reverse().find((l) => l.startsWith("{"))
  let json: { result?: string; property?: string; traceLength?: number; asExpected?: boolean } | undefined
  try {
    json = line ? JSON.parse(line) : undefined
  } catch {
    json = undefined
  }
  if (!json) return { test, outcome: r.status === 0 ? "passed" : "crashed", seconds, ...(r.status !== 0 ? { property: r.stderr.trim().split("\n")[0]?.slice(0, 200) ?? "" } : {}) }
  return {
    test,
    // A test that expects a violation exits 1 when it finds one: its JSON says whether that was expected.
    outcome: json.asExpected ? "passed" : "caught",
    ...(json.result ? { verdict: json.result } : {}),
    ...(json.property ? { property: json.property } : {}),
    ...(json.traceLength !== undefined ? { traceLength: json.traceLength } : {}),
    seconds,
  }
}

const progress = (s: string) => process.stderr.write(`mutants: ${s}\n`)
const result: Record<string, unknown> = { protocol, timeoutSeconds: timeout, tests }

if (!noClean) {
  const dir = tree("unmutated", new Map())
  const runs = tests.map((t) => {
    const r = runTest(dir, t)
    progress(`unmutated ${t}: ${r.outcome} ${r.seconds}s`)
    return r
  })
  result.unmutated = { falseAlarms: runs.filter((r) => r.outcome !== "passed").map((r) => r.test), runs }
}

const report: Record<string, unknown> = {}
let caught = 0
for (const m of mutants) {
  const files = applyEdits(m.edits, (f) => readFileSync(join(ROOT, f), "utf8"))
  const dir = tree(m.name, files)
  const runs: TestRun[] = []
  for (const t of tests) {
    const r = runTest(dir, t)
    progress(`${m.name} ${t}: ${r.outcome} ${r.verdict ?? ""} ${r.property ?? ""} len ${r.traceLength ?? "-"} ${r.seconds}s`)
    runs.push(r)
    if (r.outcome === "caught" && !all) break
  }
  const by = runs.filter((r) => r.outcome === "caught" || r.outcome === "crashed")
  const first = by.find((r) => r.outcome === "caught") ?? by[0]
  if (first) caught++
  report[m.name] = {
    description: m.description,
    ...(m.equivalent ? { equivalent: m.equivalent } : {}),
    caught: first !== undefined,
    ...(first ? { by: first.test, property: first.property, traceLength: first.traceLength, seconds: first.seconds } : {}),
    secondsToCatch: Math.round(runs.reduce((a, r) => a + r.seconds, 0) * 10) / 10,
    runs,
  }
  rmSync(dir, { recursive: true, force: true })
}
rmSync(base, { recursive: true, force: true })
const equivalent = mutants.filter((m) => m.equivalent).length
result.caught = `${caught}/${mutants.length}${equivalent ? ` (${equivalent} reviewed as equivalent)` : ""}`
result.mutants = report
const text = JSON.stringify(result, null, 1)
if (out) writeFileSync(out, text + "\n")
console.log(text)
