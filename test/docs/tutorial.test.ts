/**
 * Runs every command of docs/tutorial.md in a fresh directory, in order, and checks each exit code
 * (`# exit N` in the page, else 0). `npx tla-ts` runs this checkout's CLI and `npm install` links this
 * checkout as the project's tla-ts (the package is not fetched from a registry); everything else runs
 * as written; a ```ts block that starts with `// file: PATH` is written to PATH. Also covers
 * `tla-ts init` end to end: the scaffold's `npm test` passes.
 */
import test from "ava"
import { execFileSync, spawnSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { main } from "../../src/cli/main.ts"
import { BIN, runCli } from "../cli/run-cli.ts"

const ROOT = fileURLToPath(new URL("../../", import.meta.url))
const PAGE = readFileSync(join(ROOT, "docs/tutorial.md"), "utf8")

type Step = { readonly line: string; readonly exit: number } | { readonly file: string; readonly content: string }

/**
 * In page order: the shell commands of the ```sh blocks, with the exit code each should give, and the
 * files of the ```ts blocks that start with `// file: PATH` (written there, that line left out).
 */
const commands = (page: string): Step[] =>
  [...page.matchAll(/```(sh|ts)\n([\s\S]*?)```/g)].flatMap((m): Step[] => {
    const body = m[2]!
    if (m[1] === "ts") {
      const file = /^\/\/ file: (\S+)\n/.exec(body)
      return file ? [{ file: file[1]!, content: body.slice(file[0].length) }] : []
    }
    return body
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "" && !l.startsWith("#"))
      .map((l) => {
        const exit = /#\s*exit\s+(\d+)\s*$/.exec(l)
        return { line: l.replace(/\s+#.*$/, ""), exit: exit ? Number(exit[1]) : 0 }
      })
  })

const linkPackage = (project: string) => {
  mkdirSync(join(project, "node_modules/.bin"), { recursive: true })
  symlinkSync(ROOT, join(project, "node_modules/tla-ts"), "dir")
  symlinkSync(BIN, join(project, "node_modules/.bin/tla-ts"))
}

test("every command of the tutorial runs and gives the exit code the page says", (t) => {
  const steps = commands(PAGE)
  t.true(steps.length >= 10, `found ${steps.length} commands`)
  let cwd = mkdtempSync(join(tmpdir(), "tla-ts-tutorial-"))
  const outputs: string[] = []
  for (const step of steps) {
    if ("file" in step) {
      mkdirSync(dirname(join(cwd, step.file)), { recursive: true })
      writeFileSync(join(cwd, step.file), step.content)
      continue
    }
    const { line, exit } = step
    if (line.startsWith("cd ")) {
      cwd = resolve(cwd, line.slice(3).trim())
      continue
    }
    if (line === "npm install") {
      linkPackage(cwd)
      continue
    }
    const r = line.startsWith("npx tla-ts ")
      ? spawnSync(process.execPath, [BIN, ...line.slice("npx tla-ts ".length).split(/\s+/)], { cwd, encoding: "utf8", timeout: 120_000 })
      : spawnSync("sh", ["-c", line], { cwd, encoding: "utf8", timeout: 120_000 })
    t.is(r.status, exit, `${line}\n${r.stdout}\n${r.stderr}`)
    outputs.push(`$ ${line}\n${r.stdout}${r.stderr}`)
  }
  const all = outputs.join("\n")
  // What the page says the reader will see.
  t.regex(all, /2 passed, 0 failed/)
  t.regex(all, /VIOLATION of MUTUAL_EXCLUSION: clients c1 and c2 are both in their critical section/)
  t.regex(all, /reproduced: the trace gives the recorded result/)
  t.regex(all, /NOT reproduced: trace broken\.trace\.json does not replay/)
  t.true(existsSync(join(cwd, "junit.xml")))
  // Part 6: the lock service on the spec-backed log and on Paxos.
  t.regex(all, /\$ npx tla-ts check \.\/replicated-model\.ts\n[\s\S]*?\n169 distinct states/)
  t.regex(all, /\$ npx tla-ts check \.\/replicated-model\.ts --param log=paxos\n[\s\S]*?\n4,397 distinct states/)
  t.regex(all, /VIOLATION of RESULTS_OK: client1: result 2 is Released\(\), expected NotHolder\(\)/)
  t.regex(all, /4 passed, 0 failed/)
  // The ShiViz log links deliveries to sends: some event of one host knows another host's events.
  const clocks = readFileSync(join(cwd, "bug.shiviz.log"), "utf8").trim().split("\n").filter((_, i) => i % 2 === 1)
  t.true(clocks.length >= 8)
  t.true(clocks.some((l) => Object.keys(JSON.parse(l.slice(l.indexOf(" ") + 1)) as object).length > 1))
})

test("init run from the TypeScript sources finds its template too (paths outside src/ differ in dist/)", async (t) => {
  const dir = join(mkdtempSync(join(tmpdir(), "tla-ts-init-src-")), "demo")
  const log = console.log
  console.log = () => {}
  try {
    t.is(await main(["init", dir]), 0)
  } finally {
    console.log = log
  }
  for (const f of ["model.ts", "src/lock.ts", "package.json", ".gitignore", "README.md"]) t.true(existsSync(join(dir, f)), f)
})

test("init refuses a directory that is not empty, in one line with exit 2", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "tla-ts-init-"))
  execFileSync("touch", [join(dir, "existing")])
  const r = await runCli(["init", dir], tmpdir())
  t.is(r.code, 2)
  t.regex(r.stderr, /exists and is not empty/)
})
