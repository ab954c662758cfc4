/**
 * Breadth-first search on several threads (both cores), level-synchronous: every searching thread
 * expands the frontier of level d -- its own states, kept in its own heap, and what it takes from
 * the others once they are spent (work stealing, parallel-search.ts) -- and every successor goes
 * through one fingerprint table in shared memory (shared-fpset.ts); the new states a thread finds
 * are its frontier at level d + 1. `workers: n` searches on n threads: this one (the coordinator,
 * which also handles initial states, the level barriers, table growth and the final report) and
 * n - 1 worker threads. The coordinator starts searching at once with the system it has already
 * built; a worker joins the level under way as soon as it has loaded the model (it starts with no
 * states and takes half of the coordinator's), so its start-up overlaps the search instead of
 * preceding it.
 *
 * Same answers as `bfs` in explore.ts: distinct, generated and depth of a complete run are equal, and a
 * hit found while expanding level d is at depth d + 1, so a counterexample is a shortest one (which of
 * several shortest ones depends on thread timing). Its path is rebuilt from the parent ids kept in the
 * shared table, as bfs does.
 *
 * The table is sized from `expectedStates` when given; otherwise it starts small (2^18 slots) and is
 * doubled whenever the searching threads pause at 50% load, in the middle of a level if need be.
 */
import { isSymmetryReduced } from "./symmetry.ts"
import { toResult } from "./outcome.ts"
import { thenLiveness } from "./liveness.ts"
import { availableParallelism } from "node:os"
import { type WorkerBoot, workerBoot } from "./worker-boot.ts"
import { workerResourceLimits } from "./v8-flags.ts"
import { Worker } from "node:worker_threads"
import { NO_PARENT } from "./fpset.ts"
import {
  ADOPTED,
  buildSystem,
  controlWords,
  GENERATED,
  HANDED_BYTES,
  HANDOFF_SECONDS,
  type HitReport,
  IDLE,
  INSERTED,
  LEFT,
  MEMO_HITS,
  MEMO_MISSES,
  type ModelPreload,
  type ModelRef,
  type RefMessage,
  REHASH_SECONDS,
  type RunMessage,
  START_CPU,
  statsLength,
  statsSlot,
  statSum,
  STEALS,
  STOLEN,
  STOP,
  threadWord,
  WAITED,
  type WorkerInit,
  type WorkerReply,
} from "./parallel-protocol.ts"
import { lastState, pathFromFingerprints, ReplayError, stepsOf } from "./path.ts"
import { type Hit, PropertySet } from "./properties.ts"
import type { CheckOptions, CheckResult, Path } from "./result.ts"
import { type Ran, type Searcher, searcher } from "./parallel-search.ts"
import { SharedFpSet, type SharedFpSetBuffers } from "./shared-fpset.ts"
import { handoffBuffers, stateKindOf } from "./shared-handoff.ts"
import { newFingerprint, type TransitionSystem } from "./transition-system.ts"

export type { ModelRef } from "./parallel-protocol.ts"

export interface ParallelOptions extends CheckOptions {
  /** Worker threads (default: the available cores). */
  readonly workers?: number
  /** Expected distinct states: sizes the shared table so that it never has to grow. */
  readonly expectedStates?: number
  /** Wait for every worker before the first level instead of letting them join as they start (tests: every thread searches every level). */
  readonly startTogether?: boolean
  /** Milliseconds the coordinator searches before it serves its event loop (default 20; tests make it short, so that it often pauses with a request for work outstanding). */
  readonly sliceMs?: number
  /** Workers started before the model was loaded (startEarly), for this search to adopt: it then starts no others. */
  readonly started?: EarlyWorkers
}

/** One worker and its single outstanding request. */
class Channel {
  private waiting: { resolve: (r: WorkerReply) => void; reject: (e: Error) => void } | undefined
  failure: Error | undefined
  /** The worker has built the system and takes run messages. */
  ready = false

  constructor(readonly worker: Worker) {
    worker.on("message", (r: WorkerReply) => {
      const w = this.waiting
      this.waiting = undefined
      if (r.type === "failed") this.fail(Object.assign(new Error(`parallel BFS worker: ${r.message}`), r.stack ? { stack: r.stack } : {}), w)
      else w?.resolve(r)
    })
    worker.on("error", (e) => this.fail(e, this.waiting))
    worker.on("exit", (code) => this.fail(new Error(`parallel BFS worker exited with code ${code}`), this.waiting))
    this.next().then(
      () => (this.ready = true),
      () => undefined // kept in `failure`, thrown at the next level
    )
  }

  private fail(e: Error, w: typeof this.waiting) {
    this.failure ??= e
    this.waiting = undefined
    w?.reject(this.failure)
  }

  next(): Promise<WorkerReply> {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }))
  }
}

/** Milliseconds the coordinator searches before it serves its event loop (timers, progress, replies). */
const SLICE_MS = 20

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve))

/** A searching thread's reply, with its thread index. */
interface Reply {
  readonly thread: number
  readonly ran: Ran
}

/**
 * The searching threads: the coordinator's own searcher and the worker threads that have joined. A
 * worker that becomes ready during a level joins it at the coordinator's next slice, not at the next
 * level: it takes work from the others (work stealing). On a busy machine a level of TwoPhase RM=8
 * takes seconds, and a worker that waited for the next one lost that much.
 */
class Pool {
  /** The workers searching the current level. */
  private joined: Channel[] = []
  /** The current level's message, with the table it is searched in now (a late joiner's first message). */
  private current: RunMessage | undefined

  constructor(
    private readonly local: Searcher<unknown>,
    private readonly channels: ReadonlyArray<Channel>
  ) {}

  /** The search over `channels`' workers (started already, loading the model), each sent its set-up. */
  static start(local: Searcher<unknown>, channels: ReadonlyArray<Channel>, init: (index: number) => WorkerInit): Pool {
    channels.forEach((c, i) => c.worker.postMessage(init(i + 1)))
    return new Pool(local, channels)
  }

  /** Resolves once every worker is ready (or rejects with the first failure). */
  async allReady(): Promise<void> {
    while (!this.channels.every((c) => c.ready)) {
      const failed = this.channels.find((c) => c.failure)
      if (failed) throw failed.failure
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }

  /** A new level: the workers ready by now join (a worker that failed to start fails the search). */
  level(m: RunMessage): Promise<Reply[]> {
    this.failed()
    this.joined = this.channels.filter((c) => c.ready)
    this.current = m
    return this.run(m)
  }

  /** Throws the first worker's failure, if any. */
  private failed(): void {
    const failed = this.channels.find((c) => c.failure)
    if (failed) throw failed.failure
  }

  /** Sends `m` to a worker of the level; its reply joins `replies`. */
  private send(c: Channel, m: RunMessage, replies: Array<Promise<Reply>>): void {
    const thread = this.channels.indexOf(c) + 1
    const reply = c.next().then((r) => ({ thread, ran: r as Ran }))
    reply.catch(() => undefined) // awaited by run, after the coordinator's share
    replies.push(reply)
    c.worker.postMessage(m)
  }

  /** Workers ready since the level started join it now. */
  private admit(replies: Array<Promise<Reply>>): void {
    for (const c of this.channels)
      if (c.ready && !c.failure && this.current && !this.joined.includes(c)) {
        this.joined.push(c)
        this.send(c, this.current, replies)
      }
  }

  /** Runs a message on every thread of the level (the coordinator first in the replies); the coordinator's share in slices, its event loop served in between. */
  async run(m: RunMessage): Promise<Reply[]> {
    const replies: Array<Promise<Reply>> = []
    for (const c of this.joined) this.send(c, m, replies)
    let mine = this.local.run(m)
    while (mine.paused) {
      await macrotask()
      this.failed()
      this.admit(replies)
      mine = this.local.run({})
    }
    const t0 = now()
    const theirs = await Promise.all(replies)
    this.local.idle(now() - t0)
    return [{ thread: 0, ran: mine }, ...theirs]
  }

  /** Switches every thread of the level to the grown table, each re-inserting its slice of the old one. */
  async rehash(table: SharedFpSetBuffers, from: SharedFpSetBuffers): Promise<void> {
    const parts = this.joined.length + 1
    const replies = this.joined.map((c, i) => {
      const reply = c.next()
      c.worker.postMessage({ table, rehashFrom: { from, part: i + 1, parts } } satisfies RunMessage)
      return reply
    })
    for (const p of replies) p.catch(() => undefined)
    if (this.current) this.current = { ...this.current, table }
    this.local.run({ table, rehashFrom: { from, part: 0, parts } })
    await Promise.all(replies)
  }

}

/** Worker threads that start loading the model at once (parallel-worker.ts), before their set-up is known. */
const startWorkers = (count: number, boot: WorkerBoot, ref: ModelRef): Channel[] =>
  Array.from(
    { length: count },
    () => new Channel(new Worker(boot.code, { eval: true, workerData: { ...ref, loader: boot.moduleFor(ref.loader) } satisfies ModelRef, resourceLimits: workerResourceLimits() }))
  )

/**
 * Worker threads started before the caller loads the model (the CLI, before its own import of the
 * model): each imports the loader and the model's modules -- about 0.3 CPU s, most of its start-up --
 * while this thread does the same, and builds the system once parallelBfs sends it the full reference
 * (params, test, seed). Not holding the process open until adopted; `close` them if never adopted.
 */
export interface EarlyWorkers {
  readonly loader: string
  readonly model: string
  readonly close: () => Promise<void>
}

/**
 * The threads behind each EarlyWorkers, kept out of its published type: the package's declarations
 * must not name node:worker_threads' types (a user's project without @types/node fails to compile
 * them: test/package/pack.test.ts).
 */
const earlyThreads = new WeakMap<EarlyWorkers, { readonly channels: ReadonlyArray<Channel>; readonly boot: WorkerBoot }>()

/** Starts `workers - 1` worker threads for a parallel search of `model` (a name or an absolute file path) through `loader`. */
export const startEarly = (loader: string, model: string, workers: number): EarlyWorkers => {
  const boot = workerBoot(import.meta.url, "parallel-worker", [loader])
  const channels = Array.from({ length: Math.max(0, workers - 1) }, () => {
    const preload: ModelPreload = { loader: boot.moduleFor(loader), model, preload: true }
    const worker = new Worker(boot.code, { eval: true, workerData: preload, resourceLimits: workerResourceLimits() })
    const channel = new Channel(worker)
    worker.unref() // after Channel's listeners, which would hold it again
    return channel
  })
  const early: EarlyWorkers = { loader, model, close: async () => void (await closeAll(channels)) }
  earlyThreads.set(early, { channels, boot })
  return early
}

/** The early workers for `ref` (the same loader and model, else an error: they loaded another), sent the full reference. */
const adopt = (started: EarlyWorkers, ref: ModelRef, workers: number): ReadonlyArray<Channel> => {
  const { channels, boot } = earlyThreads.get(started)!
  if (started.loader !== ref.loader || started.model !== ref.model || channels.length !== workers - 1)
    throw new Error(`parallel BFS: the workers started early load ${started.model} (${channels.length}), not ${ref.model} (${workers - 1})`)
  for (const c of channels) {
    c.worker.ref()
    c.worker.postMessage({ ref: { ...ref, loader: boot.moduleFor(ref.loader) } } satisfies RefMessage)
  }
  return channels
}

const closeAll = (channels: ReadonlyArray<Channel>) => Promise.all(channels.map((c) => c.worker.terminate()))

const now = () => performance.now() / 1000

/** The path to a worker's hit: parents from the shared table, then the reported last step by its label. */
const pathOf = <S, L>(system: TransitionSystem<S, L>, seen: SharedFpSet, h: HitReport): Path<S, L> => {
  const base = pathFromFingerprints(system, seen.pathTo(h.parent))
  if (!h.step) return base
  const { text, hi, lo } = h.step
  const fp = newFingerprint()
  const same = (st: { next: S }) => (system.fingerprint(st.next, fp), fp.hi === hi && fp.lo === lo)
  const steps = stepsOf(system, lastState(base))
  // Under symmetry the rebuilt parent may be a renamed copy of the worker's: the step is then found by its target's orbit.
  const last = steps.find((st) => system.formatLabel(st.label) === text && same(st)) ?? (isSymmetryReduced(system) ? steps.find(same) : undefined)
  if (!last) throw new ReplayError(`nondeterminism: step "${text}" cannot be regenerated from its parent state`, base.steps.length + 1)
  return { ...base, steps: [...base.steps, { label: last.label, text, state: last.next }] }
}

/** Where a search ended: the hit and its path, or why it stopped early. */
interface Outcome {
  hit?: Hit
  hitDepth: number
  path?: Path<unknown, unknown>
  goalSeen?: Hit
  budgetHit: boolean
  /** The level being expanded when the search ended (the last level of a complete run). */
  level: number
}

/** One searching thread's share of a parallel search (the coordinator is thread 0). */
export interface ThreadShare {
  readonly generated: number
  /** States it took from other threads, and in how many hand-offs. */
  readonly stolen: number
  readonly steals: number
  /** Seconds it waited for a hand-off, and seconds it had no work (its level done, the others' not). */
  readonly waitedSeconds: number
  readonly idleSeconds: number
  /** Bytes it wrote into others' hand-off buffers (the states it gave away, encoded). */
  readonly handedBytes: number
  /** Parts of the states it took that it replaced by equal objects of its own (a protocol's node records, so its identity-keyed caches hit). */
  readonly adopted: number
  /** Its step memo's lookups that hit and that missed (0 and 0 for a system without one): each thread keeps its own. */
  readonly memoHits: number
  readonly memoMisses: number
  /** CPU seconds a worker thread spent loading the model before it searched (0 for the coordinator, and off Linux). */
  readonly startCpuSeconds: number
  /** Seconds it spent encoding the states it gave away and decoding (and adopting) those it took. */
  readonly handoffSeconds: number
  /** Seconds it spent re-inserting its slice of the fingerprint table when the table grew. */
  readonly rehashSeconds: number
}

/** A parallel search's result, with each searching thread's share of the successors generated (the coordinator's first). */
export type ParallelResult = CheckResult<unknown, unknown> & {
  readonly generatedByThread: ReadonlyArray<number>
  readonly threads: ReadonlyArray<ThreadShare>
  /** Times the shared fingerprint table grew during the search. */
  readonly tableGrowths: number
}

export const parallelBfs = async (ref: ModelRef, options: ParallelOptions = {}): Promise<ParallelResult> => {
  const start = now()
  // Searching threads: this one and workers - 1 worker threads.
  const workers = Math.max(1, options.workers ?? availableParallelism())
  // A worker runs the build when it is fresh (worker-boot.ts), the model's loader included. The
  // workers start first (or started before the caller loaded the model: options.started): their
  // loading of the model overlaps this thread's.
  const channels = options.started ? adopt(options.started, ref, workers) : startWorkers(workers - 1, workerBoot(import.meta.url, "parallel-worker", [ref.loader]), ref)
  try {
    return await search(ref, options, start, workers, channels)
  } finally {
    await closeAll(channels)
  }
}

const search = async (ref: ModelRef, options: ParallelOptions, start: number, workers: number, channels: ReadonlyArray<Channel>): Promise<ParallelResult> => {
  const system = await buildSystem(ref)
  const props = new PropertySet(system)
  const stopAtGoal = options.stopAtGoal ?? true
  const inits = system.initial()
  const shared: Shared = {
    threads: workers,
    seen: SharedFpSet.create(Math.max(options.expectedStates ?? 0, inits.length)),
    growths: 0,
    control: new Int32Array(new SharedArrayBuffer(controlWords(workers) * 4)),
    // Threads 0..workers-1 search (0 is this one); the last slot counts the initial states.
    stats: new Float64Array(new SharedArrayBuffer(8 * statsLength(workers + 1))),
  }
  const outcome: Outcome = { hitDepth: 0, budgetHit: false, level: 0 }
  const kind = inits.length > 0 ? stateKindOf(system, inits[0]) : "number"
  const handoffs = Array.from({ length: workers }, () => handoffBuffers())
  const init = (index: number): WorkerInit => ({
    index,
    threads: workers,
    kind,
    control: shared.control.buffer as SharedArrayBuffer,
    stats: shared.stats.buffer as SharedArrayBuffer,
    table: shared.seen.buffers,
    handoffs,
    maxStates: options.maxStates ?? Infinity,
    stopAtGoal,
    checkDeterminism: options.checkDeterminism ?? true,
  })
  const local = searcher(init(0), system, options.sliceMs ?? SLICE_MS)

  // Initial states, here: they are few, and a hit among them needs no worker. They are the coordinator's first frontier.
  const own = statsSlot(workers)
  let first = 0
  const fp = newFingerprint()
  for (const [initialIndex, s] of inits.entries()) {
    shared.stats[own + GENERATED]++
    system.fingerprint(s, fp)
    const id = shared.seen.add(fp.hi, fp.lo, NO_PARENT)
    if (id < 0) continue
    shared.stats[own + INSERTED]++
    const h = props.checkState(s)
    if (h && (h.kind === "violation" || stopAtGoal)) {
      outcome.hit = h
      outcome.path = { initialIndex, initial: s, steps: [] }
      break
    }
    if (h) outcome.goalSeen ??= h
    local.seed(s, id)
    first++
  }

  if (!outcome.hit && first > 0) {
    const pool = Pool.start(local, channels, init)
    if (options.startTogether) await pool.allReady()
    await searchLevels(system, pool, shared, [first], outcome, options, start)
  }

  const complete = !outcome.hit && !outcome.budgetHit
  const result = toResult({
    strategy: "bfs",
    hit: outcome.hit,
    goalSeen: outcome.goalSeen,
    hasGoals: props.goals.length > 0,
    ranOut: !complete,
    complete,
    path: outcome.path,
    distinct: statSum(shared.stats, INSERTED),
    generated: statSum(shared.stats, GENERATED),
    depth: (outcome.hit ? outcome.hitDepth : outcome.level) + 1,
    seconds: now() - start,
  })
  // Liveness needs the whole graph in one thread: checked here once the parallel search found safety holds.
  const threads = Array.from({ length: workers }, (_, i): ThreadShare => {
    const stat = (k: number) => shared.stats[statsSlot(i) + k]!
    return { generated: stat(GENERATED), stolen: stat(STOLEN), steals: stat(STEALS), waitedSeconds: stat(WAITED), idleSeconds: stat(IDLE), handedBytes: stat(HANDED_BYTES), adopted: stat(ADOPTED), memoHits: stat(MEMO_HITS), memoMisses: stat(MEMO_MISSES), startCpuSeconds: stat(START_CPU), handoffSeconds: stat(HANDOFF_SECONDS), rehashSeconds: stat(REHASH_SECONDS) }
  })
  return { ...thenLiveness(system, result, options), generatedByThread: threads.map((t) => t.generated), threads, tableGrowths: shared.growths }
}

interface Shared {
  seen: SharedFpSet
  /** Times the table grew (each a pause of every searching thread). */
  growths: number
  /** Searching threads. */
  readonly threads: number
  readonly control: Int32Array
  readonly stats: Float64Array
}

/** The level loop: run the threads over each level, growing the table when they pause for it. `sizes`: each thread's frontier. */
const searchLevels = async (
  system: TransitionSystem<unknown, unknown>,
  pool: Pool,
  shared: Shared,
  sizes: number[],
  outcome: Outcome,
  options: ParallelOptions,
  start: number
): Promise<void> => {
  const maxStates = options.maxStates ?? Infinity
  const maxDepth = options.maxDepth ?? Infinity
  const { control, stats, threads } = shared
  let timeUp = false
  const deadline =
    options.maxSeconds === undefined
      ? undefined
      : setTimeout(() => {
          timeUp = true
          Atomics.store(control, STOP, 1)
        }, options.maxSeconds * 1000)
  const onProgress = options.onProgress
  const progress = onProgress
    ? setInterval(() => {
        const seconds = now() - start
        const distinct = statSum(stats, INSERTED)
        let queue = 0
        for (let t = 0; t < threads; t++) queue += Math.max(0, control[threadWord(t, LEFT)]!)
        onProgress({ generated: statSum(stats, GENERATED), distinct, queue, depth: outcome.level, seconds, statesPerSecond: distinct / seconds })
      }, 1000)
    : undefined
  try {
    for (;;) {
      if (outcome.level >= maxDepth) {
        outcome.budgetHit = true
        return
      }
      // What each thread has, for the others to see before it starts: a thief waits for a thread with work that has not opened yet.
      for (let t = 0; t < threads; t++) control[threadWord(t, LEFT)] = sizes[t] ?? 0
      let replies = await pool.level({ level: outcome.level, table: shared.seen.buffers })
      for (;;) {
        outcome.goalSeen ??= replies.find((r) => r.ran.goal)?.ran.goal
        const hit = replies.find((r) => r.ran.hit)?.ran.hit
        if (hit) {
          outcome.hit = hit
          outcome.hitDepth = hit.step ? outcome.level + 1 : outcome.level
          outcome.path = pathOf(system, shared.seen, hit)
          return
        }
        if (timeUp || statSum(stats, INSERTED) >= maxStates) {
          outcome.budgetHit = true
          return
        }
        if (shared.seen.claimed < shared.seen.growAt) break
        // Grown by the searching threads, each a slice, then each resumes where it paused.
        const grown = shared.seen.grownIds()
        shared.growths++
        await pool.rehash(grown.buffers, shared.seen.buffers)
        shared.seen = grown
        replies = await pool.run({})
      }
      sizes = []
      for (const r of replies) sizes[r.thread] = r.ran.next
      if (!sizes.some((n) => n > 0)) return
      outcome.level++
    }
  } finally {
    clearTimeout(deadline)
    clearInterval(progress)
  }
}
