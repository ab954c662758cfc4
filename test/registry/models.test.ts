/**
 * Registry-wide: every named test gives its expected verdict through the code path of `tla-ts check`
 * and `tla-ts test` (registry, prepare, strategy). npm test runs the fast models; `npm run test:models`
 * (called by .ci/run) runs every model's every test.
 */
import test from "ava"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { builtinCatalog } from "../../src/registry/catalog.ts"
import { MODEL_NAMES } from "../../src/registry/index.ts"
import { runCli } from "../cli/run-cli.ts"

const FAST = ["twophase", "tcommit", "pingpong", "clientserver"]
const models = process.env.TLA_TS_ALL_MODELS === "1" ? MODEL_NAMES : FAST

// One model at a time (each run uses both cores for a while), so that no single test outlasts ava's timeout.
for (const model of models)
  test.serial(`every named test of ${model} gives its expected verdict`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "tla-ts-models-"))
    const r = await runCli(["test", model, "--seed", "1", "--json"], dir, 1_800_000)
    const outcomes = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { model: string; test: string; passed: boolean; verdict: string; expected?: string; error?: string })
    const info = (await builtinCatalog()).find((m) => m.name === model)!
    t.deepEqual(outcomes.map((o) => o.test), Object.keys(info.tests), "one outcome per named test")
    t.deepEqual(outcomes.filter((o) => !o.passed).map((o) => `${o.model}/${o.test}: ${o.verdict}, expected ${o.expected} ${o.error ?? ""}`), [])
    t.is(r.code, 0, r.stderr)
  })

test("the catalog the build writes lists every built-in model", async (t) => {
  t.deepEqual((await builtinCatalog()).map((m) => m.name), [...MODEL_NAMES])
})
