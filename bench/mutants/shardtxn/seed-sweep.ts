/**
 * The sharded store's catches under several seeds, in process (seeds-shard, session 11): a catalogue
 * mutant under one named test, or every planted-bug named test ("bug-" in its name), each seed in turn.
 * A copy of the sources (of this checkout, or `--from DIR`) gets the mutant; the model is imported from
 * the copy. One JSON line per seed: the verdict, the expected one (a mutant is caught when they differ,
 * a planted bug when they agree), the property, the trace length and the seconds.
 *
 *   node --import tsx bench/mutants/shardtxn/seed-sweep.ts shardtxn|shardkv|shardmaster MUTANT TEST --seeds 1,2,3,5,8 [--from DIR]
 *   node --import tsx bench/mutants/shardtxn/seed-sweep.ts shardtxn|shardkv|shardmaster --bugs --seeds 1,2,3,4,5,6,7,8 [--from DIR]
 *
 * (run-raft.ts runs a whole catalogue against every named test under one seed; this runs one pair, or
 * the planted bugs, under many.)
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { applyEdits, type FileMutant, type Mutant } from "../mutant.ts"
import { SHARDKV_MUTANTS } from "../shardkv/catalogue.ts"
import { SHARDMASTER_MUTANTS } from "../shardmaster/catalogue.ts"
import { SHARDTXN_MUTANTS } from "./catalogue.ts"

const ROOT = new URL("../../../", import.meta.url).pathname
const args = process.argv.slice(2)
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined)
const positional = args.filter((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"))
const [protocol, mutantName, testName] = positional
const seeds = (flag("--seeds") ?? "1,2,3,5,8").split(",").map(Number)
const models: Record<string, { file: string; name: string; mutants: ReadonlyArray<FileMutant | Mutant> }> = {
  shardtxn: { file: "src/protocols/shardtxn/model.ts", name: "shardTxnModel", mutants: SHARDTXN_MUTANTS },
  shardkv: { file: "src/protocols/shardkv/model.ts", name: "shardKvModel", mutants: SHARDKV_MUTANTS },
  shardmaster: { file: "src/protocols/shardmaster/model.ts", name: "shardMasterModel", mutants: SHARDMASTER_MUTANTS },
}
const spec = models[protocol ?? ""]
if (!spec || (!args.includes("--bugs") && (!mutantName || !testName))) {
  console.error("usage: seed-sweep.ts shardtxn|shardkv|shardmaster (MUTANT TEST | --bugs) [--seeds 1,2,3] [--from DIR]")
  process.exit(2)
}

const from = flag("--from") ?? ROOT
const dir = mkdtempSync(join(tmpdir(), "tla-seed-sweep-"))
try {
  for (const d of ["src", "spec"]) cpSync(join(from, d), join(dir, d), { recursive: true })
  cpSync(join(from, "package.json"), join(dir, "package.json"))
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"))
  if (!args.includes("--bugs") && mutantName !== "-") {
    const m = spec.mutants.find((x) => x.name === mutantName)
    if (!m) throw new Error(`no mutant ${mutantName} in the ${protocol} catalogue`)
    for (const [file, text] of applyEdits("edits" in m ? m.edits : [m], (f) => readFileSync(join(dir, f), "utf8"))) writeFileSync(join(dir, file), text)
  }
  const { runModel } = (await import(join(dir, "src/checker/run-model.ts"))) as typeof import("../../../src/checker/run-model.ts")
  const model = ((await import(join(dir, spec.file))) as Record<string, import("../../../src/checker/model.ts").Model>)[spec.name]!
  const tests = args.includes("--bugs") ? Object.keys(model.tests).filter((n) => n.includes("bug-")) : [testName!]
  for (const test of tests)
    for (const seed of seeds) {
      const t0 = performance.now()
      let line: Record<string, unknown>
      try {
        const run = runModel(model, { test, options: { seed } })
        const r = run.result
        line = { verdict: r.verdict, expect: run.expect, asExpected: r.verdict === run.expect, ...(r.property ? { property: r.property } : {}), ...(r.path ? { trace: r.path.steps.length } : {}) }
      } catch (e) {
        line = { verdict: "error", asExpected: false, detail: String(e instanceof Error ? e.message : e).slice(0, 160) }
      }
      console.log(JSON.stringify({ protocol, mutant: args.includes("--bugs") ? null : mutantName, test, seed, ...line, seconds: Number(((performance.now() - t0) / 1000).toFixed(1)) }))
    }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
