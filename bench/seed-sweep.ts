/**
 * Robustness, not speed: every simulated named test of every model, run with several seeds, must give
 * the verdict it expects. `npm run sweep [-- SEED...]` prints one JSON object (default seeds 2 to 13).
 */
import { runModel } from "../src/checker/run-model.ts"
import { loadModels } from "../src/registry/index.ts"

const args = process.argv.slice(2)
for (const a of args) if (!/^\d+$/.test(a)) {
  console.error(`sweep: seeds are whole numbers, got "${a}"`)
  process.exit(2)
}
const seeds = args.length ? args.map(Number) : Array.from({ length: 12 }, (_, i) => i + 2)
const tests: Array<{ test: string; seconds: number; unexpected: string[] }> = []
for (const model of await loadModels())
  for (const [name, t] of Object.entries(model.tests)) {
    // Simulations: one seeded run each (exhaustive searches do not depend on the seed).
    if (t.options?.strategy !== "random" || t.options.samples !== 1) continue
    const start = performance.now()
    const unexpected: string[] = []
    for (const seed of seeds) {
      const { result } = runModel(model, { test: name, options: { seed } })
      if (result.verdict !== t.expect) unexpected.push(`seed ${seed}: ${result.verdict} ${result.property ?? ""}`.trim())
    }
    tests.push({ test: `${model.name}/${name}`, seconds: Number(((performance.now() - start) / 1000).toFixed(1)), unexpected })
    process.stderr.write(`${model.name}/${name}: ${unexpected.length ? unexpected.join("; ") : "as expected"}\n`)
  }
const failing = tests.filter((t) => t.unexpected.length > 0)
console.log(JSON.stringify({ seeds, tests: tests.length, asExpected: tests.length - failing.length, failing }, null, 1))
process.exitCode = failing.length ? 1 : 0
