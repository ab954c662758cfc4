/** `tla-ts prove [protocol...] [--out FILE] [--json]`: discharge proof obligations, write a JSON report. */
import { writeFileSync } from "node:fs"
import { PROOFS } from "../../proofs/index.ts"
import { runModel } from "../checker/run-model.ts"
import { loadModel } from "../registry/index.ts"
import { checkWritable } from "./output.ts"
import { parse, UsageError } from "./usage.ts"

export const runProve = async (args: string[]): Promise<number> => {
  const { values, positionals } = parse({ args, allowPositionals: true, options: { out: { type: "string" }, json: { type: "boolean" } } })
  for (const p of positionals) if (!(p in PROOFS)) throw new UsageError(`no proofs for "${p}" (proofs exist for: ${Object.keys(PROOFS).join(", ")})`)
  const out = values.out ?? "proof-report.json"
  checkWritable("--out", out)
  const chosen = positionals.length ? positionals : Object.keys(PROOFS)
  const started = performance.now()
  const report = []
  for (const protocol of chosen)
    for (const ob of PROOFS[protocol]!) {
      const run = runModel(await loadModel(ob.model), { test: ob.test, ...(ob.params ? { params: ob.params } : {}), options: { seed: 1, ...ob.options } })
      const r = run.result
      const entry = {
        protocol,
        obligation: ob.name,
        model: ob.model,
        test: ob.test,
        params: run.params,
        strategy: r.strategy,
        seed: run.seed,
        expected: ob.expect,
        result: r.verdict,
        discharged: r.verdict === ob.expect,
        ...(r.property ? { property: r.property } : {}),
        ...(r.detail && r.verdict !== ob.expect ? { detail: r.detail } : {}),
        states: r.distinct,
        generated: r.generated,
        depth: r.depth,
        complete: r.complete,
        seconds: Number(r.seconds.toFixed(3)),
      }
      report.push(entry)
      if (!values.json)
        console.log(`${entry.discharged ? "ok  " : "FAIL"} ${protocol}: ${ob.name} — ${r.verdict}, ${r.distinct} states, depth ${r.depth}, ${r.seconds.toFixed(2)} s`)
    }
  const failed = report.filter((e) => !e.discharged).length
  const doc = { tool: "tla-ts prove", obligations: report.length, discharged: report.length - failed, failed, seconds: Number(((performance.now() - started) / 1000).toFixed(3)), report }
  writeFileSync(out, JSON.stringify(doc, null, 1) + "\n")
  if (values.json) console.log(JSON.stringify({ ...doc, report: undefined, out }))
  else console.log(`${doc.discharged}/${doc.obligations} obligations discharged; report written to ${out}`)
  return failed === 0 ? 0 : 1
}
