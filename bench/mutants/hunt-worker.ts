/**
 * Runs named tests of one protocol in the tree this file sits in (a mutated copy, see run-raft.ts) and
 * prints one JSON line per test: `{"start": name}` before it, then its verdict, the verdict it expects,
 * the trace length and the seconds it took. Arguments: model name, seed, comma-separated test names
 * (a name "model:test" runs a test of another model: the sharded store's catalogue also runs the shard
 * master's tests), and "first" to stop at the first test whose verdict is not the expected one and that
 * has a trace (a catch without one, such as a staged search that cannot reach its stage, goes on to look for one).
 */
import { runModel } from "../../src/checker/run-model.ts"
import type { Model } from "../../src/checker/model.ts"

const [modelName, seedText, testList, mode] = process.argv.slice(2)
const models: Record<string, () => Promise<Model>> = {
  raft: async () => (await import("../../src/protocols/raft/model.ts")).raftModel,
  primarybackup: async () => (await import("../../src/protocols/primarybackup/model.ts")).primaryBackupModel,
  shardkv: async () => (await import("../../src/protocols/shardkv/model.ts")).shardKvModel,
  shardmaster: async () => (await import("../../src/protocols/shardmaster/model.ts")).shardMasterModel,
  shardtxn: async () => (await import("../../src/protocols/shardtxn/model.ts")).shardTxnModel,
  clientserver: async () => (await import("../../src/protocols/clientserver/model.ts")).clientServerModel,
  pingpong: async () => (await import("../../src/protocols/pingpong/model.ts")).pingPongModel,
}
const load = models[modelName ?? ""]
if (!load) {
  console.error(`hunt-worker: unknown model "${modelName}" (known: ${Object.keys(models).join(", ")})`)
  process.exit(2)
}
const seed = Number(seedText)
for (const qualified of (testList ?? "").split(",").filter((t) => t !== "")) {
  const [other, test] = qualified.includes(":") ? qualified.split(":") : [undefined, qualified]
  const model = await (other === undefined ? load : models[other]!)()
  console.log(JSON.stringify({ start: qualified }))
  const t0 = performance.now()
  let line: Record<string, unknown>
  try {
    const run = runModel(model, { test: test!, options: { seed } })
    const r = run.result
    line = { test: qualified, verdict: r.verdict, expect: run.expect, ...(r.property ? { property: r.property } : {}), ...(r.path ? { trace: r.path.steps.length } : {}) }
  } catch (e) {
    line = { test: qualified, verdict: "error", expect: model.tests[test!]?.expect, detail: String(e instanceof Error ? e.message : e).slice(0, 200) }
  }
  line.seconds = Number(((performance.now() - t0) / 1000).toFixed(2))
  console.log(JSON.stringify(line))
  if (mode === "first" && line.verdict !== line.expect && line.trace !== undefined) break
}
