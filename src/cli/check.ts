/** `tla-ts check <model> ...`: one model check, a summary, and for a violation a trace file. */
import { parallelBfs } from "../checker/parallel-bfs.ts"
import { formatPath } from "../checker/print.ts"
import { lastState } from "../checker/path.ts"
import { kvHistory } from "../core/linearizable.ts"
import type { World } from "../core/world.ts"
import { formatJsonHistory } from "../linearizability/parse-json.ts"
import { writeFileSync } from "node:fs"
import type { Progress, Strategy } from "../checker/result.ts"
import { STRATEGIES } from "../checker/result.ts"
import { explore } from "../checker/explore.ts"
import { prepare } from "../checker/run-model.ts"
import { toTraceFile, writeTraceFile } from "../checker/trace-file.ts"
import { intFlag, numberFlag, paramsFlag, parse, UsageError } from "./usage.ts"
import { checkRunStrategy, RUN_FLAGS, runFlagOptions } from "./run-flags.ts"

export const CHECK_USAGE =
  "tla-ts check <model> [--param k=v]... [--test NAME] [--strategy bfs|dfs|random|pbt|swarm|pct|coverage] [--max-states N] [--max-depth N] [--max-seconds S] [--samples N] [--seed N] [--workers N] [--memory MIB] [--checkpoint DIR] [--resume DIR] [--shard I/N] [--checks] [--trace-out FILE] [--history-out FILE] [--quiet] [--json]"

const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}k` : String(Math.round(n)))

export const progressLine = (p: Progress) =>
  `states ${fmt(p.generated)}  distinct ${fmt(p.distinct)}  queue ${fmt(p.queue)}  depth ${p.depth}  ${fmt(p.statesPerSecond)} states/s  ${p.seconds.toFixed(0)} s`

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
  if (positionals.length !== 1) throw new UsageError(`check takes exactly one model name; usage: ${CHECK_USAGE}`)
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
  const workers = intFlag("workers", values.workers) ?? 1
  if (workers < 1) throw new UsageError(`--workers must be at least 1`)
  if (workers > 1 && (strategy ?? "bfs") !== "bfs") throw new UsageError(`--workers applies to the bfs strategy only`)
  const scale = runFlagOptions(values)
  const json = values.json ?? false
  const showProgress = !values.quiet && !json
  const params = paramsFlag(values.param)
  const prepared = await prepare({
    model,
    params,
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
  const result =
    workers > 1 && (options.strategy ?? "bfs") === "bfs"
      ? await parallelBfs({ model, params: prepared.params, ...(values.test ? { test: values.test } : {}), seed: prepared.seed }, { ...runOptions, workers })
      : explore(system, runOptions)
  let traceFile: string | undefined
  if (result.path && (result.verdict === "violation" || values["trace-out"])) {
    traceFile = values["trace-out"] ?? `${model}${values.test ? `-${values.test}` : ""}.trace.json`
    writeTraceFile(
      traceFile,
      toTraceFile(system, result, { model, params: prepared.params, ...(values.test ? { test: values.test } : {}), seed: prepared.seed })
    )
  }
  const last = result.path ? lastState(result.path) : undefined
  const report = last !== undefined && system.report ? system.report(last) : undefined
  let historyFile: string | undefined
  if (values["history-out"]) {
    if (!last || typeof last !== "object" || !("aux" in last))
      throw new UsageError("--history-out needs a run that ends in one protocol state with clients (a simulation, a goal or a violation)")
    historyFile = values["history-out"]
    writeFileSync(historyFile, formatJsonHistory("kv", kvHistory(last as World)))
  }
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
    ...(prepared.expect ? { expected: prepared.expect, asExpected: prepared.expect === result.verdict } : {}),
  }
  if (json) console.log(JSON.stringify(summary))
  else {
    const what = `${model}${values.test ? ` --test ${values.test}` : ""} ${Object.entries(prepared.params).filter(([, v]) => v !== "").map(([k, v]) => `${k}=${v}`).join(" ")}`.trim()
    console.log(`${what}: ${system.name}, strategy ${result.strategy}, seed ${prepared.seed}`)
    if (result.path && result.verdict !== "ok") {
      console.log(`\n${result.verdict === "violation" ? "Counterexample" : "Witness"} (${result.path.steps.length} steps):`)
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
                : `ok: no violation in ${options.samples ?? ""} runs (not exhaustive)`
    console.log(head)
    console.log(
      `${result.distinct.toLocaleString("en")} distinct states, ${result.generated.toLocaleString("en")} generated, depth ${result.depth}, ${result.seconds.toFixed(2)} s (${fmt(summary.statesPerSecond)} distinct/s)`
    )
    if (report) console.log(`run: ${Object.entries(report).map(([k, v]) => `${k} ${v}`).join(", ")}`)
    if (historyFile) console.log(`client history written to ${historyFile} (check: tla-ts lincheck ${historyFile} --model kv)`)
    if (traceFile) console.log(`trace written to ${traceFile} (replay: tla-ts replay ${traceFile})`)
    if (prepared.expect) console.log(`expected ${prepared.expect}: ${prepared.expect === result.verdict ? "as expected" : "NOT AS EXPECTED"}`)
  }
  return result.verdict === "violation" || result.verdict === "goal-not-found" ? 1 : 0
}
