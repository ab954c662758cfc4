/**
 * Robustness, not speed: every simulated named test of every model, run with several seeds, must give
 * the verdict it expects. `npm run sweep [-- SEED... | FROM-TO] [MODEL | MODEL/TEST ...]` prints one
 * JSON object (default seeds 2 to 13). Named models or tests run whatever their strategy: a staged
 * search from seeded first stages, a swarm hunt or a lab of several runs depends on the seed too.
 */
import { runModel } from "../src/checker/run-model.ts"
import { loadModels } from "../src/registry/index.ts"

const args = process.argv.slice(2)
const seeds: number[] = []
const wanted: string[] = []
for (const a of args) {
  const range = /^(\d+)-(\d+)$/.exec(a)
  if (/^\d+$/.test(a)) seeds.push(Number(a))
  else if (range && Number(range[1]) <= Number(range[2])) for (let s = Number(range[1]); s <= Number(range[2]); s++) seeds.push(s)
  else if (/^[\w-]+(\/[\w-]+)?$/.test(a)) wanted.push(a)
  else {
    console.error(`sweep: seeds are whole numbers or FROM-TO, tests MODEL or MODEL/TEST, got "${a}"`)
    process.exit(2)
  }
}
if (seeds.length === 0) seeds.push(...Array.from({ length: 12 }, (_, i) => i + 2))
const models = await loadModels()
for (const w of wanted) {
  const [m, t] = w.split("/")
  const model = models.find((x) => x.name === m)
  if (!model || (t !== undefined && !Object.hasOwn(model.tests, t))) {
    console.error(`sweep: no ${t === undefined ? "model" : "test"} ${w}`)
    process.exit(2)
  }
}
const selected = (model: string, name: string) => wanted.includes(model) || wanted.includes(`${model}/${name}`)
const tests: Array<{ test: string; seconds: number; unexpected: string[] }> = []
for (const model of models)
  for (const [name, t] of Object.entries(model.tests)) {
    // By default the simulations: one seeded run each (exhaustive searches do not depend on the seed).
    if (wanted.length ? !selected(model.name, name) : t.options?.strategy !== "random" || t.options.samples !== 1) continue
    const start = performance.now()
    const unexpected: string[] = []
    for (const seed of seeds) {
      const { result } = runModel(model, { test: name, options: { seed } })
      const passed = t.expect ? result.verdict === t.expect : result.verdict !== "violation" && result.verdict !== "goal-not-found" // as tla-ts test judges
      if (!passed) unexpected.push(`seed ${seed}: ${result.verdict} ${result.property ?? ""}`.trim())
    }
    tests.push({ test: `${model.name}/${name}`, seconds: Number(((performance.now() - start) / 1000).toFixed(1)), unexpected })
    process.stderr.write(`${model.name}/${name}: ${unexpected.length ? unexpected.join("; ") : "as expected"}\n`)
  }
const failing = tests.filter((t) => t.unexpected.length > 0)
console.log(JSON.stringify({ seeds, tests: tests.length, asExpected: tests.length - failing.length, failing }, null, 1))
process.exitCode = failing.length ? 1 : 0
