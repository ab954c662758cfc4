/**
 * The one abstraction every checker strategy works on: initial states, the enabled steps of a state,
 * and a canonical 64-bit fingerprint. Specs in `spec/` implement it directly; a protocol plus a
 * configuration compiles into one (src/core/compile.ts).
 *
 * Labels are whatever is cheapest for the system to produce in the hot path (a small number, an
 * event object); `formatLabel` turns one into text for people, and `encodeLabel` (when offered) into
 * the structured event that traces store and replay matches.
 */
import type { Redelivery } from "./idempotence.ts"
import type { Symmetry } from "./symmetry.ts"
import type { Liveness } from "./temporal.ts"

export interface TransitionSystem<S, L = unknown> {
  readonly name: string
  /** Initial states. */
  initial(): ReadonlyArray<S>
  /**
   * Calls `emit` once per enabled step of `state`. Must be deterministic. With `omitStutters` (the
   * caller's step properties: BFS and the parallel search) the caller does not need the steps that
   * leave the state as it was (the same fingerprint: a protocol's message delivered again to a node
   * that ignores it) on which every one of those step properties holds, checked as the step from
   * `state` to `state` itself; a system may leave such steps out (they reach a state already seen),
   * and returns how many it left out (counted as generated). A stutter that violates one must be
   * emitted: an action property ("a node that receives X must answer") can be violated exactly by a
   * step that does nothing, and BFS must find what DFS, which asks for every step, finds. Liveness,
   * replay and the determinism check ask for every step.
   */
  successors(state: S, emit: (label: L, next: S) => void, omitStutters?: ReadonlyArray<StepProperty<S, L>>): void | number
  /**
   * Optional, for BFS over `system` (this one, or a wrapper of it): a successor function like
   * `system.successors(state, emit, steps)` that may also leave out successors whose print (by
   * `system.fingerprint`) `seen` holds, having checked that every one of `steps` holds on the step;
   * it returns how many it left out (counted as generated), and may hand `emit` a successor's print
   * (as `system.fingerprint` writes it) when it has it, and `holds` true when it has checked that
   * every one of `steps` holds on that step (the caller need not check them again). Undefined when
   * it cannot serve that system (a wrapper with other successors or prints) or those step
   * properties (compile.ts).
   */
  unseenSuccessors?(
    system: TransitionSystem<S, L>,
    steps: ReadonlyArray<StepProperty<S, L>>,
    seen: (hi: number, lo: number) => boolean
  ): ((state: S, emit: (label: L, next: S, print?: Fingerprint, holds?: boolean) => void) => number) | undefined
  /** Writes the 64-bit canonical fingerprint of `state` into `out` (equal states, equal prints). */
  fingerprint(state: S, out: Fingerprint): void
  /** The text of a label, for people (and the replay key of systems without `encodeLabel`). */
  formatLabel(label: L): string
  /**
   * Optional structured form of a label (plain JSON: what happened, where, and the message or timer
   * encoded from its schema): traces store it beside the text, and replay matches steps on it, so a
   * change of display text does not break old traces. Systems without it (specs, whose labels are
   * action names) replay by label text.
   */
  encodeLabel?(label: L): unknown
  /** With `encodeLabel`: why a recorded event cannot be one of this system's (malformed: a missing or mistyped field), or undefined. */
  eventProblem?(event: unknown): string | undefined
  /** Plain-data view of a state, for traces, printing and the viewer. */
  view(state: S): unknown
  /** Safety properties, goals and prunes over states. */
  readonly properties: ReadonlyArray<StateProperty<S>>
  /** Properties over steps (refinement). */
  readonly stepProperties?: ReadonlyArray<StepProperty<S, L>>
  /** Liveness properties and the fairness they assume (temporal.ts `withLiveness`), checked after a complete BFS. */
  readonly liveness?: Liveness<S, L>
  /** Interchangeable names and the renamer of states, for `--symmetry` (symmetry.ts `withSymmetry`). */
  readonly symmetry?: Symmetry<S>
  /** Which steps commute, for `--por` (por.ts). */
  readonly independence?: Independence<S, L>
  /** Which deliveries the protocol claims to tolerate duplicates of, for `--checks` (idempotence.ts). */
  readonly redelivery?: Redelivery<S, L>
  /** Optional figures of the state a run ended in (the simulator's traffic and latency scores), given the run's steps when known. */
  report?(state: S, labels?: ReadonlyArray<L>): Readonly<Record<string, unknown>>
  /** Optional causal view of a step for causal-order printing: which process acted, and which earlier step it depends on. */
  causality?(label: L): {
    readonly actor: string
    readonly receives?: string
    readonly sends?: ReadonlyArray<string>
    /** A delivery: the send number of the message it delivers (see `sendCount`), which links it to its send. */
    readonly sent?: number
  }
  /**
   * Optional, with causality's `sent`: how many messages had been sent in this state (a counter that
   * numbers every send). The step that sent message number m is the first whose state counts more than m.
   */
  sendCount?(state: S): number
  /**
   * Optional: the clients' operations up to `state`, as a linearizability history (its model and
   * operations in tla-ts's history form; for model "txn", transactions as `tla-ts lincheck --model txn`
   * reads them), for `--history-out`; undefined when the state has none.
   */
  history?(state: S): { readonly model: "kv" | "register" | "txn"; readonly operations: ReadonlyArray<unknown> } | undefined
  /**
   * Optional compact form of a state, for moving it between worker threads (parallel BFS). Number
   * states need none; other states default to structured-clone serialisation (node:v8). `decode`
   * gets a view into shared memory: it must copy what it keeps.
   */
  encode?(state: S): Uint8Array
  decode?(bytes: Uint8Array): S
  /**
   * Optional, for parallel BFS: a new table of the parts of states one thread holds (a protocol's node
   * records, core/record-interner.ts), through which a state decoded from another thread is put back
   * together from this thread's equal objects, so that caches keyed by object identity hit for it and
   * for its descendants. Called once per thread.
   */
  interner?(): StateInterner<S>
  /**
   * Optional cache the system keeps of its own steps (a protocol's: one node's step by its record and
   * event, core/step-memo.ts). Successors come out the same with or without it; the checker turns it
   * off for the determinism check's second run and for a run with `memo: false`.
   */
  readonly memo?: StepCache
}

/** See `TransitionSystem.interner`: `adopt` must not change the state's fingerprint, nor anything but object identities. */
export interface StateInterner<S> {
  /** Files the parts of a state this thread is about to expand. */
  keep(state: S): void
  /** A state decoded from another thread (the caller's alone: it may be changed in place), with the parts this thread holds equal ones of replaced by them. */
  adopt(state: S): S
  /** Parts of adopted states replaced by this thread's own so far (a figure for reports). */
  replaced(): number
}

export interface StepCache {
  /** Runs `f` with the cache neither read nor filled. */
  bypass<T>(f: () => T): T
  /**
   * Runs `f` with each cached step computed afresh once (not filed), and served from the cache once
   * it has been: a determinism check re-runs every distinct step it meets, not every occurrence.
   */
  recheck?<T>(f: () => T): T
  stats(): StepCacheStats
}

export interface StepCacheStats {
  readonly hits: number
  readonly misses: number
  /** Entries held now, and how often the table was cleared at its cap. */
  readonly entries: number
  readonly clears: number
  readonly tableBytes: number
}

/**
 * Steps of different actors commute, and neither enables nor disables the other, unless both are
 * `shared` (they draw on one budget, as crashes do). A key names a step across states (the same message delivered, the same
 * timer fired); `successorsAwake` generates the steps whose key `asleep` does not hold, without
 * running the others.
 */
export interface Independence<S, L> {
  actor(label: L): number
  shared(label: L): boolean
  key(label: L): string
  successorsAwake(state: S, asleep: (key: string) => boolean, emit: (label: L, next: S) => void): void
}

/** Output cell for fingerprints: two unsigned 32-bit halves. Reused to avoid allocating per state. */
export interface Fingerprint {
  hi: number
  lo: number
}

export const newFingerprint = (): Fingerprint => ({ hi: 0, lo: 0 })

export type PropertyKind = "invariant" | "goal" | "prune"

/**
 * - invariant: must hold in every reachable state; a state where `holds` is false is a violation.
 * - goal: a state where `holds` is true is reported as found (reachability, "sometimes").
 * - prune: states where `holds` is true are not expanded.
 */
export interface StateProperty<S> {
  readonly name: string
  readonly kind: PropertyKind
  readonly holds: (state: S) => boolean
  /** Optional explanation of why the property failed or was met, for the report. */
  readonly explain?: (state: S) => string | undefined
}

/** A property of a step (s, label, t), e.g. "abs(s) -> abs(t) is a spec step or a stutter". */
export interface StepProperty<S, L> {
  readonly name: string
  /** Returns undefined when the step is fine, otherwise a description of the violation. */
  readonly check: (from: S, label: L, to: S) => string | undefined
}

export const invariant = <S>(name: string, holds: (s: S) => boolean, explain?: (s: S) => string | undefined): StateProperty<S> =>
  ({ name, kind: "invariant", holds, ...(explain ? { explain } : {}) })
export const goal = <S>(name: string, holds: (s: S) => boolean): StateProperty<S> => ({ name, kind: "goal", holds })
export const prune = <S>(name: string, holds: (s: S) => boolean): StateProperty<S> => ({ name, kind: "prune", holds })

/** Same system with other properties (a named test configuration adds its own goals and invariants). */
export const withProperties = <S, L>(
  system: TransitionSystem<S, L>,
  properties: ReadonlyArray<StateProperty<S>>,
  stepProperties: ReadonlyArray<StepProperty<S, L>> = system.stepProperties ?? []
): TransitionSystem<S, L> => {
  const out = Object.create(system) as TransitionSystem<S, L> & { properties: unknown; stepProperties: unknown }
  Object.defineProperty(out, "properties", { value: properties })
  Object.defineProperty(out, "stepProperties", { value: stepProperties })
  return out
}

/** The same system started from given states: the second phase of a guided, multi-phase search. */
export const startingFrom = <S, L>(system: TransitionSystem<S, L>, states: ReadonlyArray<S>): TransitionSystem<S, L> => {
  const out = Object.create(system) as TransitionSystem<S, L>
  Object.defineProperty(out, "initial", { value: () => states })
  return out
}
