/** The flags of `tla-ts check` for long and split runs: --memory, --checkpoint, --resume, --shard. */
import type { CheckOptions } from "../checker/result.ts"
import { parseShard } from "../checker/shard.ts"
import { intFlag, UsageError } from "./usage.ts"

export const SCALE_FLAGS = {
  memory: { type: "string" },
  checkpoint: { type: "string" },
  resume: { type: "string" },
  shard: { type: "string" },
} as const

const SAMPLED = ["random", "swarm", "pct", "coverage"]

type ScaleOptions = Pick<CheckOptions, "memoryMiB" | "checkpoint" | "resume" | "shard">

export const scaleOptions = (values: { memory?: string | undefined; checkpoint?: string | undefined; resume?: string | undefined; shard?: string | undefined }): ScaleOptions => {
  const memoryMiB = intFlag("memory", values.memory)
  if (memoryMiB !== undefined && memoryMiB < 16) throw new UsageError(`--memory is in MiB and must be at least 16, got ${memoryMiB}`)
  const shard = values.shard === undefined ? undefined : parseShard(values.shard)
  if (values.shard !== undefined && !shard) throw new UsageError(`--shard must be I/N with 1 <= I <= N, got "${values.shard}"`)
  return {
    ...(memoryMiB !== undefined ? { memoryMiB } : {}),
    ...(values.checkpoint !== undefined ? { checkpoint: values.checkpoint } : {}),
    ...(values.resume !== undefined ? { resume: values.resume } : {}),
    ...(shard ? { shard } : {}),
  }
}

/** Once the strategy is known (flag or named test): which flags it takes. */
export const checkScaleStrategy = (scale: ScaleOptions, strategy: string, workers: number): void => {
  const bfsOnly = scale.memoryMiB !== undefined || scale.checkpoint !== undefined || scale.resume !== undefined
  if (bfsOnly && (strategy !== "bfs" || workers > 1)) throw new UsageError(`--memory, --checkpoint and --resume apply to single-threaded bfs only`)
  if (scale.shard && !SAMPLED.includes(strategy)) throw new UsageError(`--shard applies to the sampled strategies (${SAMPLED.join(", ")}), not ${strategy}`)
}
