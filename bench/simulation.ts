/**
 * Random simulation throughput on TwoPhase: steps per second of `simulate` (explore.ts), each step
 * generating the successors, drawing one, checking TCConsistent and recording the fingerprint.
 * Target: at least 1,000,000 steps/s. `node --import tsx bench/simulation.ts` prints the JSON.
 */
import { fileURLToPath } from "node:url"
import { simulate } from "../src/checker/explore.ts"
import { twoPhase } from "../spec/twophase.ts"

const TARGET = 1_000_000

const measure = (rm: number, samples: number, maxDepth: number) => {
  const system = twoPhase({ rm })
  simulate(system, { samples: 200, maxDepth, seed: 1 }) // warm up the JIT
  const r = simulate(system, { samples, maxDepth, seed: 7 })
  const stepsPerSecond = Math.round(r.generated / r.seconds)
  return { rm, samples, maxDepth, steps: r.generated, distinct: r.distinct, seconds: Number(r.seconds.toFixed(3)), stepsPerSecond, meetsTarget: stepsPerSecond >= TARGET }
}

export async function benchSimulation(): Promise<object> {
  return { targetStepsPerSecond: TARGET, runs: [measure(3, 50_000, 100), measure(9, 50_000, 100)] }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(await benchSimulation(), null, 1))
