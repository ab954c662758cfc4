/** `tla-ts replay FILE`: rebuild the system a trace names, follow its steps (by event, or by label in old traces), re-check the property. */
import { ReplayError, replaySteps } from "../checker/path.ts"
import { writeFileSync } from "node:fs"
import { toItf, toShiViz } from "../checker/export.ts"
import { formatPath } from "../checker/print.ts"
import { PropertySet } from "../checker/properties.ts"
import { checkLasso } from "../checker/liveness.ts"
import { prepare } from "../checker/run-model.ts"
import { loadModel } from "../registry/index.ts"
import { checkReadable } from "./input.ts"
import { checkWritable } from "./output.ts"
import { checkTraceEvents, readTraceFile, recordedSteps } from "../checker/trace-file.ts"
import { EXIT } from "../errors.ts"
import { parse, UsageError } from "./usage.ts"

export const runReplay = async (args: string[]): Promise<number> => {
  const { values, positionals } = parse({
    args,
    allowPositionals: true,
    options: { json: { type: "boolean" }, quiet: { type: "boolean" }, itf: { type: "string" }, shiviz: { type: "string" } },
  })
  if (positionals.length !== 1) throw new UsageError("replay takes exactly one trace file: tla-ts replay FILE [--itf OUT] [--shiviz OUT] [--json]")
  const file = positionals[0]!
  for (const flag of ["itf", "shiviz"] as const) if (values[flag] !== undefined) checkWritable(`--${flag}`, values[flag])
  checkReadable("trace file", file)
  const trace = readTraceFile(file)
  const { system } = prepare(await loadModel(trace.model), {
    params: trace.params,
    ...(trace.test ? { test: trace.test } : {}),
    options: trace.seed !== undefined ? { seed: trace.seed } : {},
  })
  checkTraceEvents(system, trace, file)
  let path
  try {
    path = replaySteps(system, trace.initial, recordedSteps(trace))
    if (trace.loop !== undefined) path = { ...path, loop: trace.loop }
  } catch (e) {
    if (!(e instanceof ReplayError)) throw e
    // A valid trace whose steps the current model no longer takes: the behaviour is gone (a fix), or the file was edited.
    const reason = `trace ${file} does not replay: ${e.message} (the model changed, or the file was edited)`
    if (values.json) console.log(JSON.stringify({ file, model: trace.model, recorded: trace.property ?? null, reproduced: false, reason }))
    else console.log(`NOT reproduced: ${reason}`)
    return EXIT.unknown
  }
  // Which property fails where: the first state or step on the path that violates one.
  const props = new PropertySet(system)
  let hit = props.checkState(path.initial)
  let at = 0
  for (let i = 0; !hit && i < path.steps.length; i++) {
    const from = i === 0 ? path.initial : path.steps[i - 1]!.state
    hit = props.checkStep(from, path.steps[i]!.label, path.steps[i]!.state) ?? props.checkState(path.steps[i]!.state)
    at = i + 1
  }
  if (!hit && path.loop !== undefined) {
    const lasso = checkLasso(system, path)
    if (typeof lasso === "string") throw new UsageError(`trace ${file} is not a liveness counterexample: ${lasso}`)
    hit = lasso
  }
  if (values.itf) writeFileSync(values.itf, JSON.stringify(toItf(system, path, `${trace.model} ${trace.test ?? ""}: ${trace.property ?? trace.verdict}`.trim()), null, 1) + "\n")
  if (values.shiviz) writeFileSync(values.shiviz, toShiViz(system, path))
  const reproduced = trace.property === undefined ? hit === undefined : hit?.property === trace.property
  const out = {
    file,
    model: trace.model,
    steps: path.steps.length,
    recorded: trace.property ?? null,
    found: hit ? { kind: hit.kind, property: hit.property, atStep: at, ...(hit.detail ? { detail: hit.detail } : {}) } : null,
    reproduced,
  }
  if (values.json) console.log(JSON.stringify(out))
  else {
    if (!values.quiet) console.log(formatPath(system, path))
    console.log(
      hit
        ? `${hit.kind === "violation" ? "violation" : "goal"} ${hit.property} at step ${at}${hit.detail ? `: ${hit.detail}` : ""}`
        : "no property fails along this trace"
    )
    console.log(reproduced ? "reproduced: the trace gives the recorded result" : `NOT reproduced: the trace recorded ${trace.property ?? "no property"}`)
  }
  return reproduced ? (hit?.kind === "violation" ? EXIT.failed : EXIT.ok) : EXIT.unknown
}
