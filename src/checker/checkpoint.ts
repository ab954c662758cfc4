/**
 * Checkpoints of a BFS run (`--checkpoint DIR`, `--resume DIR`): the fingerprint set with its parent
 * ids, the queue of states still to expand, and the counters, so that a resumed run ends with the
 * same counts and traces as one that was never stopped.
 */
import { taggedError } from "../errors.ts"
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { FingerprintSet } from "./fpset.ts"
import { type Codec, SpillQueue } from "./spill-queue.ts"

/** 2: the queue as a directory of segment files (spilled ones hard-linked), not one file. */
export const CHECKPOINT_VERSION = 2

export interface BfsCounters {
  readonly generated: number
  readonly depth: number
  /** States of the current level still in the queue; the rest belong to the next level. */
  readonly levelLeft: number
  readonly expanded: number
}

export class CheckpointError extends taggedError("CheckpointError") {}

/** Writes a checkpoint; the files are written beside and renamed into place, so a crash mid-write keeps the previous one. */
export const saveCheckpoint = <S>(dir: string, system: string, seen: FingerprintSet, queue: SpillQueue<S>, counters: BfsCounters): void => {
  mkdirSync(dir, { recursive: true })
  const tmp = join(dir, "next")
  rmSync(tmp, { recursive: true, force: true })
  mkdirSync(tmp)
  seen.save(join(tmp, "fingerprints.bin"))
  queue.save(join(tmp, "queue"))
  writeFileSync(join(tmp, "meta.json"), JSON.stringify({ format: "tla-ts-checkpoint", version: CHECKPOINT_VERSION, system, ...counters, distinct: seen.size }))
  const cur = join(dir, "current")
  rmSync(cur, { recursive: true, force: true })
  renameSync(tmp, cur)
}

export const loadCheckpoint = <S>(dir: string, system: string, codec: Codec<S>, spillDir: string | undefined, memoryBudget: number) => {
  const cur = join(dir, "current")
  if (!existsSync(join(cur, "meta.json"))) throw new CheckpointError(`no checkpoint in ${dir} (expected ${join(cur, "meta.json")})`)
  let meta: BfsCounters & { format?: string; version?: number; system?: string }
  try {
    meta = JSON.parse(readFileSync(join(cur, "meta.json"), "utf8"))
  } catch (e) {
    throw new CheckpointError(`checkpoint ${dir} is corrupt: ${(e as Error).message}`)
  }
  if (meta.format !== "tla-ts-checkpoint" || meta.version !== CHECKPOINT_VERSION) throw new CheckpointError(`${dir} is not a version ${CHECKPOINT_VERSION} tla-ts checkpoint`)
  if (meta.system !== system) throw new CheckpointError(`checkpoint ${dir} is of ${meta.system}, not of ${system}`)
  return {
    seen: FingerprintSet.load(join(cur, "fingerprints.bin")),
    queue: SpillQueue.load(join(cur, "queue"), codec, spillDir, memoryBudget),
    counters: { generated: meta.generated, depth: meta.depth, levelLeft: meta.levelLeft, expanded: meta.expanded },
  }
}
