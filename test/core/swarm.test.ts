/** core/swarm.ts: a path handed back as a system is searched to its end, cycles cut. */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import type { Path } from "../../src/checker/result.ts"
import { invariant, type TransitionSystem } from "../../src/checker/transition-system.ts"
import { pathSystem } from "../../src/checker/staged.ts"
import { withoutCycles } from "../../src/core/swarm.ts"

/** A counter that counts up, or resets; x = 3 breaks BELOW_3. */
interface C {
  readonly x: number
}
const counter: TransitionSystem<C, string> = {
  name: "counter",
  initial: () => [{ x: 0 }],
  successors: (s, emit) => {
    emit("inc", { x: s.x + 1 })
    emit("reset", { x: 0 })
  },
  fingerprint: (s, fp) => {
    fp.hi = s.x
    fp.lo = 0
  },
  formatLabel: (l) => l,
  view: (s) => s,
  properties: [invariant<C>("BELOW_3", (s) => s.x < 3)],
}

/** inc, inc, reset, inc, inc, inc: it passes x = 0 and x = 1 twice before x = 3. */
const looping = (): Path<C, string> => {
  const initial = { x: 0 }
  const labels = ["inc", "inc", "reset", "inc", "inc", "inc"]
  let x = 0
  const steps = labels.map((label) => {
    x = label === "inc" ? x + 1 : 0
    return { label, text: label, state: { x } }
  })
  return { initialIndex: 0, initial, steps }
}

test("a path that comes back to a state it passed stops a search of its path system there; cut, it is searched to the violation", (t) => {
  const path = looping()
  // BFS takes the second visit of x = 0 for the first: the rest of the path is never reached.
  t.is(explore(pathSystem(counter, path)).verdict, "ok")
  const cut = withoutCycles(counter, path)
  t.deepEqual(
    cut.steps.map((s) => s.label),
    ["inc", "inc", "inc"]
  )
  const r = explore(pathSystem(counter, cut))
  t.is(r.verdict, "violation")
  t.is(r.path!.steps.length, 3)
})

test("a path without cycles is kept as it is", (t) => {
  const path = looping()
  const straight = { ...path, steps: path.steps.slice(3), initial: path.steps[2]!.state }
  t.is(withoutCycles(counter, straight), straight)
})
