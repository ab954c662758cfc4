import test from "ava"
import { bfs, dfs, explore, simulate } from "../../src/checker/explore.ts"
import { FingerprintSet, NO_PARENT } from "../../src/checker/fpset.ts"
import { fingerprintValue, Hasher, hashValue } from "../../src/checker/hash.ts"
import { lastState } from "../../src/checker/path.ts"
import { Rng } from "../../src/checker/random.ts"
import { goal, invariant, prune, type TransitionSystem } from "../../src/checker/transition-system.ts"
import { at, counter, grid, labelsOf, oneMinimal, replayHit, shortestDistances } from "../helpers.ts"

const notAt = (x: number, y: number) => invariant<number>(`NOT_AT_${x}_${y}`, (s) => s !== at(x, y))

test("bfs counterexamples are shortest: trace length equals the true shortest distance", (t) => {
  const dist = shortestDistances(grid(12, []))
  const targets: Array<[number, number]> = [
    [0, 0],
    [1, 0],
    [5, 0],
    [7, 3],
    [11, 11],
    [10, 2],
    [2, 9],
  ]
  for (const [x, y] of targets) {
    const system = grid(12, [notAt(x, y)])
    const r = bfs(system, {})
    t.is(r.verdict, "violation", `target ${x},${y}`)
    t.is(r.property, `NOT_AT_${x}_${y}`)
    t.is(r.path!.steps.length, dist.get(at(x, y))!, `target ${x},${y}: bfs trace ${labelsOf(r.path).join(" ")}`)
    t.is(lastState(r.path!), at(x, y))
    t.is(replayHit(system, r)?.property, `NOT_AT_${x}_${y}`)
    // Depth as TLC counts it: the initial state is depth 1.
    t.is(r.depth, r.path!.steps.length + 1)
  }
  // (7,3) needs the jumps: 2 jumps + right + 3 ups = 6 < Manhattan 10.
  t.is(dist.get(at(7, 3)), 6)
})

test("bfs explores the whole space: ok, complete, distinct = reachable states", (t) => {
  const r = bfs(grid(9, [invariant("TRUE", () => true)]), {})
  t.is(r.verdict, "ok")
  t.true(r.complete)
  t.is(r.distinct, 81)
  t.is(r.strategy, "bfs")
})

test("dfs with a seed is reproducible, and its trace is minimised and replays to the same violation", (t) => {
  const system = grid(10, [notAt(6, 5)])
  const a = dfs(system, { seed: 7 })
  const b = dfs(system, { seed: 7 })
  t.is(a.verdict, "violation")
  t.is(a.seed, 7)
  t.deepEqual(labelsOf(a.path), labelsOf(b.path))
  t.is(a.distinct, b.distinct)
  t.is(a.generated, b.generated)
  // Another seed explores in another order.
  const others = [8, 9, 10, 11].map((seed) => dfs(system, { seed, minimise: false }))
  t.true(others.some((o) => o.generated !== others[0]!.generated || labelsOf(o.path).join() !== labelsOf(others[0]!.path).join()))
  // Minimised: no longer than the raw dfs path, 1-minimal, and it replays to the same property.
  const raw = dfs(system, { seed: 7, minimise: false })
  t.true(raw.path!.steps.length >= a.path!.steps.length)
  t.true(raw.path!.steps.length > 11, `raw dfs path should wander (got ${raw.path!.steps.length})`)
  t.true(oneMinimal(system, a.path!, "NOT_AT_6_5"), labelsOf(a.path).join(" "))
  t.is(replayHit(system, a)?.property, "NOT_AT_6_5")
  t.is(lastState(a.path!), at(6, 5))
})

/** A walk of binary choices; the state is the trail of choices so far. */
const walk = (length: number, bad: string): TransitionSystem<string, string> => ({
  name: "walk",
  initial: () => [""],
  successors: (s, emit) => {
    if (s.length >= length) return
    emit("zero", `${s}0`)
    emit("one", `${s}1`)
  },
  fingerprint: (s, out) => {
    fingerprintValue(s, out)
  },
  formatLabel: (l) => l,
  view: (s) => s,
  properties: [invariant("NOT_BAD", (s) => s !== bad)],
})

/** What `simulate` does for sample i of `seed`, written out by hand: pick the initial state, then uniformly. */
const manualTrail = (seed: number, sample: number, length: number): string => {
  const rng = Rng.forSample(seed, sample)
  rng.int(1)
  let s = ""
  while (s.length < length) s += String(rng.int(2))
  return s
}

test("random simulation: same seed gives the same run; sample i is seeded with hash(seed, i)", (t) => {
  const seed = 1234
  const L = 16
  const target = manualTrail(seed, 3, L)
  for (let i = 0; i < 3; i++) t.not(manualTrail(seed, i, L), target, "earlier samples must not already hit")
  const system = walk(L, target)
  const r = simulate(system, { seed, samples: 10, maxDepth: 100, minimise: false })
  t.is(r.verdict, "violation")
  t.is(r.seed, seed)
  t.is(lastState(r.path!), target)
  t.deepEqual(labelsOf(r.path), [...target].map((c) => (c === "0" ? "zero" : "one")))
  t.is(r.generated, 4 * L, "samples 0..3 each ran the whole walk")
  const again = simulate(system, { seed, samples: 10, maxDepth: 100, minimise: false })
  t.deepEqual(labelsOf(again.path), labelsOf(r.path))
  // Nearby seeds do not give shifted copies of the same runs.
  t.not(manualTrail(seed + 1, 0, L), manualTrail(seed, 1, L))
  t.not(manualTrail(seed, 0, L), manualTrail(seed + 1, 0, L))
  // A different seed does not find the target in 3 samples (it would need sample 3's exact trail).
  t.is(simulate(system, { seed: seed + 1, samples: 3, maxDepth: 100 }).verdict, "ok")
})

test("random simulation through explore: reproducible runs, distinct and generated counted", (t) => {
  const system = grid(30, [invariant("TRUE", () => true)])
  const a = explore(system, { strategy: "random", seed: 5, samples: 20, maxDepth: 40 })
  const b = explore(system, { strategy: "random", seed: 5, samples: 20, maxDepth: 40 })
  const c = explore(system, { strategy: "random", seed: 6, samples: 20, maxDepth: 40 })
  t.is(a.verdict, "ok")
  t.is(a.strategy, "random")
  t.is(a.generated, 800)
  t.is(a.distinct, b.distinct)
  t.not(a.distinct, c.distinct)
  t.false(a.complete)
})

test("budgets: maxStates, maxDepth and maxSeconds give budget-exhausted", (t) => {
  const unbounded = counter([invariant("NEVER_NEGATIVE", (s) => s >= 0)])
  for (const strategy of ["bfs", "dfs"] as const) {
    const byStates = explore(unbounded, { strategy, seed: 1, maxStates: 500 })
    t.is(byStates.verdict, "budget-exhausted", strategy)
    t.false(byStates.complete)
    t.true(byStates.distinct >= 500 && byStates.distinct < 5000, `${strategy}: ${byStates.distinct}`)
    const byDepth = explore(unbounded, { strategy, seed: 1, maxDepth: 10 })
    t.is(byDepth.verdict, "budget-exhausted", strategy)
    t.true(byDepth.depth <= 11, `${strategy}: depth ${byDepth.depth}`)
    const t0 = performance.now()
    const byTime = explore(grid(1000, [invariant("TRUE", () => true)]), { strategy, seed: 1, maxSeconds: 0.3 })
    t.is(byTime.verdict, "budget-exhausted", strategy)
    t.true(performance.now() - t0 < 5000)
  }
  const rand = explore(unbounded, { strategy: "random", seed: 1, samples: 1000, maxDepth: 50, maxStates: 200 })
  t.is(rand.verdict, "budget-exhausted")
  t.true(rand.generated >= 200 && rand.generated <= 250, `${rand.generated}`)
  // Within maxDepth, a finite tree explored to the end is complete and ok.
  const small = explore(grid(4, [invariant("TRUE", () => true)]), { strategy: "bfs", maxDepth: 100 })
  t.is(small.verdict, "ok")
})

test("goals: goal-found with a witness, goal-not-found when unreachable", (t) => {
  const reach = (x: number, y: number) => goal<number>("REACHED", (s) => s === at(x, y))
  for (const strategy of ["bfs", "dfs", "random"] as const) {
    const found = explore(grid(6, [reach(4, 2)]), { strategy, seed: 3, samples: 500, maxDepth: 60 })
    t.is(found.verdict, "goal-found", strategy)
    t.is(found.property, "REACHED")
    t.is(lastState(found.path!), at(4, 2), strategy)
    // Only left/down moves from the origin: nothing else is reachable.
    const never = explore(grid(6, [reach(4, 2)], ["left", "down"]), { strategy, seed: 3, samples: 50, maxDepth: 60 })
    t.is(never.verdict, "goal-not-found", strategy)
  }
  // bfs gives the shortest witness: jump, right, up, up.
  t.is(bfs(grid(6, [reach(4, 2)]), {}).path!.steps.length, 4)
  // Not stopping at goals: the search goes on, and still reports the goal it met.
  const all = bfs(grid(6, [reach(4, 2)]), { stopAtGoal: false })
  t.is(all.verdict, "goal-found")
  t.is(all.distinct, 36)
})

test("prunes: pruned states are not expanded", (t) => {
  // Counter with x >= 5 pruned: 10 is reachable only through states >= 5, so it is never reached.
  const system = counter([prune("BIG", (s) => s >= 5), invariant("NOT_TEN", (s) => s !== 10)])
  for (const strategy of ["bfs", "dfs"] as const) {
    const r = explore(system, { strategy, seed: 2 })
    t.is(r.verdict, "ok", strategy)
    t.true(r.complete)
    // 0..4 expanded; 5, 6 and 8 generated (4 -> 5, 3 -> 6, 4 -> 8) but not expanded (so no 7, no 10).
    t.is(r.distinct, 8, strategy)
  }
  const unpruned = bfs(counter([invariant("NOT_TEN", (s) => s !== 10)]), {})
  t.is(unpruned.verdict, "violation")
  t.is(unpruned.path!.steps.length, 5, "0 -inc-> 1 -inc-> 2 -twice-> 4 -inc-> 5 -twice-> 10")
})

test("determinism check: a nondeterministic successors function is reported as DETERMINISM", (t) => {
  let calls = 0
  const flaky: TransitionSystem<number, string> = {
    ...counter([invariant("TRUE", () => true)]),
    successors: (s, emit) => {
      calls++
      emit("inc", s + 1 + (s === 3 ? calls % 2 : 0))
    },
  }
  for (const strategy of ["bfs", "dfs", "swarm", "pct", "coverage"] as const) {
    const r = explore(flaky, { strategy, seed: 1, maxStates: 1000 })
    t.is(r.verdict, "violation", strategy)
    t.is(r.property, "DETERMINISM", strategy)
    t.truthy(r.detail)
  }
  // With the check off, the same system is just explored.
  t.not(explore(flaky, { strategy: "bfs", maxStates: 1000, checkDeterminism: false }).property, "DETERMINISM")
})

test("FingerprintSet: a million inserts across growth, duplicates found, ids and parents kept", (t) => {
  const set = new FingerprintSet(1024)
  const rng = new Rng(99)
  const N = 1_000_000
  const his = new Uint32Array(N)
  const los = new Uint32Array(N)
  for (let i = 0; i < N; i++) {
    // Half random, half structured (same hi, consecutive lo) to stress probing.
    his[i] = i % 2 === 0 ? rng.nextU32() : 7
    los[i] = i % 2 === 0 ? rng.nextU32() : i
    const id = set.add(his[i]!, los[i]!, i === 0 ? NO_PARENT : i - 1)
    if (id !== i) return t.fail(`insert ${i} got id ${id}`)
  }
  t.is(set.size, N)
  let dups = 0
  for (let i = 0; i < N; i += 7) if (set.add(his[i]!, los[i]!, 0) === -1) dups++
  t.is(dups, Math.ceil(N / 7))
  t.is(set.size, N)
  for (let i = 0; i < N; i += 997) t.is(set.idOf(his[i]!, los[i]!), i)
  t.false(set.has(7, N + 1))
  t.false(set.has(0, 0))
  t.is(set.parentOf(500_000), 499_999)
  const path = set.pathTo(5)
  t.is(path.length, 6)
  t.deepEqual(path[5], [his[5]!, los[5]!])
  t.deepEqual(path[0], [his[0]!, los[0]!])
})

test("hashValue is canonical: equal content hashes equal however it was built; different content differs", (t) => {
  const h = (v: unknown) => {
    const out = { hi: 0, lo: 0 }
    const hasher = new Hasher()
    hashValue(hasher, v)
    hasher.finish(out)
    return `${out.hi}:${out.lo}`
  }
  const m1 = new Map<string, unknown>([
    ["a", 1],
    ["b", [1, 2]],
    ["c", new Set(["x", "y"])],
  ])
  const m2 = new Map<string, unknown>([
    ["c", new Set(["y", "x"])],
    ["a", 1],
    ["b", [1, 2]],
  ])
  t.is(h(m1), h(m2))
  t.is(h({ x: 1, y: { p: m1 } }), h({ y: { p: m2 }, x: 1 }))
  t.is(h(new Set([3, 1, 2])), h(new Set([2, 3, 1])))
  t.is(fingerprintValue(m1, { hi: 0, lo: 0 }).lo, fingerprintValue(m2, { hi: 0, lo: 0 }).lo)
  // An undefined field is no field (as in the schemas' canonical encoding), at any depth.
  t.is(h({ a: 1, b: undefined }), h({ a: 1 }))
  t.is(h({ x: [{ b: undefined, a: 2 }], y: undefined }), h({ x: [{ a: 2 }] }))
  t.is(h({ a: undefined }), h({}))
  t.not(h({ a: null }), h({}))
  const different: unknown[] = [
    new Map([["a", 1]]),
    new Map([["a", 2]]),
    new Map([["b", 1]]),
    new Map([
      ["a", 1],
      ["b", 1],
    ]),
    new Set(["a"]),
    ["a", 1],
    [1, "a"],
    { a: 1 },
    { a: "1" },
    { b: 1 },
    1,
    "1",
    1.5,
    null,
    undefined,
    true,
    false,
    [],
    {},
    new Map(),
    new Set(),
    [[1], 2],
    [1, [2]],
    new Map([["ab", "c"]]),
    new Map([["a", "bc"]]),
    2n,
  ]
  const hashes = different.map(h)
  t.is(new Set(hashes).size, different.length, "every distinct value hashes differently")
})
