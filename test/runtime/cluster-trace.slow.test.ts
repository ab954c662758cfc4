/**
 * The multi-process cluster records traces: `tla-ts cluster --trace-dir` runs a model configuration's
 * servers as processes, each writing its steps, runs the configuration's clients, and merges the
 * files into one trace that `tla-ts replay` accepts. A node's file changed behind the checker's back
 * is a divergence. In the slow set (`npm run test:slow`, which .ci/run runs): two multi-process runs cost
 * 35 CPU s; `npm test` keeps the in-process conformance runs of both protocols (conformance.test.ts).
 */
import test from "ava"
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { replay } from "./replay.ts"
import { mergeTrace, modelConfig, readRecordedSteps } from "../../src/runtime/conformance.ts"
import { loadModel } from "../../src/registry/index.ts"

const bin = new URL("../../bin/tla-ts.js", import.meta.url).pathname

// Timers 5x slower: node processes that start seconds apart on a busy machine do not time out their first leader.
const traced = (protocol: string, testName: string, basePort: number, params: string[]) => {
  const d = mkdtempSync(join(tmpdir(), "tla-ts-cluster-trace-"))
  const r = spawnSync(process.execPath, [bin, "cluster", "--protocol", protocol, "--data", join(d, "data"), "--base-port", String(basePort), "--trace-dir", join(d, "trace"), "--test", testName, "--time-unit", "5", ...params.flatMap((p) => ["--param", p])], {
    encoding: "utf8",
    timeout: 120_000,
  })
  return { dir: join(d, "trace"), status: r.status, out: r.stdout + r.stderr }
}

for (const [protocol, testName, port, params] of [
  ["raft", "exhaustive-replication", 23401, ["maxTerm=4"]],
  ["paxos", "bounded-two-clients", 23501, []],
] as const) {
  test.serial(`${protocol}: a multi-process run of ${testName} merges into one trace replay accepts; a tampered node file is a divergence`, async (t) => {
    const r = traced(protocol, testName, port, [...params])
    t.is(r.status, 0, r.out)
    const m = /trace of (\d+) steps in (\S+?);/.exec(r.out)
    t.truthy(m, r.out)
    const { code, out } = await replay(m![2]!)
    t.is(code, 0)
    t.true(out.reproduced)
    t.is(out.steps, Number(m![1]))
    t.true(out.steps > 5)
    // Planted: one delivery in the second server's file comes from a node the configuration does not have.
    const c = modelConfig(await loadModel(protocol), testName, Object.fromEntries(params.map((p) => p.split("="))), 1)
    const second = c.servers[1]!.address
    const file = join(r.dir, `${second}.jsonl`)
    const lines = readFileSync(file, "utf8").trim().split("\n")
    const k = lines.findIndex((l) => JSON.parse(l).kind === "message")
    t.true(k >= 0)
    const rec = JSON.parse(lines[k]!)
    lines[k] = JSON.stringify({ ...rec, from: `server9/${rec.from}` })
    writeFileSync(file, lines.join("\n") + "\n")
    const steps = new Map(c.servers.map((s) => [s.i, readRecordedSteps(join(r.dir, `${s.address}.jsonl`))] as const))
    t.regex(mergeTrace(c, steps).divergence ?? "", new RegExp(`no node's next real step is one the checker offers: .*-> ${second}`))
  })
}
