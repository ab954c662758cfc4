/**
 * A small failing sub-history of a failing partition. Only changes that cannot turn a linearizable
 * history into a non-linearizable one are made, so the small history failing proves the big one
 * fails (it is an explanation, not a different bug):
 *
 * 1. (Models that tell what results depend on, `support`.) On a large history, keep only the last
 *    operations called and those their results depend on, whose own results are forgotten.
 * 2. Cut at time T: keep the operations called by T; those still running at T become "never
 *    returned, result unknown". Linearizability is prefix-closed, so if the cut history fails, so
 *    does the whole, and failing is monotone in T: binary search the earliest failing cut.
 * 3. (Models with `canRemove`, on small candidates.) Forget results that do not matter (fewer
 *    constraints), which lets more operations go in step 4.
 * 4. Remove read-only operations (reads, failed CAS), which never constrain the others' states,
 *    delta-debugging style: halves, then quarters, ..., then one at a time. A model may allow more
 *    removals (`canRemove`: transactions whose writes nobody read).
 * 5. When at most SMALLEST_MAX operations remain, try their subsets smallest first: the result is
 *    then the smallest failing subset of what step 4 left.
 *
 * Each candidate is checked with a step budget; an inconclusive check counts as "does not fail".
 */
import type { History, Operation } from "./history.ts"
import type { AnyModel } from "./model.ts"
import { type DeadEnd, PartitionSearch } from "./search.ts"

export interface SubHistory {
  readonly operations: History<unknown, unknown>
  /** For each operation, its index in the full history. */
  readonly origin: ReadonlyArray<number>
  /** Where the search of the sub-history gets stuck (indices into `operations`). */
  readonly deadEnd: DeadEnd
  /** True when no smaller subset of it (among those the model allows removing) fails. */
  readonly exhaustive: boolean
}

/** Candidates of at most this many operations get their results forgotten where they do not matter. */
const RELAX_MAX = 40

/** Sub-histories of at most this many operations get the exhaustive smallest-subset phase. */
const SMALLEST_MAX = 12

const popcount = (x: number): number => {
  let n = 0
  for (; x !== 0; x &= x - 1) n++
  return n
}

export interface MinimiseBudget {
  /** Steps for one check of a candidate. */
  readonly stepsPerCheck: number
  /** performance.now() milliseconds after which no more candidates are tried. */
  readonly deadline: number
}

interface Candidate {
  readonly ops: ReadonlyArray<Operation<unknown, unknown>>
  readonly origin: ReadonlyArray<number>
}

const cut = (c: Candidate, t: number): Candidate => {
  const keep = c.ops.flatMap((op, i) => (op.call <= t ? [i] : []))
  return {
    ops: keep.map((i) => {
      const op = c.ops[i]!
      return op.return === null || op.return <= t ? op : { ...op, return: null, output: null }
    }),
    origin: keep.map((i) => c.origin[i]!),
  }
}

const without = (c: Candidate, drop: ReadonlySet<number>): Candidate => ({
  ops: c.ops.filter((_, i) => !drop.has(i)),
  origin: c.origin.filter((_, i) => !drop.has(i)),
})

/** `failing` is a partition whose search failed with `deadEnd` (indices into `history`). */
export const minimiseFailure = (
  model: AnyModel,
  history: History<unknown, unknown>,
  failing: ReadonlyArray<number>,
  deadEnd: DeadEnd,
  budget: MinimiseBudget
): SubHistory => {
  const position = new Map(failing.map((h, i) => [h, i]))
  const local = (h: number) => position.get(h)!
  let best: Candidate = { ops: failing.map((i) => history[i]!), origin: failing }
  let bestDeadEnd: DeadEnd = {
    prefix: deadEnd.prefix.map(local),
    state: deadEnd.state,
    blocking: local(deadEnd.blocking),
    candidates: deadEnd.candidates.map(local),
  }
  /** Adopts the candidate when its search fails within budget. */
  const tryCandidate = (c: Candidate): boolean => {
    if (performance.now() >= budget.deadline) return false
    const s = new PartitionSearch(model, c.ops, c.ops.map((_, i) => i))
    s.run(budget.stepsPerCheck, budget.deadline)
    if (s.status !== "not-linearizable") return false
    best = c
    bestDeadEnd = s.deadEnd()
    return true
  }

  // 1. A large candidate whose failure is at its end (as a violation found late often is): keep the
  // last operations called, doubling their number, with the operations their results depend on
  // (their own results forgotten), and drop the rest.
  if (model.canRemove && model.support && best.ops.length > RELAX_MAX) {
    const byCall = best.ops.map((_, i) => i).sort((a, b) => best.ops[b]!.call - best.ops[a]!.call)
    for (let size = 8; size <= best.ops.length / 2; size *= 2) {
      const c = best
      const window = new Set(byCall.slice(0, size))
      const anchors = model.support(c.ops, window)
      if (anchors === undefined) break
      const relaxed = new Set(anchors)
      const ops = c.ops.map((op, j) => (relaxed.has(j) ? { ...op, output: null } : op))
      const drop = new Set(c.ops.map((_, j) => j).filter((j) => !window.has(j) && !relaxed.has(j)))
      if (drop.size > 0 && model.canRemove(ops, drop) && tryCandidate(without({ ops, origin: c.origin }, drop))) break
    }
  }

  // 2. The earliest failing cut.
  const full = best
  const times = [...new Set(full.ops.flatMap((op) => (op.return === null ? [] : [op.return])))].sort((a, b) => a - b)
  let [lo, hi] = [0, times.length - 1]
  // The search got stuck at the blocking operation's return: the cut there most likely fails.
  const stuck = times.indexOf(history[deadEnd.blocking]!.return ?? Infinity)
  if (stuck >= 0 && stuck < hi && tryCandidate(cut(full, times[stuck]!))) hi = stuck
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (tryCandidate(cut(full, times[mid]!))) hi = mid
    else lo = mid + 1
  }

  const removable = (c: Candidate, drop: ReadonlySet<number>): boolean =>
    model.canRemove ? model.canRemove(c.ops, drop) : [...drop].every((i) => model.readOnly(c.ops[i]!.input, c.ops[i]!.output))

  /** Delta debugging: tries chunks of `pool` (halves, quarters, ..., single items); `apply` adopts one when the failure stays. */
  const shrink = (start: ReadonlyArray<number>, apply: (chunk: ReadonlySet<number>) => boolean, removes: boolean) => {
    let pool = [...start]
    for (let size = Math.ceil(pool.length / 2); size >= 1; size = size === 1 ? 0 : Math.ceil(size / 2)) {
      for (let at = 0; at < pool.length; ) {
        if (performance.now() >= budget.deadline) return
        const chunk = new Set(pool.slice(at, at + size))
        if (!apply(chunk)) at += size
        else if (removes) pool = pool.filter((i) => !chunk.has(i)).map((i) => i - [...chunk].filter((j) => j < i).length)
        else pool = pool.filter((i) => !chunk.has(i))
      }
    }
  }
  // 3. With a model that removes more than reads: forget the results that do not matter (the
  // operation still takes effect before its return), which frees the operations whose writes they read.
  // (Only on small candidates: a large history with its results forgotten is slow to refute.)
  if (model.canRemove && best.ops.length <= RELAX_MAX) {
    const says = best.ops.flatMap((op, i) =>
      op.output !== null && op.return !== null && i !== bestDeadEnd.blocking && model.describe(op.input, op.output) !== model.describe(op.input, null) ? [i] : []
    )
    shrink(says, (chunk) => tryCandidate({ ops: best.ops.map((o, j) => (chunk.has(j) ? { ...o, output: null } : o)), origin: best.origin }), false)
  }
  // 4. Remove what can go.
  shrink(
    best.ops.flatMap((op, i) => (model.canRemove || model.readOnly(op.input, op.output) ? [i] : [])),
    (chunk) => removable(best, chunk) && tryCandidate(without(best, chunk)),
    true
  )

  // 5. Few operations left: try every subset, smallest first, so none smaller fails. (Removing only
  // read-only operations is monotone: step 4 already left none that a subset could drop.)
  let exhaustive = model.canRemove === undefined && performance.now() < budget.deadline
  if (model.canRemove && best.ops.length <= SMALLEST_MAX) {
    const all = best
    const n = all.ops.length
    const bySize = Array.from({ length: (1 << n) - 1 }, (_, mask) => mask).sort((a, b) => popcount(a) - popcount(b) || a - b)
    exhaustive = true
    for (const mask of bySize) {
      if (performance.now() >= budget.deadline) {
        exhaustive = false
        break
      }
      const drop = new Set(Array.from({ length: n }, (_, i) => i).filter((i) => !(mask & (1 << i))))
      if (popcount(mask) >= best.ops.length) break
      if (removable(all, drop) && tryCandidate(without(all, drop))) break
    }
  }
  return { operations: best.ops, origin: best.origin, deadEnd: bestDeadEnd, exhaustive }
}
