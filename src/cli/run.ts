/** What `check` and `test` share: run a prepared model (on worker threads for BFS) and save its trace. */
import { availableParallelism } from "node:os"
import { resolve } from "node:path"
import { explore } from "../checker/explore.ts"
import type { CheckOptions, CheckResult } from "../checker/result.ts"
import type { Prepared } from "../checker/run-model.ts"
import { toTraceFile, writeTraceFile } from "../checker/trace-file.ts"
import { REGISTRY_URL } from "../registry/index.ts"
import { isModelFile } from "../registry/model-file.ts"
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

export const runPrepared = async (target: Target, prepared: Prepared, options: CheckOptions, workers: number): Promise<CheckResult<any, any>> =>
  workers > 1 && (options.strategy ?? "bfs") === "bfs"
    ? (await import("../checker/parallel-bfs.ts")).parallelBfs(
        {
          loader: REGISTRY_URL,
          model: isModelFile(target.model) ? resolve(target.model) : target.model,
          params: prepared.params,
          ...(target.test ? { test: target.test } : {}),
          seed: prepared.seed,
        },
        { ...options, workers }
      )
    : explore(prepared.system, options)

/** Writes the run's trace as a versioned JSON file that `tla-ts replay` reads. */
export const saveTrace = (file: string, target: Target, prepared: Prepared, result: CheckResult<any, any>): void =>
  writeTraceFile(
    file,
    toTraceFile(prepared.system, result, { model: target.model, params: prepared.params, ...(target.test ? { test: target.test } : {}), seed: prepared.seed })
  )
