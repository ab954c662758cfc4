/**
 * The V8 flags a search on two or more threads (`--workers N`, N >= 2) runs under besides those of
 * every search (v8-flags.ts), defined once in `assets/parallel-v8-flags.json`, read by the
 * launcher (bin/tla-ts.js, which re-runs node with flags before anything is loaded, itself: it is plain
 * JavaScript) and here for benchmarks' child processes. They are process-wide, so they apply to worker runs only: a one-thread search leaves
 * V8's garbage-collector helpers the second core, where their work costs it no time.
 *
 * Why (bench/parallel-protocol.ts --compare-flags): with every core taken by a searching thread,
 * the helpers of V8's parallel scavenge only contend with the other searching thread,
 * and their division of work costs CPU of its own; with them off each isolate collects on its own
 * thread, and the run spends less CPU in all (the figures: docs/DESIGN.md).
 */
import { readFileSync } from "node:fs"
import { V8_FLAGS_ENV } from "./v8-flags.ts"

const FLAGS: ReadonlyArray<string> = (JSON.parse(readFileSync(new URL("./assets/parallel-v8-flags.json", import.meta.url), "utf8")) as { flags: string[] }).flags

/** The extra flags of a search on `workers` searching threads: none for one thread, and none when `TLA_TS_V8_FLAGS=off` (V8's defaults everywhere). */
export const parallelV8Flags = (workers: number, env: NodeJS.ProcessEnv = process.env): ReadonlyArray<string> =>
  workers >= 2 && env[V8_FLAGS_ENV] !== "off" ? FLAGS : []
