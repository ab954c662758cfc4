/**
 * The search loop of parallel BFS, run by every searching thread: the worker threads
 * (parallel-worker.ts) and the coordinator itself (parallel-bfs.ts), which searches from the first
 * level on while its workers are still starting. On each run message a thread claims chunks of the
 * current frontier (a shared cursor, so a slow chunk does not leave the other core idle), inserts
 * successors into the shared table and appends the new ones to its own queue. It returns early when
 * the coordinator must act: a hit, the stop word, the table due to grow, or the state budget; its
 * position in the claimed chunk is kept, so the next run resumes there.
 */
import { determinismHit, shouldSample } from "./determinism.ts"
import {
  CURSOR,
  GENERATED,
  HIT,
  type HitReport,
  INSERTED,
  type RunMessage,
  STATS_STRIDE,
  statSum,
  STOP,
  type WorkerInit,
  type WorkerReply,
} from "./parallel-protocol.ts"
import { type Hit, PropertySet } from "./properties.ts"
import { SharedFpSet } from "./shared-fpset.ts"
import { type QueueReader, queueReader, queueWriter } from "./shared-queue.ts"
import type { TransitionSystem } from "./transition-system.ts"
import { newFingerprint } from "./transition-system.ts"

/** What a searching thread needs: the worker's start-up data but the model reference. */
export type SearcherInit = Omit<WorkerInit, "ref">
export type Ran = Extract<WorkerReply, { type: "ran" }>

/** Frontier indices claimed at a time: large enough to keep the shared cursor cold, small enough to balance. */
const CHUNK = 256

/**
 * One thread's share of the search (a worker's, or the coordinator's own). Returns the handler of
 * run messages; each call works until the frontier is exhausted or a stop condition and says where
 * it stopped. With `sliceMs`, it also returns, `paused`, after about that long, so that a thread with
 * an event loop to serve (the coordinator: timers, progress, replies) can do so and call again with
 * an empty message to resume.
 */
export const searcher = <S, L>(init: SearcherInit, system: TransitionSystem<S, L>, sliceMs = Infinity): ((m: RunMessage) => Ran) => {
  const props = new PropertySet(system)
  const hasStepProps = props.steps.length > 0
  const control = new Int32Array(init.control)
  const stats = new Float64Array(init.stats)
  const mine = init.index * STATS_STRIDE
  const budgeted = init.maxStates !== Infinity
  const writers = [queueWriter(system, init.kind), queueWriter(system, init.kind)] as const
  const fp = newFingerprint()
  let seen = new SharedFpSet(init.table)
  let parity = 0
  let out = writers[0]
  let readers: Array<QueueReader<S>> = []
  let starts: number[] = []
  let total = 0
  let pos = 0
  let end = 0
  let generated = 0
  let inserted = 0
  let expanded = 0
  let parentId = 0
  let parentState: S
  let stopped = false
  let hit: HitReport | undefined
  let goal: HitReport | undefined

  const reportOf = (h: Hit, label: L, next: S): HitReport => {
    system.fingerprint(next, fp)
    return { ...h, parent: parentId, step: { text: system.formatLabel(label), hi: fp.hi, lo: fp.lo } }
  }

  /** The first worker to claim the HIT word reports; every worker stops. */
  const stopWith = (h: HitReport) => {
    stopped = true
    if (Atomics.compareExchange(control, HIT, 0, 1) === 0) {
      hit = h
      Atomics.store(control, STOP, 1)
    }
  }

  const found = (h: Hit, label: L, next: S) => {
    if (h.kind === "goal" && !init.stopAtGoal) goal ??= reportOf(h, label, next)
    else stopWith(reportOf(h, label, next))
  }

  const emit = (label: L, next: S) => {
    if (stopped) return
    generated++
    if (hasStepProps) {
      const h = props.checkStep(parentState, label, next)
      if (h) return found(h, label, next)
    }
    system.fingerprint(next, fp)
    const id = seen.add(fp.hi, fp.lo, parentId)
    if (id < 0) return
    stats[mine + INSERTED] = ++inserted
    const h = props.checkState(next)
    if (h) {
      found(h, label, next)
      if (stopped) return
    }
    out.push(next, id)
  }

  const expand = (s: S, id: number) => {
    if (props.pruned(s)) return
    parentId = id
    const nondeterministic = init.checkDeterminism && shouldSample(expanded) ? determinismHit(system, s) : undefined
    if (nondeterministic) return stopWith({ ...nondeterministic, parent: id })
    parentState = s
    system.successors(s, emit)
    expanded++
  }

  let ticks = 0
  let sliceEnd = Infinity
  /** True when paused at the end of a time slice. */
  const work = (): boolean => {
    for (;;) {
      if (pos === end) {
        stats[mine + GENERATED] = generated
        const a = Atomics.add(control, CURSOR, CHUNK)
        if (a >= total) return false
        pos = a
        end = Math.min(a + CHUNK, total)
      }
      let k = 0
      while (pos >= starts[k]! + readers[k]!.count) k++
      const r = readers[k]!
      const base = starts[k]!
      const stop = Math.min(end, base + r.count)
      while (pos < stop) {
        if (stopped || Atomics.load(control, STOP) !== 0 || seen.claimed >= seen.growAt || (budgeted && statSum(stats, INSERTED) >= init.maxStates)) return false
        if ((++ticks & 63) === 0 && performance.now() >= sliceEnd) return true
        const i = pos++ - base
        expand(r.state(i), r.id(i))
      }
    }
  }

  return (m: RunMessage): Ran => {
    // Every level names the table: a worker that joins late may have missed a growth.
    if (m.table && m.table.table !== seen.buffers.table) seen = new SharedFpSet(m.table)
    if (m.rehashFrom) {
      seen.rehashPart(new SharedFpSet(m.rehashFrom.from), m.rehashFrom.part, m.rehashFrom.parts)
      return { type: "ran", out: out.segment() }
    }
    if (m.level) {
      parity ^= 1
      out = writers[parity]!
      out.clear()
      readers = m.level.segments.map((s) => queueReader(system, s))
      starts = []
      let at = 0
      for (const r of readers) {
        starts.push(at)
        at += r.count
      }
      total = m.level.total
      pos = end = 0
    }
    sliceEnd = performance.now() + sliceMs
    const paused = work()
    stats[mine + GENERATED] = generated
    return { type: "ran", out: out.segment(), ...(paused ? { paused } : {}), ...(hit ? { hit } : {}), ...(goal ? { goal } : {}) }
  }
}
