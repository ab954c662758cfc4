/**
 * Proof obligations: each names a model's named test (a bounded configuration with its invariants,
 * refinement and goals) and the verdict that discharges it. `tla-ts prove` runs them and writes a
 * machine-readable report. Protocols list theirs in proofs/<protocol>.ts.
 */
import type { CheckOptions, Verdict } from "./result.ts"

export interface Obligation {
  /** What is being shown, e.g. "no slot ever has two chosen values (3 servers, 2 clients)". */
  readonly name: string
  readonly model: string
  readonly test: string
  readonly params?: Readonly<Record<string, string>>
  /** Overrides of the test's own search options (budgets, strategy). */
  readonly options?: CheckOptions
  /** The verdict that discharges the obligation (usually "ok": explored completely, no violation). */
  readonly expect: Verdict
}
