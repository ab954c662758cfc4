/** Planted-bug traces for the viewer's tests, made in-process and written where the CLI can read them. */
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { toTraceFile, type TraceFile, writeTraceFile } from "../../src/checker/trace-file.ts"
import { runTest } from "../../src/viewer/registry.ts"

export const dir = mkdtempSync(join(tmpdir(), "tla-ts-viewer-"))

/** Runs a named test (it must find a path) and writes its trace file; returns the file and its content. */
export const traceOf = async (model: string, test: string, seed = 1): Promise<{ file: string; trace: TraceFile }> => {
  const run = await runTest({ model, test, params: {}, seed })
  if (!run.result.path) throw new Error(`${model} ${test} found no path`)
  const trace = toTraceFile(run.system, run.result, { model, params: run.params, test, seed })
  const file = join(dir, `${model}-${test}.trace.json`)
  writeTraceFile(file, trace)
  return { file, trace }
}

/** Runs the tla-ts command in this process (no start-up cost), capturing what it prints. */
export const runHere = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  const { main } = await import("../../src/cli/main.ts")
  const out: string[] = []
  const err: string[] = []
  const { log, error } = console
  console.log = (...xs: unknown[]) => void out.push(xs.join(" "))
  console.error = (...xs: unknown[]) => void err.push(xs.join(" "))
  try {
    const code = await main(args)
    return { code, stdout: out.join("\n"), stderr: err.join("\n") }
  } finally {
    console.log = log
    console.error = error
  }
}
