/** A trace file's TraceData: replayed on its model when it still replays, else from its stored views. */
import { ModelError } from "../checker/model.ts"
import { ReplayError, replaySteps } from "../checker/path.ts"
import { recordedSteps, type TraceFile, TraceFileError } from "../checker/trace-file.ts"
import type { TraceData } from "./data.ts"
import { type TraceMeta, traceFromPath, traceFromViews } from "./build.ts"
import { buildSystem } from "./registry.ts"

export const metaOf = (trace: TraceFile, title: string): TraceMeta => ({
  title,
  model: trace.model,
  ...(trace.test ? { test: trace.test } : {}),
  params: trace.params,
  ...(trace.seed !== undefined ? { seed: trace.seed } : {}),
  strategy: trace.strategy,
  verdict: trace.verdict,
  ...(trace.property ? { property: trace.property } : {}),
  ...(trace.detail ? { detail: trace.detail } : {}),
})

export const traceData = async (trace: TraceFile, file: string): Promise<TraceData> => {
  const meta = metaOf(trace, file)
  let why: string
  try {
    const { system } = await buildSystem(trace)
    return traceFromPath(system, replaySteps(system, trace.initial, recordedSteps(trace)), meta)
  } catch (e) {
    if (!(e instanceof ReplayError || e instanceof ModelError)) throw e
    why = e.message
  }
  if (!trace.states || trace.states.length !== trace.steps.length + 1)
    throw new TraceFileError(`trace ${file} does not replay (${why}) and stores no states to show instead`)
  return traceFromViews(trace.states, trace.steps, meta, [
    `This trace does not replay on the current model (${why}): the states shown are those stored in the file, and messages are matched by their text.`,
  ])
}
