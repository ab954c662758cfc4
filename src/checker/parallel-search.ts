/**
 * The search loop of parallel BFS, run by every searching thread: the worker threads
 * (parallel-worker.ts) and the coordinator itself (parallel-bfs.ts), which searches from the first
 * level on while its workers are still starting.
 *
 * Each thread keeps its frontier in its own heap: the states it discovered in the level before, as
 * the objects its successor function built, so that a state is never encoded to cross a thread just
 * because it was found. A thread expands its own frontier, inserts successors into the shared
 * fingerprint table and keeps the new ones as its next frontier. A thread whose frontier is spent
 * takes work from the thread with the most left (work stealing): it asks through that thread's ASK
 * word, and the giver, which looks at the word before each state, encodes half of what it has left
 * into the taker's hand-off buffer (shared-handoff.ts). So only the states that move are encoded,
 * and a thread that the machine runs slower gives its surplus away instead of holding the level back.
 * A thread's level is done when its frontier is spent and no thread has two states left to share.
 *
 * A thread returns early when the coordinator must act: a hit, the stop word, the table due to grow,
 * or the state budget; its position is kept, so the next run resumes there. While it is not
 * searching its ASK word is CLOSED (a thief asking then is answered first), so a thief never waits on
 * a thread that is not looking.
 */
import { determinismHit, shouldSample } from "./determinism.ts"
import { answer, answered, ask, asked, awaitAnswer, claim, close, open, withdraw } from "./parallel-steal.ts"
import {
  ADOPTED,
  GENERATED,
  HANDED_BYTES,
  HANDOFF_SECONDS,
  HIT,
  type HitReport,
  IDLE,
  INSERTED,
  LEFT,
  MEMO_HITS,
  MEMO_MISSES,
  REHASH_SECONDS,
  type RunMessage,
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
import { type Hit, PropertySet } from "./properties.ts"
import { SharedFpSet } from "./shared-fpset.ts"
import { handoff } from "./shared-handoff.ts"
import type { Fingerprint, TransitionSystem } from "./transition-system.ts"
import { newFingerprint } from "./transition-system.ts"

export type Ran = Extract<WorkerReply, { type: "ran" }>

/** A thread gives work away only when it has at least this many states left (it keeps the rest). */
const MIN_SHARE = 2
/** Milliseconds a waiting thief sleeps between looks (it is also woken when its hand-off arrives). */
const WAIT_MS = 1

/** One searching thread: the handler of run messages, and the initial states (the coordinator's). */
export interface Searcher<S> {
  run(m: RunMessage): Ran
  /** Adds a state to this thread's next frontier (the coordinator's initial states, before level 0). */
  seed(state: S, id: number): void
  /** Adds seconds spent with no work at all (between this thread's level done and the next level). */
  idle(seconds: number): void
}

/** Why `work` returned: the level is done for this thread, a time slice ended, or the coordinator must act. */
type Stop = "done" | "paused" | "stopped"

/**
 * One thread's share of the search (a worker's, or the coordinator's own). Each run works until the
 * level is done for this thread or a stop condition and says where it stopped. With `sliceMs`, it
 * also returns, `paused`, after about that long, so that a thread with an event loop to serve (the
 * coordinator: timers, progress, replies) can do so and call again with an empty message to resume.
 */
export const searcher = <S, L>(init: WorkerInit, system: TransitionSystem<S, L>, sliceMs = Infinity): Searcher<S> => {
  const props = new PropertySet(system)
  const hasStepProps = props.steps.length > 0
  const control = new Int32Array(init.control)
  const stats = new Float64Array(init.stats)
  const me = init.index
  const mine = statsSlot(me)
  const left = threadWord(me, LEFT)
  const others = Array.from({ length: init.threads }, (_, t) => t).filter((t) => t !== me)
  const handoffs = init.handoffs.map((b) => handoff(system, init.kind, b))
  const budgeted = init.maxStates !== Infinity
  const fp = newFingerprint()
  // States taken from another thread are put back together from this thread's own objects (its caches key on identity).
  const interner = init.threads > 1 ? system.interner?.() : undefined
  let seen = new SharedFpSet(init.table)
  let level = -1
  // The frontier: states[pos..end) are left; the next frontier grows as states are found.
  let states: S[] = []
  let ids: number[] = []
  let pos = 0
  let end = 0
  let nextStates: S[] = []
  let nextIds: number[] = []
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

  /** The first thread to claim the HIT word reports; every thread stops. */
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

  const emit = (label: L, next: S, print?: Fingerprint, holds?: boolean) => {
    if (stopped) return
    generated++
    // A print handed over (unseenSuccessors) is the system's scratch: read before anything else runs
    // (into fp: in locals across the calls below, a print outside the small integers is a heap number).
    if (print !== undefined) {
      fp.hi = print.hi
      fp.lo = print.lo
    }
    // `holds`: the system has checked the step properties on this step already (unseenSuccessors).
    if (hasStepProps && holds !== true) {
      const h = props.checkStep(parentState, label, next)
      if (h) return found(h, label, next)
    }
    if (print === undefined) system.fingerprint(next, fp)
    const id = seen.add(fp.hi, fp.lo, parentId)
    if (id < 0) return
    stats[mine + INSERTED] = ++inserted
    const h = props.checkState(next)
    if (h) {
      found(h, label, next)
      if (stopped) return
    }
    nextStates.push(next)
    nextIds.push(id)
  }

  // As bfs: successors into states the shared table holds are left unbuilt where the system can check the step properties without them (compile.ts).
  // Another thread may insert a print just after this thread looked: the successor is then built, and the table refuses it as it would have.
  const unseen = system.unseenSuccessors?.(system, props.steps, (hi, lo) => !stopped && seen.has(hi, lo))

  const expand = (s: S, id: number) => {
    if (props.pruned(s)) return
    parentId = id
    const nondeterministic = init.checkDeterminism && shouldSample(expanded) ? determinismHit(system, s, true) : undefined
    if (nondeterministic) return stopWith({ ...nondeterministic, parent: id })
    parentState = s
    interner?.keep(s)
    // As bfs: steps into a state already seen that every step property allows (stutters among them) the system may leave unbuilt (counted as generated).
    const omitted = unseen !== undefined ? unseen(s, emit) : system.successors(s, emit, props.steps)
    if (omitted) generated += omitted
    expanded++
  }

  /** Answers a thief that asked: half of what is left (taken from the end), or a refusal. */
  const serve = () => {
    const thief = claim(control, me)
    if (thief < 0) return
    const to = handoffs[thief]!
    const t0 = performance.now()
    const share = end - pos >= MIN_SHARE ? to.give(states, ids, pos, end, (end - pos) >> 1) : 0
    if (share > 0) {
      stats[mine + HANDED_BYTES] += to.bytes
      stats[mine + HANDOFF_SECONDS] += (performance.now() - t0) / 1000
    }
    end -= share
    control[left] = end - pos
    answer(control, me, thief, share)
  }

  /** Before returning: no thief may wait on a thread that is not searching; one that asked is answered. */
  const closed = () => {
    while (!close(control, me)) serve()
  }

  let sliceEnd = Infinity
  // Polled before each state, by plain reads (V8 does not inline Atomics.load): a stop or a due growth is seen a state or two later at worst.
  const mustStop = () => stopped || control[STOP] !== 0 || seen.due || (budgeted && statSum(stats, INSERTED) >= init.maxStates)

  /** The frontier is spent: take half of the fullest other thread's ("done" when none has any to share). */
  const steal = (): Stop | undefined => {
    for (;;) {
      serve()
      if (mustStop()) return "stopped"
      if (performance.now() >= sliceEnd) return "paused"
      let giver = -1
      let most = MIN_SHARE - 1
      for (const t of others) {
        const l = control[threadWord(t, LEFT)]!
        if (l > most) {
          most = l
          giver = t
        }
      }
      if (giver < 0) return "done"
      const t0 = performance.now()
      if (!ask(control, me, giver)) {
        // Closed (not searching yet, or paused) or answering another thief: look again shortly.
        awaitAnswer(control, me, WAIT_MS)
        stats[mine + WAITED] += (performance.now() - t0) / 1000
        continue
      }
      while (answered(control, me) === 0) {
        awaitAnswer(control, me, WAIT_MS)
        serve() // a thief asking this one meanwhile is refused: it has nothing
        // Withdraw the request when this thread must return (the giver may have stopped for good).
        if ((Atomics.load(control, STOP) !== 0 || performance.now() >= sliceEnd) && withdraw(control, me, giver)) break
      }
      stats[mine + WAITED] += (performance.now() - t0) / 1000
      const n = answered(control, me)
      if (n > 0) {
        states = []
        ids = []
        const t1 = performance.now()
        handoffs[me]!.take(n, states, ids)
        if (interner) {
          for (let k = 0; k < n; k++) states[k] = interner.adopt(states[k]!)
          stats[mine + ADOPTED] = interner.replaced()
        }
        stats[mine + HANDOFF_SECONDS] += (performance.now() - t1) / 1000
        pos = 0
        end = n
        control[left] = n
        stats[mine + STOLEN] += n
        stats[mine + STEALS]++
        return undefined
      }
    }
  }

  let ticks = 0
  const work = (): Stop => {
    for (;;) {
      while (pos < end) {
        if (mustStop()) return "stopped"
        if ((++ticks & 63) === 0) {
          stats[mine + GENERATED] = generated
          if (performance.now() >= sliceEnd) return "paused"
        }
        if (asked(control, me)) serve()
        if (pos === end) break
        const i = pos++
        control[left] = end - pos
        const s = states[i]!
        // Expanded: its memory can go (numbers stay: a hole would turn an array of doubles into one of boxes).
        if (typeof s === "object") states[i] = undefined as S
        expand(s, ids[i]!)
      }
      const why = steal()
      if (why) return why
    }
  }

  return {
    seed: (state, id) => {
      nextStates.push(state)
      nextIds.push(id)
    },
    idle: (seconds) => {
      stats[mine + IDLE] += seconds
    },
    run: (m) => {
      // Every level names the table: a worker that joins late may have missed a growth.
      if (m.table && m.table.table !== seen.buffers.table) seen = new SharedFpSet(m.table)
      if (m.rehashFrom) {
        const t0 = performance.now()
        seen.rehashPart(new SharedFpSet(m.rehashFrom.from), m.rehashFrom.part, m.rehashFrom.parts)
        stats[mine + REHASH_SECONDS] += (performance.now() - t0) / 1000
        return { type: "ran", next: nextStates.length }
      }
      if (m.level !== undefined && m.level > level) {
        level = m.level
        states = nextStates
        ids = nextIds
        pos = 0
        end = states.length
        nextStates = []
        nextIds = []
      }
      sliceEnd = performance.now() + sliceMs
      open(control, me, end - pos)
      const why = work()
      closed()
      stats[mine + GENERATED] = generated
      const memo = system.memo?.stats()
      if (memo) {
        stats[mine + MEMO_HITS] = memo.hits
        stats[mine + MEMO_MISSES] = memo.misses
      }
      return { type: "ran", next: nextStates.length, ...(why === "paused" ? { paused: true } : {}), ...(hit ? { hit } : {}), ...(goal ? { goal } : {}) }
    },
  }
}
