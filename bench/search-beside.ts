/**
 * `node --max-semi-space-size=64 [--no-parallel-scavenge] --import tsx bench/search-beside.ts bfs|par1 [none|spin|dup]`
 *
 * One searching thread on Raft exhaustive-election maxTerm=2 to depth 12 (parallel-protocol.ts's
 * search; the build's code, dist/), and this thread's CPU seconds (/proc/thread-self), with beside it in
 * the same process: nothing (`none`), a worker thread of pure register arithmetic that touches no
 * memory (`spin`: the process has two hot threads, as a 2-worker run has), or a worker thread running
 * its own whole bfs of the same search on its own heap (`dup`: two heaps doing the same work, nothing
 * shared). `par1`: parallelBfs on this thread alone instead of bfs. What a second thread costs the
 * first when it shares no work, against what a 2-worker run's threads spend (bench/parallel-speed20.json,
 * `speed20b`). Alternate the variants in one run: CPU figures on a loaded machine vary by 30% run to run.
 */
import { readFileSync } from "node:fs"
import { Worker } from "node:worker_threads"

const D = new URL("../dist/src/", import.meta.url).href
const { bfs } = (await import(D + "checker/explore.js")) as typeof import("../src/checker/explore.ts")
const { parallelBfs } = (await import(D + "checker/parallel-bfs.js")) as typeof import("../src/checker/parallel-bfs.ts")
const { buildSystem } = (await import(D + "checker/parallel-protocol.js")) as typeof import("../src/checker/parallel-protocol.ts")
const { REGISTRY_URL } = (await import(D + "registry/index.js")) as typeof import("../src/registry/index.ts")

const REF = { loader: REGISTRY_URL, model: "raft", test: "exhaustive-election", params: { maxTerm: "2" } }
const stat = (): string[] => readFileSync("/proc/thread-self/stat", "utf8").split(") ")[1]!.split(" ")
/** This thread's user + system CPU seconds (clock ticks of 10 ms). */
const cpu = (): number => (Number(stat()[11]) + Number(stat()[12])) / 100
const [mode = "bfs", beside = "none"] = process.argv.slice(2)

const dupCode = `const D = ${JSON.stringify(D)}; const { bfs } = await import(D + "checker/explore.js"); const { buildSystem } = await import(D + "checker/parallel-protocol.js"); const { REGISTRY_URL } = await import(D + "registry/index.js"); const s = await buildSystem({ loader: REGISTRY_URL, model: "raft", test: "exhaustive-election", params: { maxTerm: "2" } }); for (;;) bfs(s, { maxDepth: 12 })`
const second =
  beside === "spin"
    ? new Worker("let x = 1; for (;;) x = (Math.imul(x, 1103515245) + 12345) | 0", { eval: true })
    : beside === "dup"
      ? new Worker(dupCode, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 192 } })
      : undefined
// The duplicate search loads its model first, so that both search at once.
if (beside === "dup") await new Promise((r) => setTimeout(r, 1500))

const system = await buildSystem(REF)
const c0 = cpu()
const t0 = performance.now()
const r = mode === "bfs" ? bfs(system, { maxDepth: 12 }) : await parallelBfs(REF, { workers: 1, maxDepth: 12 })
const threadCpu = cpu() - c0
const wall = (performance.now() - t0) / 1000
await second?.terminate()
console.log(JSON.stringify({ mode, beside, distinct: r.distinct, threadCpuSeconds: Number(threadCpu.toFixed(2)), wallSeconds: Number(wall.toFixed(2)) }))
