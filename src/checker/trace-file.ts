/**
 * Counterexample traces on disk: versioned JSON naming the model, parameters, test and seed, the
 * initial state's index and the label of every step. Replay rebuilds the system from the registry
 * and follows the labels; the views of the states are stored too, for reading and for the viewer,
 * but replay never trusts them.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { taggedError } from "../errors.ts"
import type { Params } from "./model.ts"
import { type CheckResult, STRATEGIES, type Strategy, type Verdict } from "./result.ts"
import type { TransitionSystem } from "./transition-system.ts"

export const TRACE_FORMAT = "tla-ts-trace"
export const TRACE_VERSION = 1

export interface TraceFile {
  readonly format: typeof TRACE_FORMAT
  readonly version: number
  readonly model: string
  readonly params: Params
  readonly test?: string
  readonly seed?: number
  readonly strategy: Strategy
  readonly verdict: Verdict
  readonly property?: string
  readonly detail?: string
  readonly initial: number
  readonly steps: ReadonlyArray<string>
  /** A liveness counterexample's cycle: the last state is the state at this index (see Path.loop). */
  readonly loop?: number
  /** Views of the initial state and of each step's state (omitted for very long traces). */
  readonly states?: ReadonlyArray<unknown>
}

export class TraceFileError extends taggedError("TraceFileError") {}

const MAX_STORED_VIEWS = 2000

export const toTraceFile = <S, L>(
  system: TransitionSystem<S, L>,
  result: CheckResult<S, L>,
  meta: { model: string; params: Params; test?: string; seed?: number }
): TraceFile => {
  const path = result.path!
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    model: meta.model,
    params: meta.params,
    ...(meta.test ? { test: meta.test } : {}),
    ...(meta.seed !== undefined ? { seed: meta.seed } : {}),
    strategy: result.strategy,
    verdict: result.verdict,
    ...(result.property ? { property: result.property } : {}),
    ...(result.detail ? { detail: result.detail } : {}),
    initial: path.initialIndex,
    steps: path.steps.map((s) => s.text),
    ...(path.loop !== undefined ? { loop: path.loop } : {}),
    ...(path.steps.length <= MAX_STORED_VIEWS ? { states: [system.view(path.initial), ...path.steps.map((s) => system.view(s.state))] } : {}),
  }
}

export const writeTraceFile = (file: string, trace: TraceFile): void => {
  writeFileSync(file, JSON.stringify(trace, null, 1) + "\n")
}

const VERDICTS: ReadonlyArray<string> = ["ok", "violation", "goal-found", "goal-not-found", "budget-exhausted"]
const STRATEGY_NAMES: ReadonlyArray<string> = STRATEGIES

/** Reads and validates a trace file; every problem is a TraceFileError naming the file and the field. */
export const readTraceFile = (file: string): TraceFile => {
  let text: string
  try {
    text = readFileSync(file, "utf8")
  } catch (e) {
    throw new TraceFileError(`cannot read trace file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`)
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (e) {
    throw new TraceFileError(`trace file ${file} is not valid JSON (truncated or corrupt): ${(e as Error).message}`)
  }
  const bad = (what: string) => new TraceFileError(`trace file ${file}: ${what}`)
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw bad("expected a JSON object")
  const t = data as Record<string, unknown>
  if (t.format !== TRACE_FORMAT) throw bad(`not a tla-ts trace (format is ${JSON.stringify(t.format)}, expected "${TRACE_FORMAT}")`)
  if (typeof t.version !== "number") throw bad(`missing version`)
  if (t.version !== TRACE_VERSION)
    throw bad(`version ${t.version} is not supported (this tla-ts reads version ${TRACE_VERSION}); re-run the check to write a new trace`)
  if (typeof t.model !== "string") throw bad(`"model" must be a string`)
  if (typeof t.params !== "object" || t.params === null || Array.isArray(t.params) || Object.values(t.params).some((v) => typeof v !== "string"))
    throw bad(`"params" must be an object of strings`)
  if (t.test !== undefined && typeof t.test !== "string") throw bad(`"test" must be a string`)
  if (t.seed !== undefined && (typeof t.seed !== "number" || !Number.isInteger(t.seed))) throw bad(`"seed" must be an integer`)
  if (typeof t.strategy !== "string" || !STRATEGY_NAMES.includes(t.strategy)) throw bad(`"strategy" must be one of ${STRATEGY_NAMES.join(", ")}`)
  if (typeof t.verdict !== "string" || !VERDICTS.includes(t.verdict)) throw bad(`"verdict" must be one of ${VERDICTS.join(", ")}`)
  if (t.property !== undefined && typeof t.property !== "string") throw bad(`"property" must be a string`)
  if (typeof t.initial !== "number" || !Number.isInteger(t.initial) || t.initial < 0) throw bad(`"initial" must be a non-negative integer`)
  if (!Array.isArray(t.steps) || t.steps.some((s) => typeof s !== "string")) throw bad(`"steps" must be an array of strings`)
  if (t.loop !== undefined && (typeof t.loop !== "number" || !Number.isInteger(t.loop) || t.loop < 0 || t.loop > t.steps.length))
    throw bad(`"loop" must be a state index from 0 to the number of steps (${t.steps.length})`)
  return t as unknown as TraceFile
}
