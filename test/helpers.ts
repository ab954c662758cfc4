/** Small helpers shared by checker, core and protocol tests. */
import type { Hit } from "../src/checker/properties.ts"
import { PropertySet } from "../src/checker/properties.ts"
import { lastState, replayLabels } from "../src/checker/path.ts"
import type { CheckResult, Path } from "../src/checker/result.ts"
import { newFingerprint, type StateProperty, type TransitionSystem } from "../src/checker/transition-system.ts"

export const labelsOf = <S, L>(path: Path<S, L> | undefined): string[] => (path ? path.steps.map((s) => s.text) : [])

/**
 * Replays a result's trace by label text from its initial state and returns the property hit at the
 * last state (checking the last step's step properties too), or undefined.
 */
export const replayHit = <S, L>(system: TransitionSystem<S, L>, result: CheckResult<S, L>): Hit | undefined => {
  const path = result.path
  if (!path) throw new Error("result has no path")
  const replayed = replayLabels(system, path.initialIndex, labelsOf(path))
  const props = new PropertySet(system)
  const n = replayed.steps.length
  const before = n >= 2 ? replayed.steps[n - 2]!.state : replayed.initial
  const stepHit = n > 0 ? props.checkStep(before, replayed.steps[n - 1]!.label, replayed.steps[n - 1]!.state) : undefined
  return stepHit ?? props.checkState(lastState(replayed))
}

/**
 * Whether the trace is 1-minimal: dropping any single step gives a label sequence that either cannot
 * be replayed or no longer ends in a state hitting `property`.
 */
export const oneMinimal = <S, L>(system: TransitionSystem<S, L>, path: Path<S, L>, property: string): boolean => {
  const texts = labelsOf(path)
  const props = new PropertySet(system)
  for (let i = 0; i < texts.length; i++) {
    const shorter = texts.filter((_, k) => k !== i)
    let replayed: Path<S, L>
    try {
      replayed = replayLabels(system, path.initialIndex, shorter)
    } catch {
      continue
    }
    // Any prefix hitting the property would also make the trace non-minimal.
    const states = [replayed.initial, ...replayed.steps.map((s) => s.state)]
    if (states.some((s) => props.checkState(s)?.property === property)) return false
  }
  return true
}

/** All reachable states of a small system (plain exhaustive walk, independent of the checker). */
export const reachable = <S, L>(system: TransitionSystem<S, L>, limit = 1_000_000): S[] => {
  const fp = newFingerprint()
  const seen = new Set<string>()
  const out: S[] = []
  const queue: S[] = []
  const add = (s: S) => {
    system.fingerprint(s, fp)
    const k = `${fp.hi}:${fp.lo}`
    if (seen.has(k)) return
    seen.add(k)
    out.push(s)
    queue.push(s)
  }
  system.initial().forEach(add)
  while (queue.length > 0 && out.length < limit) system.successors(queue.shift()!, (_l, n) => add(n))
  return out
}

/** A property's verdict on a state, for assertions. */
export const holds = <S>(p: StateProperty<S>, s: S): boolean => p.holds(s)

// ---- Tiny hand-made transition systems for checker tests ----

export type Move = "right" | "left" | "up" | "down" | "jump"

/**
 * A grid of (x, y) in [0, size)², packed as x * 1024 + y. Moves: one step in any direction, and a
 * "jump" of three to the right, so shortest paths are not just Manhattan distances.
 */
export const grid = (size: number, properties: ReadonlyArray<StateProperty<number>>, moves: ReadonlyArray<Move> = ["right", "left", "up", "down", "jump"]): TransitionSystem<number, Move> => ({
  name: `grid ${size}`,
  initial: () => [0],
  successors: (s, emit) => {
    const x = s >> 10
    const y = s & 1023
    for (const m of moves) {
      const [nx, ny] = m === "right" ? [x + 1, y] : m === "left" ? [x - 1, y] : m === "up" ? [x, y + 1] : m === "down" ? [x, y - 1] : [x + 3, y]
      if (nx >= 0 && ny >= 0 && nx < size && ny < size) emit(m, (nx << 10) | ny)
    }
  },
  fingerprint: (s, out) => {
    out.hi = 0x5eed
    out.lo = s
  },
  formatLabel: (m) => m,
  view: (s) => ({ x: s >> 10, y: s & 1023 }),
  properties,
})

export const at = (x: number, y: number): number => (x << 10) | y
export const xOf = (s: number): number => s >> 10
export const yOf = (s: number): number => s & 1023

/** An unbounded counter: 0 -> 1 -> 2 ..., and also a step "twice" doubling it (so the space branches). */
export const counter = (properties: ReadonlyArray<StateProperty<number>>, initial: ReadonlyArray<number> = [0]): TransitionSystem<number, string> => ({
  name: "counter",
  initial: () => initial,
  successors: (s, emit) => {
    emit("inc", s + 1)
    if (s > 0) emit("twice", s * 2)
  },
  fingerprint: (s, out) => {
    out.hi = Math.floor(s / 2 ** 32) >>> 0
    out.lo = s >>> 0
  },
  formatLabel: (l) => l,
  view: (s) => s,
  properties,
})

/** True shortest distances from the initial states, by a plain BFS over an explicit graph. */
export const shortestDistances = <L>(system: TransitionSystem<number, L>, limit = 100_000): Map<number, number> => {
  const dist = new Map<number, number>()
  const queue: number[] = []
  for (const s of system.initial()) if (!dist.has(s)) (dist.set(s, 0), queue.push(s))
  for (let head = 0; head < queue.length && dist.size < limit; head++) {
    const s = queue[head]!
    system.successors(s, (_l, n) => {
      if (!dist.has(n)) (dist.set(n, dist.get(s)! + 1), queue.push(n))
    })
  }
  return dist
}
