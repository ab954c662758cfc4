/**
 * The planted-bug systems of spec/planted-searches.ts, one per guided strategy (schedules.ts): over
 * seeds 1..10, with 1,000 runs of 100 steps each, how often each strategy and plain random walks find
 * the bug and how many steps they take to. `node --import tsx bench/planted-searches.ts` prints the JSON.
 */
import { explore } from "../src/checker/explore.ts"
import type { Strategy } from "../src/checker/result.ts"
import type { TransitionSystem } from "../src/checker/transition-system.ts"
import { counter, lock, racers } from "../spec/planted-searches.ts"

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
