/**
 * The one refinement every KV service shares: the store a protocol has applied, read from the global
 * state by `store`, refines spec/kv (every step is one KV operation or a stutter). With several
 * clients one step may apply several commands, so services check it with one client.
 */
import { kvStepOf, type KvState } from "../../spec/kv.ts"
import type { StepProperty } from "../checker/transition-system.ts"
import { refines } from "../refinement/refinement.ts"
import type { KVState } from "./kv.ts"

/** A store as a spec/kv state: a record with sorted keys. */
export const kvAbstraction = (store: KVState | undefined): KvState =>
  Object.fromEntries([...(store ?? new Map<string, string>())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))

export const refinesKv = <W, L = unknown>(store: (w: W) => KVState | undefined): StepProperty<W, L> =>
  refines<W, L, KvState>({ name: "REFINES_KV", abs: (w) => kvAbstraction(store(w)), spec: { isStep: (a, b) => kvStepOf(a, b) !== undefined } })
