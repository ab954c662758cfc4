/**
 * Where `npm test`'s time goes: each ava test file run alone (`npx ava FILE` under /usr/bin/time), its
 * wall seconds, CPU seconds (user + system of ava and every process it waited for) and test count,
 * ranked by CPU. On a shared machine wall time swings with the load; the CPU seconds are the figure.
 *
 * `node --import tsx bench/test-times.ts [--jobs N] [--top N] [--out FILE] [FILE...]` prints the JSON
 * (and writes it to FILE); with no files it times every file that `npm test` runs (package.json's ava.files).
 * Needs a current `npm run build` (the CLI tests run dist/).
 */
import { spawn } from "node:child_process"
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

type Row = { file: string; wall: number; cpu: number; user: number; sys: number; tests: number; ok: boolean }

const argv = process.argv.slice(2)
const flag = (name: string, fallback: string): string => {
  const i = argv.indexOf(name)
  if (i < 0) return fallback
  const v = argv[i + 1]
  argv.splice(i, 2)
  if (v === undefined) throw new Error(`${name} needs a value`)
  return v
}
const jobs = Number(flag("--jobs", "1"))
const top = Number(flag("--top", "30"))
const out = flag("--out", "")

/** An ava glob as a regular expression: `**` any path, `*` within one segment, `{a,b}` either. */
const globRegExp = (glob: string): RegExp =>
  new RegExp(
    "^" +
      glob
        .replace(/[.+^$()|[\]\\]/g, "\\$&")
        .replace(/\*\*\//g, "\u0000")
        .replace(/\*/g, "[^/]*")
        .replace(/\u0000/g, "(?:.*/)?")
        .replace(/\{([^}]*)\}/g, (_m, alts: string) => `(?:${alts.split(",").join("|")})`) +
      "$",
  )

/** The files `npm test` runs: ava.files globs less the negated ones (ava skips fixtures/ and helpers/ itself). */
const testFiles = (): string[] => {
  const globs: string[] = JSON.parse(readFileSync("package.json", "utf8")).ava.files
  const keep = globs.filter((g) => !g.startsWith("!")).map(globRegExp)
  const drop = globs.filter((g) => g.startsWith("!")).map((g) => globRegExp(g.slice(1)))
  const all = (readdirSync("test", { recursive: true }) as string[]).map((f) => `test/${f}`)
  return all
    .filter((f) => !/\/(fixtures|helpers)\//.test(f))
    .filter((f) => keep.some((r) => r.test(f)) && !drop.some((r) => r.test(f)))
    .sort()
}

const timeFile = (file: string, dir: string): Promise<Row> =>
  new Promise((resolve) => {
    const timing = join(dir, `${file.replaceAll("/", "_")}.time`)
    let output = ""
    const child = spawn("/usr/bin/time", ["-o", timing, "-f", "%e %U %S", "npx", "ava", file], { stdio: ["ignore", "pipe", "pipe"] })
    child.stdout.on("data", (d: Buffer) => (output += d.toString()))
    child.stderr.on("data", (d: Buffer) => (output += d.toString()))
    child.on("close", (code) => {
      const [wall, user, sys] = readFileSync(timing, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number) as [number, number, number]
      const counts = [...output.matchAll(/(\d+) tests? (passed|failed|skipped|todo)/g)].map((m) => Number(m[1]))
      const tests = counts.reduce((a, b) => a + b, 0)
      resolve({ file, wall, cpu: Math.round((user + sys) * 100) / 100, user, sys, tests, ok: code === 0 })
    })
  })

const files = argv.length > 0 ? argv : testFiles()
const dir = mkdtempSync(join(tmpdir(), "test-times-"))
const rows: Row[] = []
let next = 0
const worker = async (): Promise<void> => {
  while (next < files.length) {
    const file = files[next++]!
    const row = await timeFile(file, dir)
    rows.push(row)
    process.stderr.write(`${row.cpu.toFixed(1).padStart(7)} cpu ${row.wall.toFixed(1).padStart(7)} wall ${row.ok ? "ok  " : "FAIL"} ${file}\n`)
  }
}
await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker))
rmSync(dir, { recursive: true, force: true })

rows.sort((a, b) => b.cpu - a.cpu)
const sum = (k: "cpu" | "wall" | "tests") => Math.round(rows.reduce((a, r) => a + r[k], 0) * 10) / 10
const result = {
  command: `node --import tsx bench/test-times.ts --jobs ${jobs} --top ${top}${out ? ` --out ${out}` : ""}${argv.length > 0 ? ` ${argv.join(" ")}` : ""}`,
  measured: new Date().toISOString(),
  note: "each file alone under /usr/bin/time; cpu = user + sys seconds of ava and its children; wall depends on the machine's load",
  files: rows.length,
  totals: { cpu: sum("cpu"), wall: sum("wall"), tests: sum("tests") },
  failed: rows.filter((r) => !r.ok).map((r) => r.file),
  top: rows.slice(0, top),
}
const json = JSON.stringify(result, null, 2)
if (out) writeFileSync(out, json + "\n")
console.log(json)
