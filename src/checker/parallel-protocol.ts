/**
 * What the parallel BFS coordinator (parallel-bfs.ts) and its workers (parallel-worker.ts) share:
 * how a worker finds the system (by model name through the registry, since functions cannot cross
 * threads), the messages they exchange, and the layout of the shared control words.
 */
import type { Params } from "./model.ts"
import type { SharedFpSetBuffers } from "./shared-fpset.ts"
import type { QueueKind, Segment } from "./shared-queue.ts"

/** A system by name: model, parameters, and optionally one of the model's named tests. */
export interface ModelRef {
  /** URL of a module exporting `loadModel(name)` (the registry): the checker itself knows no models. */
  readonly loader: string
  readonly model: string
  readonly params: Params
  readonly test?: string
  /** Seed for a system that carries its own randomness; every worker builds with the same (default 0). */
  readonly seed?: number
  /** Reduce by the system's declared symmetry (symmetry.ts), in the coordinator and every worker alike. */
  readonly symmetry?: boolean
}

export { buildSystem } from "./run-model.ts"

/** Int32 words of the control buffer. */
export const CURSOR = 0 // next unclaimed index of the current frontier
export const STOP = 1 // set to 1: every worker returns as soon as it can
export const HIT = 2 // claimed (0 -> 1) by the first worker that reports a hit
export const CONTROL_WORDS = 3

/**
 * Float64 stats, one cache line per thread (searching threads 0..n-1, then the initial states), each written only by its thread: summed, they give generated and distinct.
 */
export const STATS_STRIDE = 8
export const GENERATED = 0
export const INSERTED = 1

/** One counter summed over all threads. */
export const statSum = (stats: Float64Array, counter: number): number => {
  let n = 0
  for (let i = counter; i < stats.length; i += STATS_STRIDE) n += stats[i]!
  return n
}

export interface WorkerInit {
  readonly ref: ModelRef
  /** This thread's stats slot: 0 the coordinator, 1.. the worker threads. */
  readonly index: number
  readonly kind: QueueKind
  readonly control: SharedArrayBuffer
  /** Per-thread counters, STATS_STRIDE doubles per thread (see below). */
  readonly stats: SharedArrayBuffer
  readonly table: SharedFpSetBuffers
  readonly maxStates: number
  readonly stopAtGoal: boolean
  readonly checkDeterminism: boolean
}

/**
 * Coordinator -> searching thread: work until the frontier is exhausted or a stop condition (see
 * parallel-search.ts); or, with `rehashFrom`, only switch to the grown `table` and fill in slice
 * `part` of `parts` of it (one per thread searching the level).
 */
export interface RunMessage {
  /** Present when a new level starts. */
  readonly level?: { readonly segments: ReadonlyArray<Segment>; readonly total: number }
  /** The fingerprint table: at every level start (a late joiner may have missed a growth) and after a growth. */
  readonly table?: SharedFpSetBuffers
  readonly rehashFrom?: { readonly from: SharedFpSetBuffers; readonly part: number; readonly parts: number }
}

/** A property hit, in a form that crosses threads; the coordinator rebuilds the path. */
export interface HitReport {
  readonly kind: "violation" | "goal"
  readonly property: string
  readonly detail?: string
  /** Id of the state the hit was found from (for a determinism failure: the state itself). */
  readonly parent: number
  /** The step from `parent` into the hit state; absent for a determinism failure. */
  readonly step?: { readonly text: string; readonly hi: number; readonly lo: number }
}

/** Worker -> coordinator. */
export type WorkerReply =
  | { readonly type: "ready" }
  | {
      readonly type: "ran"
      readonly out: Segment
      /** Stopped at the end of a time slice (the coordinator's own share only): call again to resume. */
      readonly paused?: boolean
      readonly hit?: HitReport
      readonly goal?: HitReport
    }
  | { readonly type: "failed"; readonly message: string; readonly stack?: string }
