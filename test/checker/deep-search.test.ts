/**
 * Guided random search: swarm, PCT and coverage-guided runs each catch a planted bug that plain random
 * walks with the same seed and budget miss, and the counterexample comes back minimised (exactly the
 * steps the bug needs). Shards of a sampled search split its samples without overlap.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import type { CheckOptions } from "../../src/checker/result.ts"
import { shardRange, parseShard } from "../../src/checker/shard.ts"
import { stepClass } from "../../src/checker/schedules.ts"
import type { TransitionSystem } from "../../src/checker/transition-system.ts"
import { CODE, counter, lock, racers } from "../../spec/planted-searches.ts"
import { labelsOf, replayHit } from "../helpers.ts"

const budget: CheckOptions = { samples: 1000, maxDepth: 100, seed: 1 }

for (const [strategy, system, options, minimal] of [
  ["swarm", counter, {}, Array(20).fill("inc")],
  ["pct", racers, {}, Array(10).fill("step(p1)")],
  ["coverage", lock, { abstraction: (s: { pos: number }) => s.pos }, CODE.map((d) => `press(${d})`)],
] as const) {
  test(`${strategy} catches the planted bug in ${system.name}, plain random walks with the same budget do not; the trace is minimal`, (t) => {
    const random = explore(system as TransitionSystem<object, string>, { ...budget, strategy: "random" })
    t.is(random.verdict, "ok", `random walks found it: ${labelsOf(random.path).length} steps`)
    const r = explore(system as TransitionSystem<object, string>, { ...budget, ...options, strategy })
    t.like(r, { verdict: "violation", property: "NoBug", strategy })
    t.deepEqual(labelsOf(r.path), [...minimal])
    t.is(replayHit(system as TransitionSystem<object, string>, r)?.property, "NoBug")
  })
}

test("step classes: the action, or the event and message type of a delivery", (t) => {
  t.is(stepClass("RMPrepare(r1)"), "RMPrepare")
  t.is(stepClass("deliver client1 -> server: Ping(value=x)"), "deliver Ping")
  t.is(stepClass("drop client1 -> server: Ping(value=x)"), "drop")
  t.is(stepClass("timer client1: PingTimer(ping=Ping(value=x))"), "timer")
  t.is(stepClass("@3 deliver a -> b: Prepare(n=1)"), "deliver Prepare")
})

test("shards split the samples of a search into disjoint ranges that cover them all", (t) => {
  t.deepEqual(parseShard("2/3"), { index: 1, count: 3 })
  for (const bad of ["0/3", "4/3", "1/0", "x", "1/2/3"]) t.is(parseShard(bad), undefined, bad)
  const ranges = [0, 1, 2].map((index) => shardRange(1000, { index, count: 3 }))
  t.deepEqual(ranges, [[0, 333], [333, 666], [666, 1000]])
  // The shard that holds the failing sample finds the same (minimised) counterexample as the whole search.
  const whole = explore(counter, { ...budget, strategy: "swarm" })
  const found = [0, 1, 2].map((index) => explore(counter, { ...budget, strategy: "swarm", shard: { index, count: 3 } }))
  t.true(found.some((r) => r.verdict === "violation" && labelsOf(r.path).join() === labelsOf(whole.path).join()))
})
