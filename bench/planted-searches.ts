/**
 * Small systems with planted bugs that plain random walks almost never reach, one per guided
 * strategy (schedules.ts), and the benchmark that measures it: over seeds 1..10, with 1,000 runs of
 * 100 steps each, how often each strategy and plain random walks find the bug and how many steps
 * they take to. `node --import tsx bench/planted-searches.ts` prints the JSON.
 */
import { explore } from "../src/checker/explore.ts"
import { plainFingerprint } from "../src/checker/plain.ts"
import type { Strategy } from "../src/checker/result.ts"
import { invariant, type TransitionSystem } from "../src/checker/transition-system.ts"

const spec = <S extends object>(
  name: string,
  init: S,
  actions: ReadonlyArray<readonly [string, (s: S) => S | undefined]>,
  bad: (s: S) => boolean,
  actor?: (label: string) => string
): TransitionSystem<S, string> => ({
  name,
  initial: () => [init],
  successors: (s, emit) => {
    for (const [label, f] of actions) {
      const next = f(s)
      if (next) emit(label, next)
    }
  },
  fingerprint: plainFingerprint,
  formatLabel: (l) => l,
  view: (s) => s,
  properties: [invariant("NoBug", (s) => !bad(s))],
  ...(actor ? { causality: (l: string) => ({ actor: actor(l) }) } : {}),
})

/** Swarm's target: 20 increments with no reset in between, among four kinds of noise. */
export const counter = spec<{ n: number; noise: number }>(
  "counter",
  { n: 0, noise: 0 },
  [
    ["inc", (s) => ({ n: s.n + 1, noise: s.noise })],
    ["reset", (s) => ({ n: 0, noise: s.noise })],
    ...[1, 2, 3, 4].map((i) => [`noise${i}`, (s: { n: number; noise: number }) => ({ n: s.n, noise: (s.noise + i) % 7 })] as const),
  ],
  (s) => s.n >= 20
)

/** PCT's target: process p1 takes all its 10 steps before p2 and p3 take any. */
export const racers = spec<{ pc: readonly number[] }>(
  "racers",
  { pc: [0, 0, 0] },
  [0, 1, 2].map((p) => [`step(p${p + 1})`, (s) => (s.pc[p]! < 10 ? { pc: s.pc.map((x, i) => (i === p ? x + 1 : x)) } : undefined)] as const),
  (s) => s.pc[0] === 10 && s.pc[1] === 0 && s.pc[2] === 0,
  (l) => /\((\w+)\)/.exec(l)![1]!
)

/** Coverage's target: a combination lock of 8 digits; a wrong digit starts over. */
export const CODE = [3, 1, 4, 1, 0, 2, 3, 4]
export const lock = spec<{ pos: number; last: number }>(
  "lock",
  { pos: 0, last: -1 },
  [0, 1, 2, 3, 4].map((d) => [`press(${d})`, (s) => ({ pos: CODE[s.pos] === d ? s.pos + 1 : 0, last: d })] as const),
  (s) => s.pos === CODE.length
)

const SEEDS = Array.from({ length: 10 }, (_, i) => i + 1)

export async function benchPlantedSearches(): Promise<object> {
  const out: Record<string, unknown> = {}
  for (const [name, system, guided, extra] of [
    ["counter (20 increments, no reset)", counter, "swarm", {}],
    ["racers (p1 runs 10 steps first)", racers, "pct", {}],
    ["lock (8-digit combination)", lock, "coverage", { abstraction: (s: { pos: number }) => s.pos }],
  ] as const) {
    const row: Record<string, unknown> = {}
    for (const strategy of ["random", guided] as const satisfies ReadonlyArray<Strategy>) {
      const runs = SEEDS.map((seed) => explore(system as TransitionSystem<object, string>, { samples: 1000, maxDepth: 100, seed, strategy, ...extra }))
      const found = runs.filter((r) => r.verdict === "violation")
      const steps = found.map((r) => r.generated).sort((a, b) => a - b)
      row[strategy] = {
        foundInSeeds: `${found.length}/${SEEDS.length}`,
        medianStepsToFind: steps.length ? steps[Math.floor(steps.length / 2)] : null,
        traceLengths: [...new Set(found.map((r) => r.path!.steps.length))],
        seconds: Number(runs.reduce((a, r) => a + r.seconds, 0).toFixed(2)),
      }
    }
    out[name] = row
  }
  return out
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await benchPlantedSearches(), null, 1))
