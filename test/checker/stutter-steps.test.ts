/**
 * BFS and the parallel search leave out steps that leave the world as it was (compile.ts), but a step
 * property can be violated exactly by such a step: they still check every step property on it, and
 * find what DFS (which asks for every step) finds, with a trace that replays to the violation.
 */
import test from "ava"
import { fileURLToPath } from "node:url"
import { explore } from "../../src/checker/explore.ts"
import { parallelBfs, type ModelRef } from "../../src/checker/parallel-bfs.ts"
import { buildSystem } from "../../src/checker/parallel-protocol.ts"
import { REGISTRY_URL } from "../../src/registry/index.ts"
import { labelsOf, replayHit } from "../helpers.ts"

const ref = (name: string): ModelRef => ({ loader: REGISTRY_URL, model: fileURLToPath(new URL("./fixtures/stutter-step.ts", import.meta.url)), params: {}, test: name })

for (const name of ["delivery", "record"])
  test.serial(`a step property only a stutter violates (${name}): bfs, dfs and the parallel search all report it, and the trace replays to it`, async (t) => {
    const system = await buildSystem(ref(name))
    const property = system.stepProperties![0]!.name
    const bfs = explore(system, { strategy: "bfs" })
    const dfs = explore(await buildSystem(ref(name)), { strategy: "dfs", seed: 1 })
    const par = await parallelBfs(ref(name), { workers: 2, startTogether: true })
    for (const [strategy, r] of [["bfs", bfs], ["dfs", dfs], ["parallel", par]] as const) {
      t.is(r.verdict, "violation", strategy)
      t.is(r.property, property, strategy)
    }
    t.is(replayHit(system, bfs)?.property, property, labelsOf(bfs.path).join("\n"))
    t.is(replayHit(system, par)?.property, property, labelsOf(par.path).join("\n"))
    // Shortest: BFS's and the parallel search's traces are equally long.
    t.is(bfs.path!.steps.length, par.path!.steps.length)
  })
