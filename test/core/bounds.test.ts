import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { goal, type TransitionSystem } from "../../src/checker/transition-system.ts"
import { atMost, crashesAtMost, highest, stepsAtMost } from "../../src/core/bounds.ts"

/** A counter that counts to 3 and may be reset ("crash") at any time. */
interface C {
  readonly x: number
}
const counter = (props: TransitionSystem<C, string>["properties"] = []): TransitionSystem<C, string> => ({
  name: "counter",
  initial: () => [{ x: 0 }],
  successors: (s, emit) => {
    if (s.x < 3) emit("inc", { x: s.x + 1 })
    emit("crash", { x: 0 })
  },
  fingerprint: (s, fp) => {
    fp.hi = s.x
    fp.lo = 0
  },
  formatLabel: (l) => l,
  view: (s) => s,
  properties: props,
})

test("stepsAtMost: a budget of k counted steps explores every path within it, and no step beyond", (t) => {
  const isCrash = (l: string) => l === "crash"
  t.is(explore(counter()).distinct, 4)
  t.is(explore(stepsAtMost(counter(), isCrash, 0)).distinct, 4)
  // Each count of crashes so far is a distinct state: 4 values of x for each of 0, 1 and 2 crashes.
  t.is(explore(stepsAtMost(counter(), isCrash, 2)).distinct, 12)
  // A goal that needs the whole budget: two crashes from the top. Found with k = 2, not with k = 1.
  const tops = (k: number) => {
    const sys: TransitionSystem<C & { readonly r: number }, string> = {
      ...(counter() as unknown as TransitionSystem<C & { readonly r: number }, string>),
      initial: () => [{ x: 0, r: 0 }],
      successors: (s, emit) => {
        if (s.x < 3) emit("inc", { x: s.x + 1, r: s.r })
        emit("crash", { x: 0, r: s.x === 3 ? s.r + 1 : s.r })
      },
      fingerprint: (s, fp) => {
        fp.hi = s.x
        fp.lo = Math.min(s.r, 3)
      },
      properties: [goal("TWO_CRASHES_FROM_THE_TOP", (s) => s.r === 2)],
    }
    return stepsAtMost(sys, isCrash, k)
  }
  t.is(explore(tops(2)).verdict, "goal-found")
  t.is(explore(tops(2)).path?.steps.length, 8)
  t.is(explore(tops(1)).verdict, "goal-not-found")
})

test("atMost / highest: a prune past k of a measure read through handles", (t) => {
  const sys = counter([atMost<C>("X", 1, highest([(s: C) => s, () => undefined], (s) => s.x))])
  const r = explore(sys)
  t.is(r.verdict, "ok")
  // x = 2 is reached but not expanded; x = 3 never is.
  t.is(r.distinct, 3)
  t.is(typeof crashesAtMost, "function")
})
