/**
 * The one refinement every KV service shares: the store a protocol has applied, read from the global
 * state by `store`, refines spec/kv (every step is one KV operation or a stutter). With several
 * clients one step may apply several commands, so services check it with one client.
 */
import { kvStepOf, type KvState } from "../../spec/kv.ts"
import type { StepProperty } from "../checker/transition-system.ts"
import { refines } from "../refinement/refinement.ts"
import type { KVState } from "./kv.ts"

const EMPTY: KvState = {}
// Stores are immutable: one abstraction per store, so a step that leaves the store alone is a free stutter.
const abstractions = new WeakMap<KVState, KvState>()

/** A store as a spec/kv state: a record with sorted keys (the same object for the same store). */
let lastStore: KVState | undefined
let lastAbstraction: KvState = EMPTY
export const kvAbstraction = (store: KVState | undefined): KvState => {
  if (store === undefined || store.size === 0) return EMPTY
  // Successive calls (a state, then each of its successors) mostly see one store: no lookup then.
  if (store === lastStore) return lastAbstraction
  let a = abstractions.get(store)
  if (a === undefined) {
    a = Object.fromEntries([...store].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
    abstractions.set(store, a)
  }
  lastStore = store
  lastAbstraction = a
  return a
}

export const refinesKv = <W, L = unknown>(store: (w: W) => KVState | undefined): StepProperty<W, L> =>
  refines<W, L, KvState>({ name: "REFINES_KV", abs: (w) => kvAbstraction(store(w)), spec: { isStep: (a, b) => kvStepOf(a, b) !== undefined } })
