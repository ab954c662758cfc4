/**
 * A model is what `tla-ts list` shows and `tla-ts check` runs: a named family of transition systems
 * (parameters such as `rm`) with named test configurations, each with its default search and the
 * verdict it is expected to give. Tests, proofs and the CLI all go through this one shape.
 */
import { taggedError } from "../errors.ts"
import type { CheckOptions, Verdict } from "./result.ts"
import type { TransitionSystem } from "./transition-system.ts"

export type Params = Readonly<Record<string, string>>

export interface ParamSpec {
  readonly default: string
  readonly description: string
  /** A whole-number parameter: the value must be a whole number within these bounds ("" keeps the test's default). */
  readonly int?: { readonly min: number; readonly max: number }
  /** A text parameter with a fixed set of values. */
  readonly choices?: ReadonlyArray<string>
}

export interface NamedTest {
  readonly description: string
  /**
   * Builds the system for this test; params are the user's --param values over the model's defaults.
   * `seed` is the run's seed, for systems that carry their own randomness (the timed simulator).
   */
  readonly build: (params: Params, seed: number) => TransitionSystem<any, any>
  /** Search settings this test runs with unless the user overrides them. */
  readonly options?: CheckOptions
  /** The verdict this test should give ("ok" for a clean exhaustive run, "violation" for a planted bug...). */
  readonly expect?: Verdict
}

export interface Model {
  readonly name: string
  readonly description: string
  readonly params: Readonly<Record<string, ParamSpec>>
  /** The system checked when no --test is given. */
  readonly build: (params: Params, seed: number) => TransitionSystem<any, any>
  readonly tests: Readonly<Record<string, NamedTest>>
}

export class ModelError extends taggedError("ModelError") {}
