/**
 * `tla-ts test [MODEL|FILE ...]`: every named test of the given models (default: every built-in model),
 * each verdict compared with the test's expectation, one line per test, a summary, JUnit XML for CI,
 * and a non-zero exit when any test gives an unexpected verdict (after DSLabs' run-tests.py).
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { Model, NamedTest } from "../checker/model.ts"
import type { CheckResult, Strategy, Verdict } from "../checker/result.ts"
import { STRATEGIES } from "../checker/result.ts"
import { prepare } from "../checker/run-model.ts"
import { freshSeed } from "../checker/random.ts"
import { EXIT, isInputError } from "../errors.ts"
import { loadModel, MODEL_NAMES } from "../registry/index.ts"
import { toJUnit, type TestOutcome } from "./junit.ts"
import { checkWritable } from "./output.ts"
import { runPrepared, saveTrace, startWorkersEarly, traceFileName, workersFlag } from "./run.ts"
import type { EarlyWorkers } from "../checker/parallel-bfs.ts"
import { intFlag, parse, TEST_USAGE, UsageError } from "./usage.ts"

export { TEST_USAGE }


/** Exhaustive searches (DSLabs' "search tests") as opposed to simulated runs ("run tests"). */
const isSearch = (t: NamedTest) => ["bfs", "dfs", undefined].includes(t.options?.strategy)

/** With no expectation, any verdict but a violation or an unreached goal passes. */
const passes = (expect: Verdict | undefined, verdict: Verdict) => (expect ? verdict === expect : verdict !== "violation" && verdict !== "goal-not-found")

export const runTest = async (args: string[]): Promise<number> => {
  const { values, positionals } = parse({
    args,
    allowPositionals: true,
    options: {
      test: { type: "string", multiple: true },
      search: { type: "boolean" },
      "no-search": { type: "boolean" },
      strategy: { type: "string" },
      seed: { type: "string" },
      workers: { type: "string" },
      junit: { type: "string" },
      "trace-dir": { type: "string" },
      json: { type: "boolean" },
    },
  })
  const strategy = values.strategy
  if (strategy !== undefined && !STRATEGIES.includes(strategy as Strategy)) throw new UsageError(`--strategy must be one of ${STRATEGIES.join(", ")}, got "${strategy}"`)
  if (values.search && values["no-search"]) throw new UsageError("--search and --no-search exclude each other")
  const given = intFlag("seed", values.seed)
  if (given !== undefined && given > 0xffffffff) throw new UsageError(`--seed must be below 2^32, got ${given}`)
  // One seed for the whole suite, shown in the summary: pass it back with --seed to repeat the run.
  const seed = given ?? freshSeed()
  const workers = workersFlag(intFlag("workers", values.workers), strategy)
  if (values.junit !== undefined) checkWritable("--junit", values.junit)
  const traceDir = values["trace-dir"] ?? "tla-ts-traces"
  const refs = positionals.length ? positionals : MODEL_NAMES
  const models: Array<[string, Model]> = []
  for (const ref of refs) models.push([ref, await loadModel(ref)])
  const wanted = values.test
  if (wanted)
    for (const name of wanted)
      if (!models.some(([, m]) => Object.hasOwn(m.tests, name))) throw new UsageError(`no model given has a test "${name}"`)

  const outcomes: TestOutcome[] = []
  const started = performance.now()
  const selected: Array<[string, Model, string, NamedTest]> = []
  for (const [ref, model] of models)
    for (const [name, test] of Object.entries(model.tests)) {
      if (wanted && !wanted.includes(name)) continue
      if ((values.search && !isSearch(test)) || (values["no-search"] && isSearch(test))) continue
      selected.push([ref, model, name, test])
    }
  // With --workers: each test's worker threads start while the test before it runs, loading its model, so that
  // they search from its first levels (runPrepared closes them when the test is no parallel BFS).
  const startFor = (i: number) => (i < selected.length ? startWorkersEarly(selected[i]![0], workers, strategy ?? selected[i]![3].options?.strategy) : undefined)
  let early = await startFor(0)
  for (const [i, [ref, model, name, test]] of selected.entries()) {
    const next = await startFor(i + 1)
    const outcome = await runOne(ref, model, name, test, { ...(strategy ? { strategy: strategy as Strategy } : {}), seed }, workers, traceDir, early)
    early = next
    outcomes.push(outcome)
    if (values.json) console.log(JSON.stringify(outcome))
    else console.log(lineOf(outcome))
  }
  const failed = outcomes.filter((o) => !o.passed).length
  const seconds = (performance.now() - started) / 1000
  if (values.junit !== undefined) writeFileSync(values.junit, toJUnit(outcomes, seconds))
  if (outcomes.length === 0) throw new UsageError("no test matched the selection")
  if (!values.json) console.log(`\n${outcomes.length - failed} passed, ${failed} failed (${seconds.toFixed(1)} s, seed ${seed})${values.junit ? `; JUnit report in ${values.junit}` : ""}`)
  return failed ? EXIT.failed : EXIT.ok
}

const runOne = async (ref: string, model: Model, name: string, test: NamedTest, options: { strategy?: Strategy; seed?: number }, workers: number, traceDir: string, early?: EarlyWorkers): Promise<TestOutcome> => {
  const base = { model: model.name, ref, test: name, ...(test.expect ? { expected: test.expect } : {}) }
  let result: CheckResult<any, any>
  let prepared
  try {
    prepared = prepare(model, { test: name, options })
    result = await runPrepared({ model: ref, test: name }, prepared, prepared.options, workers, early)
  } catch (e) {
    await early?.close() // not adopted when the test could not be built
    // A test that cannot be built or crashes is a failing test, not the end of the suite.
    const message = isInputError(e) ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)
    return { ...base, passed: false, verdict: "error", seconds: 0, error: message }
  }
  const passed = passes(test.expect, result.verdict)
  let traceFile: string | undefined
  if (!passed && result.path) {
    mkdirSync(traceDir, { recursive: true })
    traceFile = join(traceDir, traceFileName(model.name, name))
    saveTrace(traceFile, { model: ref, test: name }, prepared, result)
  }
  return {
    ...base,
    passed,
    verdict: result.verdict,
    ...(result.property ? { property: result.property } : {}),
    ...(result.detail ? { detail: result.detail } : {}),
    seed: prepared.seed,
    states: result.distinct,
    seconds: Number(result.seconds.toFixed(3)),
    ...(traceFile ? { traceFile, replay: `tla-ts replay ${traceFile}` } : {}),
    ...(!passed ? { rerun: `tla-ts check ${ref} --test ${name} --seed ${prepared.seed}` } : {}),
  }
}

const lineOf = (o: TestOutcome): string => {
  const what = `${o.verdict}${o.property ? ` ${o.property}` : ""}`
  const figures = o.error ? o.error.split("\n")[0] : `${o.states} states, ${o.seconds.toFixed(2)} s`
  const head = `${o.passed ? "ok  " : "FAIL"} ${o.model}/${o.test}: ${what}${o.passed ? "" : ` (expected ${o.expected ?? "no violation"})`} — ${figures}`
  return o.passed ? head : [head, ...(o.replay ? [`     trace ${o.traceFile}; replay: ${o.replay}`] : []), ...(o.rerun ? [`     re-run: ${o.rerun}`] : [])].join("\n")
}
