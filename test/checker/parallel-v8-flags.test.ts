/** The V8 flags of worker runs (parallel-v8-flags.ts): only for two or more searching threads, accepted by node, and a parallel search under them finds what bfs finds. */
import test from "ava"
import { execFileSync } from "node:child_process"
import { parallelV8Flags } from "../../src/checker/parallel-v8-flags.ts"
import { v8Flags } from "../../src/checker/v8-flags.ts"

const FLAGS = parallelV8Flags(2, {})

test("worker runs only, and none under TLA_TS_V8_FLAGS=off", (t) => {
  t.true(FLAGS.length > 0)
  t.deepEqual(parallelV8Flags(1, {}), [])
  t.deepEqual(parallelV8Flags(4, {}), FLAGS)
  t.deepEqual(parallelV8Flags(2, { TLA_TS_V8_FLAGS: "off" }), [])
})

test("node takes them beside the search flags, and a two-worker search under them counts what bfs counts", (t) => {
  const script = `
    import { parallelBfs } from "./src/checker/parallel-bfs.ts"
    import { bfs } from "./src/checker/explore.ts"
    import { buildSystem } from "./src/checker/parallel-protocol.ts"
    import { REGISTRY_URL } from "./src/registry/index.ts"
    const ref = { loader: REGISTRY_URL, model: "raft", test: "exhaustive-election", params: { maxTerm: "2" } }
    const two = await parallelBfs(ref, { workers: 2, maxDepth: 7, startTogether: true })
    const one = bfs(await buildSystem(ref), { maxDepth: 7 })
    console.log(JSON.stringify([two.distinct, two.generated, one.distinct, one.generated, two.generatedByThread.every((g) => g > 0)]))`
  const out = execFileSync(process.execPath, [...v8Flags({}), ...FLAGS, "--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", cwd: new URL("../..", import.meta.url), timeout: 120_000 })
  const [twoDistinct, twoGenerated, oneDistinct, oneGenerated, bothSearched] = JSON.parse(out.trim().split("\n").at(-1)!) as [number, number, number, number, boolean]
  t.true(oneDistinct > 10_000)
  t.is(twoDistinct, oneDistinct)
  t.is(twoGenerated, oneGenerated)
  t.true(bothSearched)
})
