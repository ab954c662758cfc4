/**
 * The sequential model a history is checked against. A model is a relation, TLA+-style: `step`
 * says whether `output` is a result `input` can give in `state`, and which state it leaves.
 *
 * States must be primitives (number, string, null) so that equal states are `===`: the search
 * interns them and memoises on (linearised set, state).
 */
import type { History } from "./history.ts"

export type ModelState = number | string | null

export interface Model<I, O, S extends ModelState> {
  readonly name: string
  /** The initial state of every partition. */
  init(): S
  /**
   * The state after `input` when it gives `output` in `state`, or undefined when it cannot.
   * `output` null means unknown: every result is accepted, so a step never returns undefined then.
   */
  step(state: S, input: I, output: O | null): S | undefined
  /** P-compositionality: operations in different partitions are checked independently (e.g. per key). */
  partition?(input: I): string
  /** True when the operation with this recorded output never changes the state (a read, a failed CAS). */
  readOnly(input: I, output: O | null): boolean
  /** Human text of an operation, e.g. `Put(k1,"x")` or `Get(k1) -> "x"`. */
  describe(input: I, output: O | null): string
  /** Human text of a state (default: its JSON). */
  describeState?(state: S): string
  /**
   * For minimisation: true when removing the operations `drop` (indices into `ops`) can only make
   * the history easier to linearise, so the smaller history failing proves that `ops` fails.
   * Default: every dropped operation is read-only.
   */
  canRemove?(ops: History<I, O>, drop: ReadonlySet<number>): boolean
  /**
   * For minimisation: the operations outside `keep` whose effects the known results of `keep` may
   * depend on (undefined: the model cannot tell). Indices into `ops`.
   */
  support?(ops: History<I, O>, keep: ReadonlySet<number>): ReadonlyArray<number> | undefined
  /** Forward checking for one search over `ops` (indices below are into `ops`). */
  lookahead?(ops: History<I, O>): Lookahead<S>
}

/**
 * The search tells it which operations are placed (linearised) and asks, after placing one, whether
 * the state it led to can still be completed by the operations left; false must mean it cannot.
 */
export interface Lookahead<S = ModelState> {
  place(op: number): void
  unplace(op: number): void
  viable(state: S, op: number): boolean
}

/** A model with its types erased, for code that only passes inputs and outputs through. */
export type AnyModel = Model<unknown, unknown, ModelState>
