/**
 * The V8 flags that searches run under, defined once in `assets/v8-flags.json`: bin/tla-ts.js reads
 * that file and re-runs node with them before anything is loaded, for the commands that search (a
 * young generation's size is fixed when the heap is made: `v8.setFlagsFromString` afterwards leaves
 * the running heap as it is). Here they reach what runs without the CLI: worker threads of a search
 * started from a library or a benchmark (`workerResourceLimits`), and benchmarks' child processes
 * (`v8Flags`), so that they measure what the CLI runs. `TLA_TS_V8_FLAGS=off` leaves V8's defaults,
 * everywhere. A flag given to node explicitly wins over these.
 *
 * Why a large young generation (bench/gc-flags.ts): a BFS frontier's states live a whole level, so
 * most of what a scavenge finds is alive and copied; with semi-spaces of 64 MB instead of 16 MB there
 * are a quarter as many scavenges, each copying the same live states once.
 */
import { readFileSync } from "node:fs"
import type { ResourceLimits } from "node:worker_threads"

/** The environment variable that turns the flags off (value `off`). */
export const V8_FLAGS_ENV = "TLA_TS_V8_FLAGS"

/** The flags a v8-flags.json file holds (this checkout's, or another's, for a benchmark that runs it as its users did). */
export const flagsInFile = (file: URL | string): ReadonlyArray<string> => (JSON.parse(readFileSync(file, "utf8")) as { flags: string[] }).flags

const FLAGS: ReadonlyArray<string> = flagsInFile(new URL("./assets/v8-flags.json", import.meta.url))

/** The flags, or none when `TLA_TS_V8_FLAGS=off`. */
export const v8Flags = (env: NodeJS.ProcessEnv = process.env): ReadonlyArray<string> => (env[V8_FLAGS_ENV] === "off" ? [] : FLAGS)

/** `--max-semi-space-size=N` of the flags, in MB (undefined: V8's default). */
const semiSpaceMb = (flags: ReadonlyArray<string>): number | undefined => {
  const m = flags.map((f) => /^--max[-_]semi[-_]space[-_]size=(\d+)$/.exec(f)).find((x) => x !== null)
  return m ? Number(m[1]) : undefined
}

/**
 * A worker thread's heap limits under the flags: its young generation is three semi-spaces (two and
 * the large-object space beside them, V8's rule), so the worker's scavenges are the flags' wherever the
 * worker is started. A `--max-semi-space-size` given to the process itself takes precedence in V8.
 */
export const workerResourceLimits = (env: NodeJS.ProcessEnv = process.env): ResourceLimits => {
  const semi = semiSpaceMb(v8Flags(env))
  return semi === undefined ? {} : { maxYoungGenerationSizeMb: 3 * semi }
}
