/** The flags of `tla-ts check` for long and split runs (--memory, --checkpoint, --resume, --shard), --checks and the reductions (--symmetry, --por). */
import type { CheckOptions } from "../checker/result.ts"
import { parseShard } from "../checker/shard.ts"
import { intFlag, UsageError } from "./usage.ts"

export const RUN_FLAGS = {
  memory: { type: "string" },
  checkpoint: { type: "string" },
  resume: { type: "string" },
  shard: { type: "string" },
  checks: { type: "boolean" },
  symmetry: { type: "boolean" },
  por: { type: "boolean" },
} as const

const SAMPLED = ["random", "swarm", "pct", "coverage"]

type RunFlagOptions = Pick<CheckOptions, "memoryMiB" | "checkpoint" | "resume" | "shard" | "checks" | "symmetry" | "por">

export const runFlagOptions = (values: { memory?: string | undefined; checkpoint?: string | undefined; resume?: string | undefined; shard?: string | undefined; checks?: boolean | undefined; symmetry?: boolean | undefined; por?: boolean | undefined }): RunFlagOptions => {
  const memoryMiB = intFlag("memory", values.memory)
  if (memoryMiB !== undefined && memoryMiB < 16) throw new UsageError(`--memory is in MiB and must be at least 16, got ${memoryMiB}`)
  const shard = values.shard === undefined ? undefined : parseShard(values.shard)
  if (values.shard !== undefined && !shard) throw new UsageError(`--shard must be I/N with 1 <= I <= N, got "${values.shard}"`)
  return {
    ...(memoryMiB !== undefined ? { memoryMiB } : {}),
    ...(values.checkpoint !== undefined ? { checkpoint: values.checkpoint } : {}),
    ...(values.resume !== undefined ? { resume: values.resume } : {}),
    ...(shard ? { shard } : {}),
    ...(values.checks ? { checks: true } : {}),
    ...(values.symmetry ? { symmetry: true } : {}),
    ...(values.por ? { por: true } : {}),
  }
}

/** Once the strategy is known (flag or named test): which flags it takes. */
export const checkRunStrategy = (scale: RunFlagOptions, strategy: string, workers: number): void => {
  const bfsOnly = scale.memoryMiB !== undefined || scale.checkpoint !== undefined || scale.resume !== undefined
  if (scale.checks && (strategy !== "bfs" || workers > 1)) throw new UsageError(`--checks applies to single-threaded bfs only`)
  if (bfsOnly && (strategy !== "bfs" || workers > 1)) throw new UsageError(`--memory, --checkpoint and --resume apply to single-threaded bfs only`)
  if (scale.symmetry && !["bfs", "dfs"].includes(strategy)) throw new UsageError(`--symmetry applies to bfs and dfs, not ${strategy}`)
  if (scale.por && (strategy !== "bfs" || workers > 1)) throw new UsageError(`--por applies to single-threaded bfs only`)
  if (scale.por && scale.symmetry) throw new UsageError(`--por and --symmetry do not combine (sleep sets name steps of concrete states, symmetry merges renamed ones)`)
  if (scale.shard && !SAMPLED.includes(strategy)) throw new UsageError(`--shard applies to the sampled strategies (${SAMPLED.join(", ")}), not ${strategy}`)
}
