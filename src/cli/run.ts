/** What `check` and `test` share: run a prepared model (on worker threads for BFS) and save its trace. */
import { availableParallelism } from "node:os"
import { getHeapStatistics } from "node:v8"
import { resolve } from "node:path"
import { explore } from "../checker/explore.ts"
import type { CheckOptions, CheckResult, Progress } from "../checker/result.ts"
import type { EarlyWorkers } from "../checker/parallel-bfs.ts"
import type { Prepared } from "../checker/run-model.ts"
import { toTraceFile, writeTraceFile } from "../checker/trace-file.ts"
import { REGISTRY_URL } from "../registry/index.ts"
import { isModelFile } from "../registry/model-file.ts"
import { OutOfMemoryError } from "../errors.ts"
import { UsageError } from "./usage.ts"

/**
 * Workers beyond the cores only contend for them and cost a thread's memory each (64 workers on a
 * 288-state model took 69 s and 2 GB), so --workers is bounded by the cores (at least 2).
 */
export const maxWorkers = (): number => Math.max(2, availableParallelism())

export const workersFlag = (n: number | undefined, strategy: string | undefined): number => {
  const workers = n ?? 1
  if (workers < 1 || workers > maxWorkers()) throw new UsageError(`--workers must be between 1 and ${maxWorkers()} (the cores of this machine), got ${workers}`)
  if (workers > 1 && strategy !== undefined && strategy !== "bfs") throw new UsageError(`--workers applies to the bfs strategy only`)
  return workers
}

export interface Target {
  /** A built-in model name or a model file, as the user gave it (traces record it so). */
  readonly model: string
  readonly test?: string
}

/**
 * Share of the old generation's limit at which a run stops as out of memory, while it can still say
 * so. heap_size_limit also counts the young generation (3 x 16 MiB semi-spaces on 64-bit V8), which
 * the old generation's objects never use.
 */
const HEAP_FRACTION = 0.8
const YOUNG_GENERATION = 48 * 2 ** 20

/**
 * Wraps the progress callback, which the strategies call about once a second, with a heap check: a
 * run that exhausts memory ends as an internal error with its stack (exit 70), not a V8 abort.
 */
export const guardHeap =
  (onProgress?: (p: Progress) => void) =>
  (p: Progress): void => {
    const { used_heap_size: used, heap_size_limit } = getHeapStatistics()
    const limit = heap_size_limit - YOUNG_GENERATION
    if (used > HEAP_FRACTION * limit)
      throw new OutOfMemoryError(
        `out of memory: the heap holds ${Math.round(used / 2 ** 20)} MiB of its ${Math.round(limit / 2 ** 20)} MiB limit after ${p.distinct} distinct states (give node more with NODE_OPTIONS=--max-old-space-size=MIB, or set --max-states)`
      )
    onProgress?.(p)
  }

/** How worker threads name a model: a model file by its absolute path. */
const workerModel = (model: string): string => (isModelFile(model) ? resolve(model) : model)

/**
 * For `--workers 2` or more and BFS (as far as the flags say): worker threads started before this
 * thread loads the model, so that each loads its own meanwhile (parallel-bfs.ts startEarly); runPrepared
 * adopts them, or closes them when the run is not a parallel BFS after all (a test's own strategy).
 */
export const startWorkersEarly = async (model: string, workers: number, strategy: string | undefined): Promise<EarlyWorkers | undefined> =>
  workers > 1 && (strategy ?? "bfs") === "bfs" ? (await import("../checker/parallel-bfs.ts")).startEarly(REGISTRY_URL, workerModel(model), workers) : undefined

export const runPrepared = async (target: Target, prepared: Prepared, given: CheckOptions, workers: number, early?: EarlyWorkers): Promise<CheckResult<any, any>> => {
  const options = { ...given, onProgress: guardHeap(given.onProgress) }
  const parallel = workers > 1 && (options.strategy ?? "bfs") === "bfs"
  if (!parallel) await early?.close()
  return parallel
    ? (await import("../checker/parallel-bfs.ts")).parallelBfs(
        {
          loader: REGISTRY_URL,
          model: workerModel(target.model),
          params: prepared.params,
          ...(target.test ? { test: target.test } : {}),
          seed: prepared.seed,
          ...(options.symmetry ? { symmetry: true } : {}),
        },
        { ...options, workers, ...(early ? { started: early } : {}) }
      )
    : explore(prepared.system, options)
}

/** `<model>[-<test>].trace.json`, with anything but letters, digits, `.`, `_` and `-` made `_`. */
export const traceFileName = (model: string, test?: string): string => `${[model, ...(test ? [test] : [])].map((s) => s.replace(/[^\w.-]+/g, "_")).join("-")}.trace.json`

/** Writes the run's trace as a versioned JSON file that `tla-ts replay` reads. */
export const saveTrace = (file: string, target: Target, prepared: Prepared, result: CheckResult<any, any>): void =>
  writeTraceFile(
    file,
    toTraceFile(prepared.system, result, { model: target.model, params: prepared.params, ...(target.test ? { test: target.test } : {}), seed: prepared.seed })
  )
