/**
 * Paths: rebuilt from fingerprints (BFS keeps no states), replayed from a trace's steps (by their
 * structured events where the system encodes its labels, else by label text), and replayed by
 * successor index (schedules from simulation and fast-check).
 */
import type { Path, TraceStep } from "./result.ts"
import { newFingerprint, type TransitionSystem } from "./transition-system.ts"

export class ReplayError extends Error {
  constructor(
    message: string,
    readonly stepIndex: number
  ) {
    super(message)
  }
}

/** All steps of a state as (label, next) pairs. */
export const stepsOf = <S, L>(system: TransitionSystem<S, L>, state: S): Array<{ label: L; next: S }> => {
  const out: Array<{ label: L; next: S }> = []
  system.successors(state, (label, next) => out.push({ label, next }))
  return out
}

/** The first enabled step of `state` whose label text is `text`. */
export const findStep = <S, L>(system: TransitionSystem<S, L>, state: S, text: string): { label: L; next: S } | undefined => {
  let found: { label: L; next: S } | undefined
  system.successors(state, (label, next) => {
    if (found === undefined && system.formatLabel(label) === text) found = { label, next }
  })
  return found as { label: L; next: S } | undefined
}

/** Rebuilds the path whose states have the given fingerprints, by re-generating successors. */
export const pathFromFingerprints = <S, L>(
  system: TransitionSystem<S, L>,
  fps: ReadonlyArray<readonly [number, number]>
): Path<S, L> => {
  const fp = newFingerprint()
  const inits = system.initial()
  const [hi0, lo0] = fps[0]!
  const initialIndex = inits.findIndex((s) => (system.fingerprint(s, fp), fp.hi === hi0 && fp.lo === lo0))
  if (initialIndex < 0) throw new ReplayError("nondeterminism: no initial state has the recorded fingerprint", 0)
  let state: S = inits[initialIndex]!
  const steps: Array<TraceStep<S, L>> = []
  for (let i = 1; i < fps.length; i++) {
    const [hi, lo] = fps[i]!
    const found = stepsOf(system, state).find(({ next }) => (system.fingerprint(next, fp), fp.hi === hi && fp.lo === lo))
    if (!found) throw new ReplayError(`nondeterminism: step ${i} cannot be regenerated from its parent state`, i)
    steps.push({ label: found.label, text: system.formatLabel(found.label), state: found.next })
    state = found.next
  }
  return { initialIndex, initial: inits[initialIndex]!, steps }
}

/** Replays label texts from initial state `initialIndex`; fails on the first label that is not enabled. */
export const replayLabels = <S, L>(
  system: TransitionSystem<S, L>,
  initialIndex: number,
  labels: ReadonlyArray<string>
): Path<S, L> => {
  const inits = system.initial()
  if (initialIndex < 0 || initialIndex >= inits.length)
    throw new ReplayError(`initial state ${initialIndex} does not exist (the system has ${inits.length})`, 0)
  let state: S = inits[initialIndex]!
  const steps: Array<TraceStep<S, L>> = []
  labels.forEach((text, i) => {
    const found = findStep(system, state, text)
    if (!found) throw new ReplayError(`step ${i + 1} "${text}" is not enabled in the state reached`, i + 1)
    steps.push({ label: found.label, text, state: found.next })
    state = found.next
  })
  return { initialIndex, initial: inits[initialIndex]!, steps }
}

/** JSON text with object keys in name order: two encodings of one event compare equal whatever their key order. */
export const canonicalJson = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x
  )

/** One recorded step: its text for people and, when the system encodes labels, its structured event. */
export interface RecordedStep {
  readonly label: string
  readonly event?: unknown
}

/** A step's structured event, when the system offers one. */
export const eventOf = <S, L>(system: TransitionSystem<S, L>, label: L): unknown => system.encodeLabel?.(label)

/**
 * Replays recorded steps from initial state `initialIndex`. A step with an event (and a system that
 * encodes its labels) matches the enabled step whose event is equal as data, whatever the labels'
 * text now is; a step without one (old label-only traces, specs) matches by label text.
 */
export const replaySteps = <S, L>(system: TransitionSystem<S, L>, initialIndex: number, recorded: ReadonlyArray<RecordedStep>): Path<S, L> => {
  if (!system.encodeLabel || recorded.every((r) => r.event === undefined))
    return replayLabels(system, initialIndex, recorded.map((r) => r.label))
  const inits = system.initial()
  if (initialIndex < 0 || initialIndex >= inits.length)
    throw new ReplayError(`initial state ${initialIndex} does not exist (the system has ${inits.length})`, 0)
  let state: S = inits[initialIndex]!
  const steps: Array<TraceStep<S, L>> = []
  recorded.forEach((r, i) => {
    let found: { label: L; next: S } | undefined
    if (r.event === undefined) found = findStep(system, state, r.label)
    else {
      const want = canonicalJson(r.event)
      system.successors(state, (label, next) => {
        if (found === undefined && canonicalJson(system.encodeLabel!(label)) === want) found = { label, next }
      })
    }
    if (!found) throw new ReplayError(`step ${i + 1} "${r.label}" is not enabled in the state reached`, i + 1)
    steps.push({ label: found.label, text: system.formatLabel(found.label), state: found.next })
    state = found.next
  })
  return { initialIndex, initial: inits[initialIndex]!, steps }
}

export const lastState = <S, L>(path: Path<S, L>): S =>
  path.steps.length === 0 ? path.initial : path.steps[path.steps.length - 1]!.state
