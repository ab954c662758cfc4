/**
 * Protocol systems offer their clients' history through TransitionSystem.history, so the CLI writes
 * `--history-out` for any system that has one without knowing what a world is.
 */
import type { Model, NamedTest } from "../checker/model.ts"
import type { TransitionSystem } from "../checker/transition-system.ts"
import { isKvCommand, kvHistory } from "../core/linearizable.ts"
import { historyOf, type World } from "../core/world.ts"

type Build = NamedTest["build"]

/** A protocol's world (specs' states have no clients' `aux`). */
const isWorld = (state: unknown): state is World => typeof state === "object" && state !== null && "aux" in state && "nodes" in state

/** A world's history: KV operations, or (`transactions`, for protocols whose clients run transactions) transactions. */
export type Transactions = (w: World) => ReadonlyArray<unknown> | undefined

const historyOfWorld = (w: World, transactions: Transactions | undefined) => {
  if (historyOf(w).every((op) => isKvCommand(op.command))) return { model: "kv" as const, operations: kvHistory(w) }
  const txns = transactions?.(w)
  return txns ? { model: "txn" as const, operations: txns } : undefined
}

const withHistory =
  (build: Build, transactions: Transactions | undefined): Build =>
  (params, seed) => {
    // Derived, not spread: systems may be built by prototype (startingFrom, withProperties) and a spread keeps own fields only.
    const system = Object.create(build(params, seed)) as TransitionSystem<unknown, unknown>
    Object.defineProperty(system, "history", {
      value: (state: unknown) => (isWorld(state) ? historyOfWorld(state, transactions) : undefined),
    })
    return system
  }

/** The model with every system it builds offering the KV history (or the transactions) of its protocol's clients. */
export const offeringHistory = (model: Model, transactions?: Transactions): Model => ({
  ...model,
  build: withHistory(model.build, transactions),
  tests: Object.fromEntries(Object.entries(model.tests).map(([k, t]) => [k, { ...t, build: withHistory(t.build, transactions) }])),
})
