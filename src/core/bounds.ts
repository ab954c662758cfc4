/**
 * Bounds for searches that go deeper than an exhaustive one can: explore every behaviour with at most
 * k of something (ballot or term changes, crashes, restarts, log growth), k a parameter.
 *
 * Two kinds, both generic over protocols:
 * - state measures (`atMost`): a prune on a number read from the state through typed role handles,
 *   such as the highest ballot any replica reached (`highest`); a state past the bound is not expanded.
 * - step budgets (`stepsAtMost`, `crashesAtMost`): steps of a kind (a crash) counted along the path.
 *   The count is part of the state's identity (mixed into its fingerprint when non-zero), so BFS
 *   explores every path with at most k such steps, not only the first one it reached a state by.
 *   Counts live beside the states (a WeakMap keyed by state object), so a bounded system runs on one
 *   thread: its states cannot be moved to parallel workers without their counts.
 */
import { fmix32 } from "../checker/hash.ts"
import { type Fingerprint, prune, type StateProperty, type TransitionSystem } from "../checker/transition-system.ts"
import type { Event } from "./compile.ts"

/** A number read from a state. */
export type Measure<W> = (w: W) => number

/** Prune: states whose `measure` exceeds `k` are not expanded (named `NAME_AT_MOST_k`). */
export const atMost = <W>(name: string, k: number, measure: Measure<W>): StateProperty<W> => prune<W>(`${name}_AT_MOST_${k}`, (w) => measure(w) > k)

/** The largest value of `f` over handles that may read nothing (a crashed node): 0 when none reads. */
export const highest =
  <W, T>(handles: ReadonlyArray<(w: W) => T | undefined>, f: (t: T) => number): Measure<W> =>
  (w) => {
    let max = 0
    for (const h of handles) {
      const t = h(w)
      if (t !== undefined) max = Math.max(max, f(t))
    }
    return max
  }

/** The sum of `f` over handles that may read nothing. */
export const total =
  <W, T>(handles: ReadonlyArray<(w: W) => T | undefined>, f: (t: T) => number): Measure<W> =>
  (w) => {
    let sum = 0
    for (const h of handles) {
      const t = h(w)
      if (t !== undefined) sum += f(t)
    }
    return sum
  }

/**
 * At most `k` ballot (term, view) changes: the highest ballot number any replica reached is at most
 * `initial + k`. Every change of leader raises it by at least one, so this bounds leader changes.
 */
export const ballotChangesAtMost = <W, T>(k: number, replicas: ReadonlyArray<(w: W) => T | undefined>, ballot: (t: T) => number, initial = 0): StateProperty<W> =>
  atMost<W>("BALLOT_CHANGES", k, (w) => highest(replicas, ballot)(w) - initial)

/**
 * `system` with a number kept beside each state along the path that reached it (a monitor): `step`
 * gives the monitor after a step from one with `m`, or undefined to leave the step out. Monitors are
 * remembered per state object (0 is not stored) and mixed into the fingerprint when non-zero (states
 * with 0 keep their fingerprint), so BFS tells apart states reached with different monitors.
 */
export const withMonitor = <S extends object, L>(system: TransitionSystem<S, L>, step: (m: number, label: L) => number | undefined, name?: string): TransitionSystem<S, L> => {
  const monitor = new WeakMap<S, number>()
  const out = Object.create(system) as TransitionSystem<S, L>
  Object.defineProperties(out, {
    ...(name === undefined ? {} : { name: { value: name } }),
    successors: {
      value: (state: S, emit: (label: L, next: S) => void) => {
        const m = monitor.get(state) ?? 0
        system.successors(state, (label, next) => {
          const after = step(m, label)
          if (after === undefined) return
          if (after !== 0 && next !== state) monitor.set(next, after)
          emit(label, next)
        })
      },
    },
    fingerprint: {
      value: (state: S, fp: Fingerprint) => {
        system.fingerprint(state, fp)
        const m = monitor.get(state) ?? 0
        if (m !== 0) {
          fp.hi = fmix32(fp.hi ^ Math.imul(m, 0x9e3779b1))
          fp.lo = fmix32(fp.lo ^ Math.imul(m, 0x85ebca6b))
        }
      },
    },
  })
  return out
}

/**
 * The same system in which at most `k` steps that `counts` along any path: further such steps are not
 * offered. The count is the state's monitor (withMonitor), so BFS explores every path within the budget.
 */
export const stepsAtMost = <S extends object, L>(system: TransitionSystem<S, L>, counts: (label: L) => boolean, k: number): TransitionSystem<S, L> =>
  withMonitor(system, (n, label) => (!counts(label) ? n : n >= k ? undefined : n + 1))

/** A protocol system in which at most `k` crashes happen along any path (each may be followed by a restart). */
export const crashesAtMost = <S extends object>(system: TransitionSystem<S, Event>, k: number): TransitionSystem<S, Event> =>
  stepsAtMost(system, (e) => e.k === "crash", k)
