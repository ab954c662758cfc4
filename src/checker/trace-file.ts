/**
 * Counterexample traces on disk: versioned JSON naming the model, parameters, test and seed, the
 * initial state's index and every step. Version 2 stores each step twice: its label (`steps`, text
 * for people) and, for systems that encode their labels (protocols), its structured event (`events`,
 * one a line: kind, addresses, the message or timer encoded from its schema, choices). Replay rebuilds
 * the system from the registry and matches each step by its event (path.ts `replaySteps`), so a change
 * of display text does not break a saved trace; steps without an event (version 1 files, which stored
 * labels only and are still read; specs, whose labels are their action names) match by label text.
 * The views of the states are stored too, for reading and for the viewer, but replay never trusts them.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { taggedError } from "../errors.ts"
import type { Params } from "./model.ts"
import { eventOf, type RecordedStep } from "./path.ts"
import { type CheckResult, STRATEGIES, type Strategy, type Verdict } from "./result.ts"
import type { TransitionSystem } from "./transition-system.ts"

export const TRACE_FORMAT = "tla-ts-trace"
export const TRACE_VERSION = 2
/** The versions this tla-ts reads: 1 (labels only, replayed by text) and 2 (labels and events). */
const READABLE_VERSIONS: ReadonlyArray<number> = [1, 2]

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
  /** Each step's label, for people (and the replay key of steps without an event). */
  readonly steps: ReadonlyArray<string>
  /** Version 2, systems that encode their labels: each step's structured event (JSON objects with a `kind`), what replay matches. */
  readonly events?: ReadonlyArray<unknown>
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
    ...(system.encodeLabel ? { events: path.steps.map((s) => eventOf(system, s.label)) } : {}),
    ...(path.loop !== undefined ? { loop: path.loop } : {}),
    ...(path.steps.length <= MAX_STORED_VIEWS ? { states: [system.view(path.initial), ...path.steps.map((s) => system.view(s.state))] } : {}),
  }
}

/** The steps to replay: each label with its event, when the trace has events. */
export const recordedSteps = (trace: TraceFile): RecordedStep[] =>
  trace.steps.map((label, i) => (trace.events?.[i] !== undefined ? { label, event: trace.events[i] } : { label }))

/** The trace's text: indented JSON with each event on one line of its own (so an error names its line). */
export const traceText = (trace: TraceFile): string => {
  const events = trace.events
  const marker = (i: number) => `\u0000event ${i}`
  const text = JSON.stringify(
    trace,
    function (this: unknown, _key, value: unknown) {
      if (this === events && events !== undefined) return marker(Number(_key))
      return value
    },
    1
  )
  return events === undefined ? text : text.replace(/"\\u0000event (\d+)"/g, (_m, i: string) => JSON.stringify(events[Number(i)]))
}

export const writeTraceFile = (file: string, trace: TraceFile): void => {
  writeFileSync(file, traceText(trace) + "\n")
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
  if (!READABLE_VERSIONS.includes(t.version))
    throw bad(`version ${t.version} is not supported (this tla-ts reads versions ${READABLE_VERSIONS.join(" and ")}); re-run the check to write a new trace`)
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
  if (t.events !== undefined) {
    if (t.version < 2) throw bad(`"events" are version 2; this file says version ${t.version}`)
    if (!Array.isArray(t.events) || t.events.length !== t.steps.length)
      throw bad(`"events" must be an array with one event per step (${t.steps.length})`)
    const events = t.events as unknown[]
    events.forEach((e, i) => {
      const why = malformedEvent(e)
      if (why !== undefined) throw bad(`step ${i + 1} (line ${lineOfElement(text, "events", i)}): ${why}`)
    })
  }
  if (t.loop !== undefined && (typeof t.loop !== "number" || !Number.isInteger(t.loop) || t.loop < 0 || t.loop > t.steps.length))
    throw bad(`"loop" must be a state index from 0 to the number of steps (${t.steps.length})`)
  return t as unknown as TraceFile
}

/**
 * Checks a read trace's events against the system it replays on (`eventProblem`): a malformed step is
 * a TraceFileError naming its step and line in `file`.
 */
export const checkTraceEvents = <S, L>(system: TransitionSystem<S, L>, trace: TraceFile, file: string): void => {
  const check = system.eventProblem
  if (!trace.events || !check) return
  trace.events.forEach((e, i) => {
    const why = check(e)
    if (why === undefined) return
    let text = ""
    try {
      text = readFileSync(file, "utf8")
    } catch {
      // The line is a courtesy: the step number is enough.
    }
    const line = lineOfElement(text, "events", i)
    throw new TraceFileError(`trace file ${file}: step ${i + 1}${line > 0 ? ` (line ${line})` : ""}: ${why}`)
  })
}

/** Why `e` is not a step event (a JSON object with a non-empty `kind`, its strings bounded), or undefined. */
const malformedEvent = (e: unknown): string | undefined => {
  if (typeof e !== "object" || e === null || Array.isArray(e)) return `the event must be a JSON object, not ${JSON.stringify(e)?.slice(0, 40)}`
  const kind = (e as { kind?: unknown }).kind
  if (typeof kind !== "string" || kind === "") return `the event has no "kind"`
  return undefined
}

/**
 * The line (from 1) on which element `index` of the top-level array `key` starts in JSON `text`: a
 * scan that skips strings and counts nesting, so hand-edited files are located too (0 if not found).
 */
export const lineOfElement = (text: string, key: string, index: number): number => {
  let depth = 0
  let line = 1
  let inKey = false
  let element = -1
  const want = JSON.stringify(key)
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === "\n") line++
    else if (c === '"') {
      const start = i
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++
      if (depth === 1 && !inKey && text.slice(start, i + 1) === want && /^\s*:/.test(text.slice(i + 1, i + 64))) inKey = true
      else if (inKey && depth === 2 && element === index) return line
    } else if (c === "{" || c === "[") {
      if (inKey && depth === 1 && c === "[") element = 0
      else if (inKey && depth === 2 && element === index) return line
      depth++
    } else if (c === "}" || c === "]") {
      depth--
      if (inKey && depth === 1) return 0
    } else if (inKey && depth === 2 && c === ",") element++
    else if (inKey && depth === 2 && element === index && !/\s/.test(c)) return line
  }
  return 0
}
