/**
 * What the parallel BFS coordinator (parallel-bfs.ts) and its workers (parallel-worker.ts) share:
 * how a worker finds the system (by model name through the registry, since functions cannot cross
 * threads), the messages they exchange, and the layout of the shared control words.
 */
import type { Params } from "./model.ts"
import type { SharedFpSetBuffers } from "./shared-fpset.ts"
import type { HandoffBuffers, StateKind } from "./shared-handoff.ts"

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

/**
 * A worker started before its system is known (parallel-bfs.ts startEarly): it imports the loader and loads the
 * model's modules at once -- most of its start-up -- and builds once a RefMessage brings the rest.
 */
export interface ModelPreload {
  readonly loader: string
  readonly model: string
  readonly preload: true
}

/** Coordinator -> an early-started worker, before its WorkerInit: the system to build (same loader and model). */
export interface RefMessage {
  readonly ref: ModelRef
}

/**
 * Int32 words of the control buffer. Words written often (each thread's LEFT, once per state) and words
 * every thread reads as often (STOP, each thread's ASK) are 128 bytes apart, and 64 from either end of
 * the buffer: a SharedArrayBuffer's start is not cache-line aligned, and two threads writing into one
 * line (false sharing) would stall each other on every state.
 */
export const STOP = 16 // set to 1: every thread returns as soon as it can
export const HIT = 17 // claimed (0 -> 1) by the first thread that reports a hit
const THREAD_BASE = 48
const THREAD_WORDS = 32
/** Per thread: the states left in its frontier (a hint for thieves, written by the thread; preset by the coordinator at a level start). */
export const LEFT = 0
/**
 * Per thread: 0 open to thieves, CLOSED while it is not searching, thief + 1 when one asks for work
 * (which the thief may withdraw, back to 0, until the thread claims the request: SERVING).
 */
export const ASK = 1
/** Per thread, as a thief: 0 while waiting, then the number of states handed to it, or REFUSED. */
export const GOT = 2
export const CLOSED = -1
export const SERVING = -2
export const REFUSED = -1
export const threadWord = (thread: number, word: number): number => THREAD_BASE + thread * THREAD_WORDS + word
export const controlWords = (threads: number): number => THREAD_BASE + threads * THREAD_WORDS + 16

/**
 * Float64 stats, a slot of 128 bytes per thread (searching threads 0..n-1, then the initial states),
 * after an empty one and before another (no thread's counters share a cache line with another's nor
 * with memory outside the buffer), each written only by its thread: summed, they give generated and distinct.
 */
export const STATS_STRIDE = 16
/** The first stat of thread `thread`'s slot (`slots`: the searching threads and the initial states' slot). */
export const statsSlot = (thread: number): number => (thread + 1) * STATS_STRIDE
export const statsLength = (slots: number): number => (slots + 2) * STATS_STRIDE
export const GENERATED = 0
export const INSERTED = 1
/** States this thread took from others (work stealing), and in how many hand-offs. */
export const STOLEN = 2
export const STEALS = 3
/** Seconds this thread waited for a hand-off (or for a busy giver), and seconds it had no work at all (between its level done and the next level). */
export const WAITED = 4
export const IDLE = 5
/** Bytes this thread wrote into others' hand-off buffers. */
export const HANDED_BYTES = 6
/** Parts of the states this thread took that it replaced by equal objects of its own (node records: TransitionSystem.interner). */
export const ADOPTED = 7
/** This thread's step-memo lookups that hit and that missed (TransitionSystem.memo), when the system keeps one. */
export const MEMO_HITS = 8
export const MEMO_MISSES = 9
/** CPU seconds a worker thread spent before it could search (module loading, the system's build): Linux only, else 0. */
export const START_CPU = 10
/** Seconds this thread spent encoding the states it gave and decoding those it took (hand-offs). */
export const HANDOFF_SECONDS = 11
/** Seconds this thread spent re-inserting its slice of the fingerprint table when it grew. */
export const REHASH_SECONDS = 12

/** One counter summed over all threads. */
export const statSum = (stats: Float64Array, counter: number): number => {
  let n = 0
  for (let i = counter; i < stats.length; i += STATS_STRIDE) n += stats[i]!
  return n
}

/** A worker's set-up, its first message (its model reference came before, as its workerData). */
export interface WorkerInit {
  /** This thread's stats slot and control words: 0 the coordinator, 1.. the worker threads. */
  readonly index: number
  /** Searching threads in all. */
  readonly threads: number
  readonly kind: StateKind
  readonly control: SharedArrayBuffer
  /** Per-thread counters, STATS_STRIDE doubles per thread (see below). */
  readonly stats: SharedArrayBuffer
  readonly table: SharedFpSetBuffers
  /** Every thread's hand-off buffer, by thread index. */
  readonly handoffs: ReadonlyArray<HandoffBuffers>
  readonly maxStates: number
  readonly stopAtGoal: boolean
  readonly checkDeterminism: boolean
}

/**
 * Coordinator -> searching thread: work until the level is done (its own frontier and what it can
 * take from the others) or a stop condition (see parallel-search.ts); or, with `rehashFrom`, only
 * switch to the grown `table` and fill in slice `part` of `parts` of it (one per thread searching
 * the level).
 */
export interface RunMessage {
  /** Present when a level starts (0 the initial states): the thread's next frontier becomes its frontier. */
  readonly level?: number
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
      /** States in this thread's next frontier so far. */
      readonly next: number
      /** Stopped at the end of a time slice (the coordinator's own share only): call again to resume. */
      readonly paused?: boolean
      readonly hit?: HitReport
      readonly goal?: HitReport
    }
  | { readonly type: "failed"; readonly message: string; readonly stack?: string }
