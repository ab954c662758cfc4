/**
 * A search in phases (src/checker/phases.ts): a bug that needs a scene set first (x at 3) and then a
 * step a phase may forbid (y, the "crash"), found by random walks in two phases, the joined path
 * minimised on the whole system; without the second phase, or with its step forbidden, nothing is found.
 */
import test from "ava"
import { plainFingerprint } from "../../src/checker/plain.ts"
import { searchInPhases } from "../../src/checker/phases.ts"
import { goal, invariant, type TransitionSystem } from "../../src/checker/transition-system.ts"

type S = { readonly x: number; readonly y: number; readonly noise: number }
const system: TransitionSystem<S, string> = {
  name: "two-stage bug",
  initial: () => [{ x: 0, y: 0, noise: 0 }],
  successors: (s, emit) => {
    if (s.x < 6) emit("x", { ...s, x: s.x + 1 })
    if (s.y < 2) emit("y", { ...s, y: s.y + 1 })
    emit("noise", { ...s, noise: (s.noise + 1) % 5 })
    emit("reset", { ...s, x: 0, y: 0 })
  },
  fingerprint: plainFingerprint,
  formatLabel: (l) => l,
  view: (s) => s,
  // The bug: y reaches 2 while x is exactly 3. The system's own goal is not a phase's: walks do not stop at it.
  properties: [invariant("NoBug", (s) => !(s.x === 3 && s.y === 2)), goal("SOME_GOAL", (s) => s.noise === 4)],
}
const walks = { strategy: "random", samples: 200, maxDepth: 20, seed: 1 } as const
const xAt3 = goal<S>("X_AT_3", (s) => s.x === 3)

test("two phases: walks without y until x is 3, then walks with every step; the joined path is minimised to the five steps the bug needs", (t) => {
  const r = searchInPhases(system, [{ goal: xAt3, options: walks, allows: (l) => l !== "y" }, { options: walks }])
  t.is(r.found?.property, "NoBug")
  t.deepEqual([...r.found!.path.steps.map((s) => s.text)].sort(), ["x", "x", "x", "y", "y"])
  t.true(r.found!.unminimised >= 5)
})

test("a phase whose goal is never reached ends the search with nothing found; forbidding the bug's step in the last phase finds nothing either", (t) => {
  t.deepEqual(searchInPhases(system, [{ goal: goal<S>("NEVER", (s) => s.x > 6), options: walks, allows: (l) => l !== "y" }, { options: walks }]), { reached: 0 })
  const r = searchInPhases(system, [{ goal: xAt3, options: walks, allows: (l) => l !== "y" }, { options: walks, allows: (l) => l !== "y" }])
  t.is(r.found, undefined)
  t.is(r.reached, 1)
})
