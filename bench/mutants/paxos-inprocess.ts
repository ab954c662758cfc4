/**
 * run.ts's Paxos pass in one process, for a machine too loaded for a process per test (each CLI run pays
 * its start-up, and wall-clock time limits then judge the load, not the test):
 * `node --import tsx bench/mutants/paxos-inprocess.ts [--root DIR] [--only a,b] [--all-tests a,b]
 * [--then c,d] [--seconds S] [--seed S] [--out FILE]`.
 *
 * For each mutant it copies the sources of --root (default this checkout) to a temporary directory,
 * applies the mutant's edits there, imports the mutated model and explores its named tests with seed 1 (or --seed)
 * and each test's options (as test/protocols/mutant-tree.ts does): every one of --all-tests, then
 * --then in order until one catches it. A test catches a mutant when its verdict is not the one it
 * expects or it throws; `--seconds` caps each test (maxSeconds, a "timeout" when hit without a
 * verdict). Prints JSON as run.ts does, with each test's CPU seconds beside its wall seconds.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { explore } from "../../src/checker/explore.ts"
import { applyEdits, type TestRun } from "./mutant.ts"
import { PAXOS_MUTANTS } from "./paxos.ts"

const HERE = resolve(import.meta.dirname, "../..")
const args = process.argv.slice(2)
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name)
  return i < 0 ? undefined : args[i + 1]
}
const usage = (msg: string): never => {
  console.error(`paxos-inprocess: ${msg}`)
  process.exit(2)
}
const ROOT = resolve(flag("--root") ?? HERE)
const only = flag("--only")?.split(",")
const allTests = flag("--all-tests")?.split(",") ?? []
const then = flag("--then")?.split(",") ?? []
const seconds = Number(flag("--seconds") ?? 60)
const out = flag("--out")
// --seed S: the seed every test runs under, overriding a seed pinned in its options (as `tla-ts test --seed S` does); default 1.
const seedFlag = flag("--seed")
const seed = Number(seedFlag ?? 1)
if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) usage("--seed must be an integer in [0, 2^32)")
if (!Number.isFinite(seconds) || seconds <= 0) usage("--seconds must be a positive number")
const mutants = only ? PAXOS_MUTANTS.filter((m) => only.includes(m.name)) : PAXOS_MUTANTS
for (const n of only ?? []) if (!PAXOS_MUTANTS.some((m) => m.name === n)) usage(`unknown mutant "${n}"`)

type Run = TestRun & { readonly cpuSeconds: number }

const base = mkdtempSync(join(tmpdir(), "tla-mutants-inprocess-"))
const report: Record<string, unknown> = {}
let caught = 0
for (const m of [{ name: "unmutated", description: "the sources as they are", edits: [] }, ...mutants]) {
  const dir = join(base, m.name)
  for (const d of ["src", "spec"]) cpSync(join(ROOT, d), join(dir, d), { recursive: true })
  cpSync(join(ROOT, "package.json"), join(dir, "package.json"))
  symlinkSync(join(HERE, "node_modules"), join(dir, "node_modules"))
  for (const [file, text] of applyEdits(m.edits, (f) => readFileSync(join(ROOT, f), "utf8"))) writeFileSync(join(dir, file), text)
  const tests = (await import(join(dir, "src/protocols/paxos/model.ts"))).PAXOS_TESTS as Record<string, any>
  const runs: Run[] = []
  const run = (name: string): Run => {
    const t = tests[name] ?? usage(`unknown test "${name}"`)
    const wall = performance.now()
    const cpu = process.cpuUsage()
    let r: Run
    try {
      const res = explore(t.build({}, seed), { seed, ...t.options, ...(seedFlag === undefined ? {} : { seed }), maxSeconds: Math.min(seconds, t.options?.maxSeconds ?? Infinity) })
      const s = Math.round((performance.now() - wall) / 100) / 10
      const c = Math.round((process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1e5) / 10
      const expected = t.expect ?? "ok"
      const timedOut = res.verdict !== expected && res.verdict !== "violation" && res.seconds >= seconds * 0.98
      r = {
        test: name,
        outcome: timedOut ? "timeout" : res.verdict === expected ? "passed" : "caught",
        verdict: res.verdict,
        ...(res.property ? { property: res.property } : {}),
        ...(res.path ? { traceLength: res.path.steps.length } : {}),
        seconds: s,
        cpuSeconds: c,
      }
    } catch (e) {
      r = { test: name, outcome: "crashed", property: String((e as Error).message).slice(0, 200), seconds: Math.round((performance.now() - wall) / 100) / 10, cpuSeconds: 0 }
    }
    process.stderr.write(`${m.name} ${name}: ${r.outcome} ${r.verdict ?? ""} ${r.property ?? ""} len ${r.traceLength ?? "-"} ${r.seconds}s cpu ${r.cpuSeconds}s\n`)
    return r
  }
  for (const t of allTests) runs.push(run(t))
  if (m.name !== "unmutated") for (const t of then) if (!runs.some((r) => r.outcome === "caught" || r.outcome === "crashed")) runs.push(run(t))
  const by = runs.filter((r) => r.outcome === "caught" || r.outcome === "crashed")
  const shortest = [...by].sort((a, b) => (a.traceLength ?? Infinity) - (b.traceLength ?? Infinity))[0]
  if (m.name === "unmutated") report[m.name] = { falseAlarms: by.map((r) => r.test), runs }
  else {
    if (shortest) caught++
    report[m.name] = {
      description: m.description,
      caught: shortest !== undefined,
      ...(shortest ? { shortest: { by: shortest.test, property: shortest.property, traceLength: shortest.traceLength } } : {}),
      cpuSecondsToCatch: Math.round(runs.reduce((a, r) => a + r.cpuSeconds, 0) * 10) / 10,
      runs,
    }
  }
  rmSync(dir, { recursive: true, force: true })
}
rmSync(base, { recursive: true, force: true })
const text = JSON.stringify({ protocol: "paxos", root: ROOT, seed, secondsPerTest: seconds, allTests, then, caught: `${caught}/${mutants.length}`, mutants: report }, null, 1)
if (out) writeFileSync(out, text + "\n")
console.log(text)
