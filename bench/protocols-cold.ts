/**
 * Where a cold protocol search's CPU goes: the cases of bench/protocols-bfs.ts, each searched several
 * times in one fresh process (the system built afresh each time, as a new search would), every run's
 * CPU split into
 * - `mainThreadSeconds` (CPU, /proc schedstat of the main thread) and `helperSeconds` (CPU, the rest of
 *   the process: V8's helper threads, which run TurboFan's compilations and GC's parallel and
 *   concurrent work);
 * - `gcPauseSeconds`: the main thread's GC pauses (PerformanceObserver "gc"), `scavenges`, `markCompacts`;
 * - `searchSeconds`: the main thread less its GC pauses: the search itself (interpreted, baseline or
 *   optimised code) and the main-thread phases of the compilations;
 * - TurboFan (V8's --trace-opt and --trace-deopt, sent to a file): `optimised`, the compilations
 *   completed during the search (or just after it);
 *   `again`, how many of them compiled a function an earlier run of the process had compiled already
 *   (code deoptimised by the new search's objects: a closure of the earlier search inlined, "wrong call
 *   target", or another map); `deopts`; `jitWallSeconds`, the sum of the compilations' times.
 * Pauses and compilation times are wall time: on a busy machine they count the waits for a CPU too,
 * and searchSeconds is then too small. `--variant --single-threaded-gc` leaves the helper threads only
 * the compilations (GC all on the main thread), so that helperSeconds is the JIT's CPU.
 * Run 1 is what `tla-ts check` pays (one search per process); the last run is the warm cost.
 *
 * `node --import tsx bench/protocols-cold.ts [--runs N] [--rounds R] [--variant FLAGS]... [case...]`
 * - runs: searches per process (default 4); rounds: fresh processes per variant, alternating (default
 *   1; the round whose run 1 took the least CPU is kept);
 * - each `--variant "--flag --flag"` is a set of V8 flags to run with, beside this checkout's (those of
 *   src/checker/assets/v8-flags.json, as `tla-ts check` runs; `--variant shipped` names them alone,
 *   `--variant none` runs with V8's defaults); without any, the shipped flags alone;
 * - cases as in bench/protocols-bfs.ts (a case's whole name, or text in it).
 * Prints JSON: per case and variant, the runs' figures and `coldOverWarm` (run 1's CPU over the last's).
 */
import { execFileSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PerformanceObserver, performance } from "node:perf_hooks"
import { fileURLToPath } from "node:url"
import { CASES, caseKey, checkoutV8Flags, cpuTimed, HERE, kept, prepareCase } from "./protocols-bfs.ts"

interface Run {
  readonly distinct: number
  readonly cpuSeconds: number
  readonly mainThreadSeconds: number
  readonly helperSeconds: number
  readonly gcPauseSeconds: number
  readonly scavenges: number
  readonly markCompacts: number
  readonly jitWallSeconds: number
  readonly optimised: number
  readonly again: number
  readonly deopts: number
  readonly searchSeconds: number
  readonly distinctStatesPerCpuSecond: number
}

/** The main thread's CPU time in seconds (the first field of its schedstat: nanoseconds on a CPU). */
const mainThreadSeconds = (): number => Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ")[0]) / 1e9

/** The compilations and deopts in V8's trace text: how many, their wall seconds, the functions compiled. */
const traceFigures = (text: string) => {
  let optimised = 0
  let jit = 0
  let deopts = 0
  const sfis: string[] = []
  for (const line of text.split("\n")) {
    if (line.startsWith("[bailout")) deopts++
    const m = /^\[completed compiling .*\(sfi = (0x[0-9a-f]+)\).* - took ([\d.]+), ([\d.]+), ([\d.]+) ms\]/.exec(line)
    if (!m) continue
    optimised++
    sfis.push(m[1]!)
    jit += (Number(m[2]) + Number(m[3]) + Number(m[4])) / 1e3
  }
  return { optimised, jit, deopts, sfis }
}

/** In the child: `runs` searches of one case, each split as the header says. */
async function runsInThisProcess(key: string, runs: number, trace: string): Promise<ReadonlyArray<Run>> {
  const c = CASES.find((x) => caseKey(x) === key)!
  const gcs: Array<{ start: number; duration: number; kind: number }> = []
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push({ start: e.startTime, duration: e.duration, kind: (e as PerformanceEntry & { detail: { kind: number } }).detail.kind })
  })
  observer.observe({ entryTypes: ["gc"] })
  const compiled = new Set<string>()
  // The trace's length so far: what V8 traced before a search (loading modules, building the system) is not the search's.
  const traced = (): number => (existsSync(trace) ? statSync(trace).size : 0)
  const out: Run[] = []
  for (let i = 0; i < runs; i++) {
    const { search } = await prepareCase(c)
    const from = traced()
    const t0 = performance.now()
    const main0 = mainThreadSeconds()
    const { result, cpuSeconds } = cpuTimed(search)
    const main = mainThreadSeconds() - main0
    const t1 = performance.now()
    // GC entries reach the observer asynchronously, and the compilations a run queued finish soon after it.
    await new Promise((r) => setTimeout(r, 50))
    // No file while V8 has traced nothing (no optimising compiler, say).
    const t = traceFigures(existsSync(trace) ? readFileSync(trace).subarray(from).toString("utf8") : "")
    const again = t.sfis.filter((s) => compiled.has(s)).length
    for (const s of t.sfis) compiled.add(s)
    const mine = gcs.filter((g) => g.start >= t0 && g.start < t1)
    const gcPause = mine.reduce((a, g) => a + g.duration, 0) / 1e3
    out.push({
      distinct: result.distinct,
      cpuSeconds: +cpuSeconds.toFixed(3),
      mainThreadSeconds: +main.toFixed(3),
      helperSeconds: +Math.max(0, cpuSeconds - main).toFixed(3),
      gcPauseSeconds: +gcPause.toFixed(3),
      scavenges: mine.filter((g) => g.kind === 1).length,
      markCompacts: mine.filter((g) => g.kind === 4).length,
      jitWallSeconds: +t.jit.toFixed(3),
      optimised: t.optimised,
      again,
      deopts: t.deopts,
      searchSeconds: +Math.max(0, main - gcPause).toFixed(3),
      distinctStatesPerCpuSecond: Math.round(result.distinct / cpuSeconds),
    })
  }
  observer.disconnect()
  return out
}

/** One fresh process under `flags` (this checkout's first), `runs` searches of the case `key`. */
const runApart = (flags: ReadonlyArray<string>, key: string, runs: number): ReadonlyArray<Run> => {
  const dir = mkdtempSync(join(tmpdir(), "protocols-cold-"))
  const trace = join(dir, "v8-trace.txt")
  try {
    const v8 = [...flags, "--trace-opt", "--trace-deopt", "--redirect-code-traces", `--redirect-code-traces-to=${trace}`]
    // V8 writes some of its trace to stdout whatever the redirection: the figures go to a file.
    const figures = join(dir, "runs.json")
    execFileSync(process.execPath, [...v8, "--import", "tsx", fileURLToPath(import.meta.url), "--child", key, String(runs), trace, figures], { stdio: ["ignore", "ignore", "inherit"] })
    return JSON.parse(readFileSync(figures, "utf8")) as ReadonlyArray<Run>
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The flags of a `--variant`: this checkout's, then the variant's own (`shipped`: none more; `none`: V8's defaults). */
const variantFlags = (variant: string): ReadonlyArray<string> =>
  variant === "none" ? [] : [...checkoutV8Flags(HERE), ...(variant === "shipped" ? [] : variant.split(/\s+/).filter((f) => f !== ""))]

export async function benchProtocolsCold(variants: ReadonlyArray<string>, runs: number, rounds: number, only: ReadonlyArray<string>): Promise<object> {
  const out: Record<string, Record<string, object>> = {}
  for (const c of CASES) {
    const key = caseKey(c)
    if (!kept(only, key)) continue
    const best = new Map<string, ReadonlyArray<Run>>()
    for (let r = 0; r < rounds; r++) {
      // Alternate the order of the variants, so that none always meets the same neighbours.
      const order = r % 2 === 0 ? variants : [...variants].reverse()
      for (const v of order) {
        const got = runApart(variantFlags(v), key, runs)
        const had = best.get(v)
        if (had === undefined || got[0]!.cpuSeconds < had[0]!.cpuSeconds) best.set(v, got)
      }
    }
    out[key] = Object.fromEntries(
      variants.map((v) => {
        const rs = best.get(v)!
        return [v, { flags: variantFlags(v).join(" "), coldOverWarm: +(rs[0]!.cpuSeconds / rs[rs.length - 1]!.cpuSeconds).toFixed(2), runs: rs }]
      }),
    )
  }
  return { runs, rounds, load: readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" "), cases: out }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2)
  if (args[0] === "--child") {
    writeFileSync(args[4]!, JSON.stringify(await runsInThisProcess(args[1]!, Number(args[2]), args[3]!)))
  } else {
    const take = (f: string): string[] => {
      const got: string[] = []
      for (let i = args.indexOf(f); i >= 0; i = args.indexOf(f)) {
        const v = args[i + 1]
        if (v === undefined) {
          console.error(`protocols-cold: ${f} needs a value`)
          process.exit(2)
        }
        got.push(v)
        args.splice(i, 2)
      }
      return got
    }
    const count = (f: string, dflt: number): number => {
      const v = Number(take(f).at(-1) ?? dflt)
      if (!Number.isInteger(v) || v < 1) {
        console.error(`protocols-cold: ${f} takes a positive integer`)
        process.exit(2)
      }
      return v
    }
    const variants = take("--variant")
    const runs = count("--runs", 4)
    const rounds = count("--rounds", 1)
    console.log(JSON.stringify(await benchProtocolsCold(variants.length > 0 ? variants : ["shipped"], runs, rounds, args), null, 1))
  }
}
