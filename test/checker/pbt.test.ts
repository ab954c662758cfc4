import test from "ava"
import { bfs } from "../../src/checker/explore.ts"
import { lastState } from "../../src/checker/path.ts"
import { checkPbt, runSchedule } from "../../src/checker/pbt.ts"
import { goal, invariant, prune, type StepProperty, type TransitionSystem } from "../../src/checker/transition-system.ts"
import { pingPongModel } from "../../src/protocols/pingpong/model.ts"
import { at, counter, grid, labelsOf, oneMinimal, replayHit } from "../helpers.ts"

const notAt = (x: number, y: number) => invariant<number>("NOT_THERE", (s) => s !== at(x, y))

test("pbt finds a violation, shrinks it to a small trace with real labels, and the trace replays", (t) => {
  const system = grid(8, [notAt(5, 3)])
  const r = checkPbt(system, { seed: 11, samples: 300, maxDepth: 40 })
  t.is(r.verdict, "violation")
  t.is(r.strategy, "pbt")
  t.is(r.property, "NOT_THERE")
  t.is(r.seed, 11)
  t.is(lastState(r.path!), at(5, 3))
  t.is(replayHit(system, r)?.property, "NOT_THERE")
  t.true(oneMinimal(system, r.path!, "NOT_THERE"), labelsOf(r.path).join(" "))
  // The shortest is 5 steps (jump, right, right... or jump, right, right, up*3 = 6; bfs knows).
  const shortest = bfs(system, {}).path!.steps.length
  t.true(r.path!.steps.length <= shortest + 4, `pbt trace ${r.path!.steps.length} vs shortest ${shortest}`)
  t.true(r.generated > 0)
  t.true(r.distinct > 1)
  t.is(r.depth, r.path!.steps.length + 1)
})

test("pbt shrinking alone (no delta debugging) already gives a short schedule", (t) => {
  const system = grid(8, [notAt(5, 3)])
  const r = checkPbt(system, { seed: 11, samples: 300, maxDepth: 40, minimise: false })
  t.is(r.verdict, "violation")
  t.true(r.path!.steps.length <= 14, `shrunk to ${r.path!.steps.length}: ${labelsOf(r.path).join(" ")}`)
  t.is(replayHit(system, r)?.property, "NOT_THERE")
})

test("pbt is reproducible: same seed, same result; the seed is reported", (t) => {
  const system = grid(8, [notAt(6, 6)])
  const a = checkPbt(system, { seed: 2024, samples: 200 })
  const b = checkPbt(system, { seed: 2024, samples: 200 })
  t.is(a.seed, 2024)
  t.is(a.verdict, b.verdict)
  t.deepEqual(labelsOf(a.path), labelsOf(b.path))
  t.is(a.generated, b.generated)
  t.is(a.distinct, b.distinct)
  const c = checkPbt(system, { seed: 2025, samples: 200, minimise: false })
  const d = checkPbt(system, { seed: 2024, samples: 200, minimise: false })
  t.true(c.generated !== d.generated || labelsOf(c.path).join() !== labelsOf(d.path).join())
  // Without a seed, one is drawn and reported.
  t.is(typeof checkPbt(grid(3, []), { samples: 5 }).seed, "number")
})

test("pbt: a clean system is ok after all samples; generated counts every step", (t) => {
  const system = grid(6, [invariant("TRUE", () => true)])
  const r = checkPbt(system, { seed: 1, samples: 50, maxDepth: 20 })
  t.is(r.verdict, "ok")
  t.false(r.complete)
  t.true(r.generated > 50 && r.generated <= 50 * 20, `${r.generated}`)
  t.true(r.distinct > 10 && r.distinct <= 36, `${r.distinct}`)
  t.true(r.depth <= 21)
})

test("pbt goals: goal-found with a shrunk witness; goal-not-found when unreachable; stopAtGoal false goes on", (t) => {
  const reach = goal<number>("REACHED", (s) => s === at(3, 2))
  const r = checkPbt(grid(6, [reach]), { seed: 4, samples: 300 })
  t.is(r.verdict, "goal-found")
  t.is(r.property, "REACHED")
  t.is(lastState(r.path!), at(3, 2))
  t.true(r.path!.steps.length <= 6, labelsOf(r.path).join(" "))
  const never = checkPbt(grid(6, [reach], ["left", "down"]), { seed: 4, samples: 30 })
  t.is(never.verdict, "goal-not-found")
  t.is(never.path, undefined)
  // Goals seen without stopping; a violation elsewhere still wins.
  const on = checkPbt(grid(6, [goal("ANY_MOVE", (s) => s !== 0)]), { seed: 4, samples: 30, stopAtGoal: false })
  t.is(on.verdict, "goal-found")
  t.is(on.path, undefined)
  t.true(on.generated > 30)
  const both = checkPbt(grid(6, [goal("ANY_MOVE", (s) => s !== 0), notAt(4, 4)]), { seed: 4, samples: 500, stopAtGoal: false })
  t.is(both.verdict, "violation")
  t.is(both.property, "NOT_THERE")
})

test("pbt: shrinking keeps the property that failed first (a violation never shrinks into a goal)", (t) => {
  // From 0: "a" leads towards a violation at depth 3, "b" straight to a goal. Whichever the first
  // failing run hit, the reported trace must end in a state hitting that same property.
  const system: TransitionSystem<string, string> = {
    name: "fork",
    initial: () => [""],
    successors: (s, emit) => {
      if (s === "" || s.startsWith("a")) emit("a", `${s}a`)
      if (s === "") emit("b", "b")
    },
    fingerprint: (s, out) => {
      out.hi = s.length
      out.lo = s.charCodeAt(0) || 0
    },
    formatLabel: (l) => l,
    view: (s) => s,
    properties: [invariant("SHORT", (s) => s.length < 3), goal("B", (s) => s === "b")],
  }
  const kinds = new Set<string>()
  for (let seed = 0; seed < 20; seed++) {
    const r = checkPbt(system, { seed, samples: 50, maxDepth: 5 })
    kinds.add(r.property!)
    const last = lastState(r.path!)
    if (r.property === "SHORT") t.is(last, "aaa", `seed ${seed}`)
    else t.is(last, "b", `seed ${seed}`)
    t.is(r.verdict, r.property === "SHORT" ? "violation" : "goal-found")
  }
  t.is(kinds.size, 2, "over 20 seeds both outcomes occur")
})

test("pbt: budgets give budget-exhausted", (t) => {
  const system = counter([invariant("TRUE", () => true)])
  const bySteps = checkPbt(system, { seed: 1, samples: 1000, maxDepth: 50, maxStates: 300 })
  t.is(bySteps.verdict, "budget-exhausted")
  t.true(bySteps.generated >= 300 && bySteps.generated < 400, `${bySteps.generated}`)
  const t0 = performance.now()
  const byTime = checkPbt(grid(1000, [invariant("TRUE", () => true)]), { seed: 1, samples: 1_000_000, maxDepth: 50, maxSeconds: 0.3 })
  t.is(byTime.verdict, "budget-exhausted")
  t.true(performance.now() - t0 < 10_000)
})

test("pbt: runs stop in pruned states and in deadlocks", (t) => {
  // Counter pruned at 5: 10 is reachable only through 5 (0..4 then twice), so it is never reached.
  const system = counter([prune("BIG", (s) => s >= 5), invariant("NOT_TEN", (s) => s !== 10)])
  const r = checkPbt(system, { seed: 3, samples: 200, maxDepth: 30 })
  t.is(r.verdict, "ok")
  t.true(r.distinct <= 8, `${r.distinct}`)
  const run = runSchedule(counter([prune("BIG", (s) => s >= 5)]), [0, [0, 0, 0, 0, 0, 0, 0, 0]])
  t.is(run.end, "pruned")
  t.is(run.path.steps.length, 5)
  const dead = runSchedule(grid(2, [], ["right"]), [0, [0, 0, 0]])
  t.is(dead.end, "deadlock")
  t.deepEqual(labelsOf(dead.path), ["right"])
  // Choice c picks step c % n: from 1 the counter has [inc, twice].
  t.deepEqual(labelsOf(runSchedule(counter([]), [0, [0, 1, 3, 2]]).path), ["inc", "twice", "twice", "inc"])
  t.is(lastState(runSchedule(counter([]), [0, [0, 1, 3, 2]]).path), 5)
  t.is(lastState(runSchedule(counter([], [10, 20]), [3, []]).path), 20)
})

test("pbt checks step properties and determinism", (t) => {
  const noJump: StepProperty<number, string> = { name: "NO_JUMP", check: (_a, l) => (l === "jump" ? "jumped" : undefined) }
  const base = grid(6, [])
  const system = { ...base, stepProperties: [noJump] } as TransitionSystem<number, string>
  const r = checkPbt(system, { seed: 8, samples: 100 })
  t.is(r.verdict, "violation")
  t.is(r.property, "NO_JUMP")
  t.deepEqual(labelsOf(r.path), ["jump"])
  let calls = 0
  const flaky: TransitionSystem<number, string> = {
    ...counter([]),
    successors: (s, emit) => {
      calls++
      emit("inc", s + 1 + (s === 2 ? calls % 2 : 0))
    },
  }
  const f = checkPbt(flaky, { seed: 8, samples: 50 })
  t.is(f.verdict, "violation")
  t.is(f.property, "DETERMINISM")
  t.truthy(f.detail)
  t.true(f.path!.steps.length <= 3, labelsOf(f.path).join(" "))
})

test("pbt on a compiled protocol: the schedule picks the faults (a dropped ping strands a client that never retries)", (t) => {
  const system = pingPongModel.tests["bug-no-retry"]!.build({}, 0)
  const r = checkPbt(system, { seed: 5, samples: 200, maxDepth: 30 })
  t.is(r.verdict, "violation")
  t.is(r.property, "PROGRESS_POSSIBLE")
  t.is(r.path!.steps.length, 1)
  t.regex(r.path!.steps[0]!.text, /^drop client1 -> server: Ping/)
  t.is(replayHit(system, r)?.property, "PROGRESS_POSSIBLE")
  // The correct client retries: no schedule (with drops chosen anywhere) strands it.
  const ok = checkPbt(pingPongModel.tests["exhaustive-lossy"]!.build({}, 0), { seed: 5, samples: 200, maxDepth: 30 })
  t.is(ok.verdict, "ok")
})
