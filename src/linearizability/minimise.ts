/**
 * A small failing sub-history of a failing partition. Only changes that cannot turn a linearizable
 * history into a non-linearizable one are made, so the small history failing proves the big one
 * fails (it is an explanation, not a different bug):
 *
 * 1. Cut at time T: keep the operations called by T; those still running at T become "never
 *    returned, result unknown". Linearizability is prefix-closed, so if the cut history fails, so
 *    does the whole, and failing is monotone in T: binary search the earliest failing cut.
 * 2. Remove read-only operations (reads, failed CAS), which never constrain the others' states,
 *    delta-debugging style: halves, then quarters, ..., then one at a time.
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

  const full = best
  const times = [...new Set(full.ops.flatMap((op) => (op.return === null ? [] : [op.return])))].sort((a, b) => a - b)
  let [lo, hi] = [0, times.length - 1]
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (tryCandidate(cut(full, times[mid]!))) hi = mid
    else lo = mid + 1
  }

  let reads = best.ops.flatMap((op, i) => (model.readOnly(op.input, op.output) ? [i] : []))
  for (let size = Math.ceil(reads.length / 2); size >= 1; size = size === 1 ? 0 : Math.ceil(size / 2)) {
    for (let at = 0; at < reads.length; ) {
      const chunk = new Set(reads.slice(at, at + size))
      if (tryCandidate(without(best, chunk))) {
        // Indices shift down by the number of removed operations before them.
        reads = reads.filter((i) => !chunk.has(i)).map((i) => i - [...chunk].filter((j) => j < i).length)
      } else at += size
    }
  }
  return { operations: best.ops, origin: best.origin, deadEnd: bestDeadEnd }
}
