/**
 * The package as a user gets it: `npm pack`, installed into an empty project, used there with plain
 * node (no tsx for built-in models or .js model files), a .ts model file, and the type declarations
 * checked by tsc. Slow (an npm install): runs under `npm run test:package` (and .ci/run), skipped in npm test.
 */
import test from "ava"
import { execFileSync } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const ROOT = fileURLToPath(new URL("../../", import.meta.url))
const enabled = process.env.TLA_TS_PACK_TEST === "1"
const maybe = enabled ? test.serial : test.skip

const MODEL_JS = `import { defineModel, fingerprintValue, invariant } from "tla-ts"

const counter = (max, bug) => ({
  name: "counter",
  initial: () => [0],
  successors: (n, emit) => { if (n < max || bug) emit("inc", n + 1) },
  fingerprint: (s, out) => void fingerprintValue(s, out),
  formatLabel: (l) => l,
  view: (n) => ({ n }),
  properties: [invariant("AT_MOST_MAX", (n) => n <= max)],
})

export default defineModel({
  name: "counter",
  params: { max: { default: 3, min: 1, max: 100 } },
  build: ({ max }) => counter(max, false),
  tests: {
    fine: { expect: "ok" },
    "bug-overflow": { build: ({ max }) => counter(max, true), options: { maxDepth: 10 }, expect: "violation" },
  },
})
`

const MODEL_TS = `import { defineModel, fingerprintValue, invariant, type TransitionSystem } from "tla-ts"

const counter = (max: number): TransitionSystem<number, string> => ({
  name: "counter",
  initial: () => [0],
  successors: (n, emit) => { if (n < max) emit("inc", n + 1) },
  fingerprint: (s, out) => void fingerprintValue(s, out),
  formatLabel: (l) => l,
  view: (n) => ({ n }),
  properties: [invariant("AT_MOST_MAX", (n) => n <= max)],
})

export default defineModel({
  name: "typed-counter",
  params: { max: { default: 3, min: 1, max: 100 } },
  build: ({ max }) => counter(max),
  tests: { fine: { expect: "ok" } },
})
`

maybe("npm pack installs in an empty project and works there with plain node", async (t) => {
  const work = mkdtempSync(join(tmpdir(), "tla-ts-pack-"))
  const sh = (cmd: string, args: string[], cwd = work) => execFileSync(cmd, args, { cwd, encoding: "utf8", timeout: 300_000, stdio: ["ignore", "pipe", "pipe"] })
  const tarball = sh("npm", ["pack", "--silent", "--pack-destination", work], ROOT).trim().split("\n").at(-1)!
  const project = join(work, "project")
  execFileSync("mkdir", [project])
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "user-project", private: true, type: "module" }))
  sh("npm", ["install", "--no-audit", "--no-fund", join(work, tarball)], project)
  const tla = (...args: string[]) => sh(process.execPath, [join(project, "node_modules/tla-ts/bin/tla-ts.js"), ...args], project)

  t.regex(tla("list"), /^twophase — /m)
  t.like(JSON.parse(tla("check", "twophase", "--param", "rm=3", "--json").trim()), { result: "ok", distinct: 288 })
  // The shipped package carries no TypeScript sources: the CLI runs from its JavaScript.
  t.throws(() => sh("ls", [join(project, "node_modules/tla-ts/src")]))

  writeFileSync(join(project, "model.js"), MODEL_JS)
  t.regex(tla("test", "./model.js"), /2 passed, 0 failed/)
  writeFileSync(join(project, "model.ts"), MODEL_TS)
  t.like(JSON.parse(tla("check", "./model.ts", "--json").trim()), { result: "ok", distinct: 4 })

  // Subpath exports load in plain node, and the declarations type-check a user's TypeScript.
  t.is(sh(process.execPath, ["--input-type=module", "-e", "const c = await import('tla-ts/checker'); const s = await import('tla-ts/spec'); console.log(typeof c.bfs, typeof s.twoPhase)"], project).trim(), "function function")
  writeFileSync(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", strict: true, noEmit: true, allowImportingTsExtensions: true, skipLibCheck: false, types: [] }, files: ["model.ts"] }))
  sh(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], project)
  t.pass()
})
