/** The layering rule: the project passes it, and an import going back up fails it. */
import test from "ava"
import { checkLayers, importsOf, projectFiles } from "../../tools/layers.ts"

test("the project's imports follow the layers (with the listed temporary exceptions)", (t) => {
  const { violations, staleExceptions } = checkLayers(projectFiles())
  t.deepEqual(violations, [])
  t.deepEqual(staleExceptions, [])
})

test("an import going back up fails the rule: checker -> registry, static or dynamic; spec -> the DSL", (t) => {
  const planted = new Map([
    ["src/checker/explore.ts", `import { loadModel } from "../registry/index.ts"\n`],
    ["src/checker/walk.ts", `const m = await import("../protocols/paxos/model.ts")\n`],
    ["spec/kv.ts", `export { compile } from "../src/core/compile.ts"\n`],
    ["src/cli/check.ts", `import type { World } from "../core/world.ts"\n`],
  ])
  const { violations } = checkLayers(planted, undefined, [])
  t.deepEqual(
    violations.map((v) => `${v.from} -> ${v.to}`),
    ["src/checker/explore.ts -> src/registry/index.ts", "src/checker/walk.ts -> src/protocols/paxos/model.ts", "spec/kv.ts -> src/core/compile.ts", "src/cli/check.ts -> src/core/world.ts"]
  )
})

test("an exception whose edge is gone is reported, so exceptions do not outlive their reason", (t) => {
  const { staleExceptions } = checkLayers(new Map([["spec/kv.ts", ""]]), undefined, [{ from: "spec/kv.ts", to: "src/linearizability/model.ts", why: "test" }])
  t.deepEqual(staleExceptions, ["spec/kv.ts -> src/linearizability/model.ts"])
})

test("imports are read from every form: import, import type, export from, dynamic import, side-effect import", (t) => {
  const src = `import a from "./a.ts"\nimport type { B } from "../b.ts"\nexport * from "./c.ts"\nconst d = await import("./d.ts")\nimport "./e.ts"\nimport fc from "fast-check"\n`
  t.deepEqual(importsOf("src/x/y.ts", src), ["src/x/a.ts", "src/b.ts", "src/x/c.ts", "src/x/d.ts", "src/x/e.ts"])
})
