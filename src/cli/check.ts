/** `tla-ts check <model> ...`: one model check, a summary, and for a violation a trace file. */
import { formatPath } from "../checker/print.ts"
import { lastState } from "../checker/path.ts"
import { writeFileSync } from "node:fs"
import type { Progress, Strategy } from "../checker/result.ts"
import { STRATEGIES } from "../checker/result.ts"
import { prepare } from "../checker/run-model.ts"
import { formatSymmetryStats, symmetryStats } from "../checker/symmetry.ts"
import { loadModel } from "../registry/index.ts"
import { checkWritable } from "./output.ts"
import { runPrepared, saveTrace, startWorkersEarly, traceFileName, workersFlag } from "./run.ts"
import { checkRunStrategy, RUN_FLAGS, runFlagOptions } from "./run-flags.ts"
import { CHECK_USAGE, intFlag, numberFlag, paramsFlag, parse, UsageError } from "./usage.ts"

export { CHECK_USAGE }

/** 1,745,408: toLocaleString would load ICU, about 40 ms of a 100 ms start. */
const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",")

const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}k` : String(Math.round(n)))

/** The progress line: statesPerSecond counts distinct states, so it is labelled so. */
export const progressLine = (p: Progress) =>
  `generated ${fmt(p.generated)}  distinct ${fmt(p.distinct)}  queue ${fmt(p.queue)}  depth ${p.depth}  ${fmt(p.statesPerSecond)} distinct/s  ${p.seconds.toFixed(0)} s`

export const runCheck = async (args: string[]): Promise<number> => {
  const { values, positionals } = parse({
    args,
    allowPositionals: true,
    options: {
      param: { type: "string", multiple: true },
      test: { type: "string" },
      strategy: { type: "string" },
      "max-states": { type: "string" },
      "max-depth": { type: "string" },
      "max-seconds": { type: "string" },
      samples: { type: "string" },
      seed: { type: "string" },
      workers: { type: "string" },
      "trace-out": { type: "string" },
      "history-out": { type: "string" },
      ...RUN_FLAGS,
      json: { type: "boolean" },
      quiet: { type: "boolean" },
    },
  })
  if (positionals.length !== 1) throw new UsageError(`check takes exactly one model (a name or a file); usage: ${CHECK_USAGE}`)
  const model = positionals[0]!
  const strategy = values.strategy
  if (strategy !== undefined && !STRATEGIES.includes(strategy as Strategy))
    throw new UsageError(`--strategy must be one of ${STRATEGIES.join(", ")}, got "${strategy}"`)
  const maxStates = intFlag("max-states", values["max-states"])
  const maxDepth = intFlag("max-depth", values["max-depth"])
  const maxSeconds = numberFlag("max-seconds", values["max-seconds"])
  const samples = intFlag("samples", values.samples)
  const seed = intFlag("seed", values.seed)
  if (seed !== undefined && seed > 0xffffffff) throw new UsageError(`--seed must be below 2^32, got ${seed}`)
  const workers = workersFlag(intFlag("workers", values.workers), strategy)
  const scale = runFlagOptions(values)
  const json = values.json ?? false
  const showProgress = !values.quiet && !json
  const params = paramsFlag(values.param)
  for (const flag of ["trace-out", "history-out"] as const) if (values[flag] !== undefined) checkWritable(`--${flag}`, values[flag])
  // Worker threads load the model while this thread does (the CLI's two-core speed-up needs them searching from the first levels).
  const early = await startWorkersEarly(model, workers, strategy)
  const loaded = await loadModel(model)
  const prepared = prepare(loaded, {
    params,
    rejectUnusedParams: true,
    ...(values.test !== undefined ? { test: values.test } : {}),
    options: {
      ...(strategy ? { strategy: strategy as Strategy } : {}),
      ...(maxStates !== undefined ? { maxStates } : {}),
      ...(maxDepth !== undefined ? { maxDepth } : {}),
      ...(maxSeconds !== undefined ? { maxSeconds } : {}),
      ...(samples !== undefined ? { samples } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...scale,
    },
  })
  const { system, options } = prepared
  checkRunStrategy(scale, options.strategy ?? "bfs", workers)
  const runOptions = { ...options, ...(showProgress ? { onProgress: (p: Progress) => process.stderr.write(progressLine(p) + "\n") } : {}) }
  const target = { model, ...(values.test !== undefined ? { test: values.test } : {}) }
  const result = await runPrepared(target, prepared, runOptions, workers, early)
  let traceFile: string | undefined
  if (result.path && (result.verdict === "violation" || values["trace-out"])) {
    traceFile = values["trace-out"] ?? traceFileName(loaded.name, values.test)
    saveTrace(traceFile, target, prepared, result)
  }
  const last = result.path ? lastState(result.path) : undefined
  const report = last !== undefined && system.report ? system.report(last, result.path!.steps.map((x) => x.label)) : undefined
  let historyFile: string | undefined
  let historyModel: string | undefined
  if (values["history-out"]) {
    const history = last !== undefined ? system.history?.(last) : undefined
    if (!history) throw new UsageError("--history-out needs a run that ends in one state with client operations (a simulation, a goal or a violation of a protocol with clients) that are KV commands or transactions")
    historyFile = values["history-out"]
    historyModel = history.model
    const { formatJsonHistory, formatJsonTransactions } = await import("../linearizability/parse-json.ts")
    writeFileSync(historyFile, history.model === "txn" ? formatJsonTransactions(history.operations as never) : formatJsonHistory(history.model, history.operations as never))
  }
  const symmetry = options.symmetry ? symmetryStats(system) : undefined
  const summary = {
    model,
    ...(values.test ? { test: values.test } : {}),
    params: prepared.params,
    strategy: result.strategy,
    result: result.verdict,
    ...(result.property ? { property: result.property } : {}),
    ...(result.detail ? { detail: result.detail } : {}),
    distinct: result.distinct,
    generated: result.generated,
    depth: result.depth,
    seconds: Number(result.seconds.toFixed(3)),
    statesPerSecond: Math.round(result.distinct / Math.max(result.seconds, 1e-9)),
    complete: result.complete,
    seed: prepared.seed,
    ...(scale.shard ? { shard: `${scale.shard.index + 1}/${scale.shard.count}`, samples: options.samples } : {}),
    ...(result.path ? { traceLength: result.path.steps.length } : {}),
    ...(traceFile ? { traceFile } : {}),
    ...(historyFile ? { historyFile } : {}),
    ...(report ? { report } : {}),
    ...(symmetry ? { symmetry: { groups: symmetry.groups, largestOrbit: symmetry.largestOrbit, canonical: symmetry.canonical, renamingsPerState: Number((symmetry.renamings / Math.max(symmetry.fingerprints, 1)).toFixed(3)) } } : {}),
    ...(prepared.expect ? { expected: prepared.expect, asExpected: prepared.expect === result.verdict } : {}),
  }
  if (json) console.log(JSON.stringify(summary))
  else {
    const quiet = values.quiet ?? false
    const what = `${model}${values.test ? ` --test ${values.test}` : ""} ${Object.entries(prepared.params).filter(([, v]) => v !== "").map(([k, v]) => `${k}=${v}`).join(" ")}`.trim()
    if (!quiet) console.log(`${what}: ${system.name}, strategy ${result.strategy}, seed ${prepared.seed}`)
    // A counterexample is printed in full; a passing run's witness (a whole simulation) only by its length.
    if (result.path && result.verdict === "violation" && !quiet) {
      console.log(`\nCounterexample (${result.path.steps.length} steps):`)
      console.log(formatPath(system, result.path))
      console.log()
    }
    const head =
      result.verdict === "violation"
        ? `VIOLATION of ${result.property}${result.detail ? `: ${result.detail}` : ""}`
        : result.verdict === "goal-found"
          ? `goal ${result.property} reached`
          : result.verdict === "goal-not-found"
            ? `goal not reached (explored completely)`
            : result.verdict === "budget-exhausted"
              ? `budget exhausted: no violation within the budget`
              : result.complete
                ? `ok: explored completely, no violation`
                : `ok: no violation ${options.samples !== undefined ? `in ${options.samples} runs` : "found"} (not exhaustive)`
    console.log(head)
    console.log(
      `${thousands(result.distinct)} distinct states, ${thousands(result.generated)} generated, depth ${result.depth}, ${result.seconds.toFixed(2)} s (${fmt(summary.statesPerSecond)} distinct/s)`
    )
    if (result.path && result.verdict !== "violation")
      console.log(`witness: ${thousands(result.path.steps.length)} steps${traceFile ? "" : " (--trace-out FILE saves it; tla-ts replay FILE prints it)"}`)
    if (symmetry) console.log(formatSymmetryStats(symmetry))
    if (report && !quiet) console.log(`run: ${Object.entries(report).map(([k, v]) => `${k} ${v}`).join(", ")}`)
    if (historyFile) console.log(`client history written to ${historyFile} (check: tla-ts lincheck ${historyFile} --model ${historyModel})`)
    if (traceFile) console.log(`trace written to ${traceFile} (replay: tla-ts replay ${traceFile})`)
    if (prepared.expect) console.log(`expected ${prepared.expect}: ${prepared.expect === result.verdict ? "as expected" : "NOT AS EXPECTED"}`)
  }
  return result.verdict === "violation" || result.verdict === "goal-not-found" ? 1 : 0
}
