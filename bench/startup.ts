/**
 * Start-up of the built CLI beside an empty `node` start (issue 13's target: within 2x). Each command
 * runs `runs` times in turn with the others (so load on the machine hits all alike); medians in ms.
 * Needs the build (npm run build, which npm ci runs). `npm run bench startup`.
 */
import { execFileSync } from "node:child_process"
import { existsSync } from "node:fs"
import { loadavg } from "node:os"
import { fileURLToPath } from "node:url"

const BIN = fileURLToPath(new URL("../bin/tla-ts.js", import.meta.url))
const BUILT = fileURLToPath(new URL("../dist/src/cli/main.js", import.meta.url))

const COMMANDS: Record<string, ReadonlyArray<string>> = {
  "node -e ''": ["-e", ""],
  "tla-ts list": [BIN, "list"],
  "tla-ts check twophase --param rm=3": [BIN, "check", "twophase", "--param", "rm=3"],
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

export const benchStartup = async (runs = 15) => {
  if (!existsSync(BUILT)) throw new Error("startup bench needs the build: npm run build")
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(COMMANDS).map((k) => [k, []]))
  for (let i = 0; i < runs; i++)
    for (const [name, args] of Object.entries(COMMANDS)) {
      const start = performance.now()
      execFileSync(process.execPath, args, { stdio: "ignore" })
      times[name]!.push(performance.now() - start)
    }
  const base = median(times["node -e ''"]!)
  const medians = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round(median(v))]))
  const ratios = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Number((median(v) / base).toFixed(2))]))
  return { runs, loadAverage: loadavg()[0], medianMs: medians, ratioToEmptyNode: ratios, target: "ratio <= 2" }
}
