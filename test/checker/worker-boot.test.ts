import test from "ava"
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { workerBoot } from "../../src/checker/worker-boot.ts"
import { REGISTRY_URL } from "../../src/registry/index.ts"

const caller = new URL("../../src/checker/parallel-bfs.ts", import.meta.url).href

test("a worker whose imports are not known keeps tsx", (t) => {
  const boot = workerBoot(caller, "parallel-worker")
  t.regex(boot.code, /tsx/)
  t.regex(boot.code, /src\/checker\/parallel-worker\.ts/)
  t.is(boot.moduleFor(REGISTRY_URL), REGISTRY_URL)
})

test("a worker that imports a source outside the package keeps tsx, and the module its own URL", (t) => {
  const outside = "file:///tmp/some-model-loader.ts"
  const boot = workerBoot(caller, "parallel-worker", [REGISTRY_URL, outside])
  t.regex(boot.code, /tsx/)
  t.is(boot.moduleFor(outside), outside)
})

test("a worker that runs the build imports built twins only: its entry and the model loader", (t) => {
  const boot = workerBoot(caller, "parallel-worker", [REGISTRY_URL])
  if (/tsx/.test(boot.code)) return t.pass("the build is stale or absent here: the worker keeps tsx")
  const entry = /import\("([^"]+)"\)/.exec(boot.code)![1]!
  t.regex(entry, /\/dist\/src\/checker\/parallel-worker\.js$/)
  t.true(existsSync(fileURLToPath(entry)))
  const loader = boot.moduleFor(REGISTRY_URL)
  t.regex(loader, /\/dist\/src\/registry\/index\.js$/)
  t.true(existsSync(fileURLToPath(loader)))
})

test("a caller from the build boots its sibling directly", (t) => {
  const boot = workerBoot("file:///pkg/dist/src/checker/parallel-bfs.js", "parallel-worker", [])
  t.is(boot.code, 'import("file:///pkg/dist/src/checker/parallel-worker.js")')
})
