/**
 * Protocol systems offer their clients' history through TransitionSystem.history, so the CLI writes
 * `--history-out` for any system that has one without knowing what a world is.
 */
import type { Model, NamedTest } from "../checker/model.ts"
import type { TransitionSystem } from "../checker/transition-system.ts"
import { kvHistory } from "../core/linearizable.ts"
import type { World } from "../core/world.ts"

type Build = NamedTest["build"]

/** A protocol's world (specs' states have no clients' `aux`). */
const isWorld = (state: unknown): state is World => typeof state === "object" && state !== null && "aux" in state && "nodes" in state

const withHistory =
  (build: Build): Build =>
  (params, seed) => {
    // Derived, not spread: systems may be built by prototype (startingFrom, withProperties) and a spread keeps own fields only.
    const system = Object.create(build(params, seed)) as TransitionSystem<unknown, unknown>
    Object.defineProperty(system, "history", {
      value: (state: unknown) => (isWorld(state) ? { model: "kv" as const, operations: kvHistory(state) } : undefined),
    })
    return system
  }

/** The model with every system it builds offering the KV history of its protocol's clients. */
export const offeringHistory = (model: Model): Model => ({
  ...model,
  build: withHistory(model.build),
  tests: Object.fromEntries(Object.entries(model.tests).map(([k, t]) => [k, { ...t, build: withHistory(t.build) }])),
})
