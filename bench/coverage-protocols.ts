/**
 * Which shipped protocol code the named tests execute: each model's named tests (`tla-ts test MODEL`) run
 * from the sources under V8's coverage (NODE_V8_COVERAGE, mapped back to the .ts lines through tsx's
 * source maps by c8), then the per-file line and branch figures and the lines no named test reaches.
 * A seeded bug (issue #14's catalogue mutates protocol code) on a line no named test executes can never
 * be caught, so the uncovered lines of the server/handler files are where to add searches.
 *
 * `node --import tsx bench/coverage-protocols.ts [--out FILE] [--dir DIR] [MODEL...]` prints a table and
 * writes the JSON (default bench/coverage-protocols.json); with no models it runs every registered model.
 * c8 is a devDependency for the mapping and the report; the run itself is plain node with tsx.
 */
import { spawnSync } from "node:child_process"
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"

const argv = process.argv.slice(2)
const flag = (name: string, fallback: string): string => {
  const i = argv.indexOf(name)
  if (i < 0) return fallback
  const v = argv[i + 1]
  if (v === undefined) throw new Error(`${name} needs a value`)
  argv.splice(i, 2)
  return v
}
const out = flag("--out", "bench/coverage-protocols.json")
const dir = flag("--dir", "tmp/coverage-protocols")
const root = process.cwd()

/** The files measured: every protocol and the core components the protocols embed. */
const INCLUDE = [
  "src/protocols/**",
  "src/core/exactly-once.ts",
  "src/core/replicated-service.ts",
  "src/core/read-index.ts",
  "src/core/kv.ts",
]

/** Runs the CLI's `main` from the sources (tsx), so that coverage maps to .ts lines. */
const ENTRY = `const { main } = await import(${JSON.stringify(new URL("../src/cli/main.ts", import.meta.url).href)}); process.exitCode = await main(process.argv.slice(1))`

const models = (): string[] => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", ENTRY, "list"], { encoding: "utf8" })
  return r.stdout.split("\n").filter((l) => /^\S+ — /.test(l)).map((l) => l.split(" ")[0]!)
}

const raw = join(dir, "raw")
rmSync(dir, { recursive: true, force: true })
mkdirSync(raw, { recursive: true })
const chosen = argv.length > 0 ? argv : models()
const runs: Array<{ model: string; status: number | null; summary: string; failed: string[] }> = []
for (const model of chosen) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", ENTRY, "test", model], {
    encoding: "utf8",
    env: { ...process.env, NODE_V8_COVERAGE: raw, TLA_TS_V8_FLAGS: "off" },
    maxBuffer: 1 << 28,
  })
  const summary = r.stdout.trim().split("\n").at(-1) ?? ""
  runs.push({ model, status: r.status, summary, failed: r.stdout.split("\n").filter((l) => l.startsWith("FAIL")) })
  console.error(`${model}: ${summary}`)
}

const report = spawnSync(
  "npx",
  ["c8", "report", "--temp-directory", raw, "--report-dir", join(dir, "report"), "--reporter", "json", "--all", ...INCLUDE.flatMap((g) => ["--include", g])],
  { encoding: "utf8", stdio: ["ignore", "inherit", "inherit"] },
)
if (report.status !== 0) throw new Error("c8 report failed")

type Loc = { start: { line: number }; end: { line: number } }
type FileCov = {
  statementMap: Record<string, Loc>
  s: Record<string, number>
  branchMap: Record<string, { locations: Loc[]; loc: Loc }>
  b: Record<string, number[]>
}
const final = JSON.parse(readFileSync(join(dir, "report", "coverage-final.json"), "utf8")) as Record<string, FileCov>

/** Runs of consecutive line numbers as "a-b" ranges. */
const ranges = (lines: number[]): string[] => {
  const out: string[] = []
  for (let i = 0; i < lines.length; ) {
    let j = i
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++
    out.push(i === j ? `${lines[i]}` : `${lines[i]}-${lines[j]}`)
    i = j + 1
  }
  return out
}

const files = Object.entries(final)
  .map(([path, c]) => {
    const lines = new Map<number, boolean>()
    for (const [id, loc] of Object.entries(c.statementMap)) {
      const hit = (c.s[id] ?? 0) > 0
      for (let l = loc.start.line; l <= loc.end.line; l++) lines.set(l, (lines.get(l) ?? false) || hit)
    }
    const uncovered = [...lines].filter(([, hit]) => !hit).map(([l]) => l).sort((a, b) => a - b)
    const branches = Object.entries(c.b).flatMap(([id, counts]) => counts.map((n, k) => ({ n, line: c.branchMap[id]!.locations[k]?.start.line ?? c.branchMap[id]!.loc.start.line })))
    const branchMissed = [...new Set(branches.filter((b) => b.n === 0).map((b) => b.line))].sort((a, b) => a - b)
    const pct = (hit: number, all: number) => (all === 0 ? 100 : Math.round((1000 * hit) / all) / 10)
    return {
      file: relative(root, path),
      lines: lines.size,
      linesPct: pct(lines.size - uncovered.length, lines.size),
      branches: branches.length,
      branchesPct: pct(branches.filter((b) => b.n > 0).length, branches.length),
      uncoveredLines: ranges(uncovered),
      uncoveredBranchLines: ranges(branchMissed),
    }
  })
  .sort((a, b) => a.file.localeCompare(b.file))

const result = {
  command: `node --import tsx bench/coverage-protocols.ts${argv.length > 0 ? " " + argv.join(" ") : ""}`,
  measured: new Date().toISOString(),
  note: "named tests only (tla-ts test MODEL, every model listed in runs), V8 coverage mapped to .ts by c8; lines = lines holding a statement",
  runs,
  files,
}
writeFileSync(out, JSON.stringify(result, null, 2) + "\n")
for (const f of files) console.log(`${String(f.linesPct).padStart(5)}% lines ${String(f.branchesPct).padStart(5)}% branches  ${f.file}`)
