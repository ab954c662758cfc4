/**
 * run.ts's Paxos pass in one process, for a machine too loaded for a process per test (each CLI run pays
 * its start-up, and wall-clock time limits then judge the load, not the test):
 * `node --import tsx bench/mutants/paxos-inprocess.ts [--root DIR] [--only a,b] [--all-tests a,b]
 * [--then c,d] [--seconds S] [--seeds 1,2,3 | --seed S] [--out FILE]`.
 *
 * For each mutant it copies the sources of --root (default this checkout) to a temporary directory,
 * applies the mutant's edits there, imports the mutated model and explores its named tests with each
 * seed of --seeds (default 1) and each test's options, the seed given overriding a test's own as
 * `tla-ts test` does: every one of --all-tests, then --then in order until one catches it under that
 * seed. A test whose verdict cannot depend on the seed (BFS, a build that takes no seed) runs once and
 * counts for every seed. A test catches a mutant when its verdict is not the one it expects or it
 * throws; `--seconds` caps each test (maxSeconds, a "timeout" when hit without a verdict). Prints JSON
 * as run.ts does, with each test's CPU seconds beside its wall seconds and, per mutant, the seeds under
 * which the suite caught it.
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
// --seed S is --seeds S (one seed; wave 8's commands in paxos-session11.json use it).
const seeds = (flag("--seeds") ?? flag("--seed") ?? "1").split(",").map(Number)
if (seeds.some((n) => !Number.isInteger(n) || n < 0 || n > 0xffffffff)) usage("--seeds must be whole numbers below 2^32, comma-separated")
if (!Number.isFinite(seconds) || seconds <= 0) usage("--seconds must be a positive number")
const mutants = only ? PAXOS_MUTANTS.filter((m) => only.includes(m.name)) : PAXOS_MUTANTS
for (const n of only ?? []) if (!PAXOS_MUTANTS.some((m) => m.name === n)) usage(`unknown mutant "${n}"`)

type Run = TestRun & { readonly cpuSeconds: number; readonly seed?: number }

/** A test whose verdict cannot depend on the seed: BFS (the default strategy) over a system built without one. */
const seedless = (t: { readonly build: (...a: never[]) => unknown; readonly options?: { readonly strategy?: string } }): boolean =>
  (t.options?.strategy ?? "bfs") === "bfs" && t.build.length < 2
const isCatch = (r: Run) => r.outcome === "caught" || r.outcome === "crashed"

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
  const cache = new Map<string, Run>()
  const run = (name: string, seed: number): Run => {
    const t = tests[name] ?? usage(`unknown test "${name}"`)
    const key = seedless(t) ? name : `${name}@${seed}`
    const hit = cache.get(key)
    if (hit) return hit
    const wall = performance.now()
    const cpu = process.cpuUsage()
    let r: Run
    try {
      const res = explore(t.build({}, seed), { ...t.options, seed, maxSeconds: Math.min(seconds, t.options?.maxSeconds ?? Infinity) })
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
        ...(seedless(t) ? {} : { seed }),
      }
    } catch (e) {
      r = { test: name, outcome: "crashed", property: String((e as Error).message).slice(0, 200), seconds: Math.round((performance.now() - wall) / 100) / 10, cpuSeconds: 0, ...(seedless(t) ? {} : { seed }) }
    }
    cache.set(key, r)
    process.stderr.write(`${m.name} ${name}${seedless(t) ? "" : ` seed ${seed}`}: ${r.outcome} ${r.verdict ?? ""} ${r.property ?? ""} len ${r.traceLength ?? "-"} ${r.seconds}s cpu ${r.cpuSeconds}s\n`)
    return r
  }
  // Per seed: the runs `tla-ts test --seed S` would make of these tests, until one catches the mutant.
  const caughtUnder: number[] = []
  for (const seed of seeds) {
    const mine = allTests.map((t) => run(t, seed))
    if (m.name !== "unmutated") for (const t of then) if (!mine.some(isCatch)) mine.push(run(t, seed))
    if (mine.some(isCatch)) caughtUnder.push(seed)
  }
  const runs = [...new Set(cache.values())]
  const by = runs.filter(isCatch)
  const shortest = [...by].sort((a, b) => (a.traceLength ?? Infinity) - (b.traceLength ?? Infinity))[0]
  if (m.name === "unmutated") report[m.name] = { falseAlarms: by.map((r) => (r.seed === undefined ? r.test : `${r.test}@${r.seed}`)), runs }
  else {
    if (shortest) caught++
    report[m.name] = {
      description: m.description,
      caught: shortest !== undefined,
      ...(seeds.length > 1 ? { caughtUnder, rate: `${caughtUnder.length}/${seeds.length}` } : {}),
      ...(shortest ? { shortest: { by: shortest.test, property: shortest.property, traceLength: shortest.traceLength, ...(shortest.seed === undefined ? {} : { seed: shortest.seed }) } } : {}),
      cpuSecondsToCatch: Math.round(runs.reduce((a, r) => a + r.cpuSeconds, 0) * 10) / 10,
      runs,
    }
  }
  rmSync(dir, { recursive: true, force: true })
}
rmSync(base, { recursive: true, force: true })
const text = JSON.stringify({ protocol: "paxos", root: ROOT, secondsPerTest: seconds, seeds, allTests, then, caught: `${caught}/${mutants.length}`, mutants: report }, null, 1)
if (out) writeFileSync(out, text + "\n")
console.log(text)
