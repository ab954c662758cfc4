/**
 * Two searching threads against one on a protocol search of about a million distinct states: Raft's
 * `exhaustive-election` with terms up to 2 (3 servers, no clients, a duplicating network), BFS to
 * depth 12 -- 1,134,057 distinct states, every level whole, so both modes must find the same count
 * and verdict (asserted). `1-thread` is `tla-ts check raft --test exhaustive-election --param
 * maxTerm=2 --max-depth 12`, `2-workers` the same with `--workers 2` (the coordinating thread and one
 * worker thread, which joins once it has started).
 *
 * Each run is its own child process (CPU and peak RSS are its own) under the CLI's V8 flags
 * (src/checker/v8-flags.ts; TLA_TS_V8_FLAGS=off for V8's defaults), the modes alternating for
 * `--rounds` rounds (default 1). On a machine that other sessions load, wall-clock ratios say little:
 * `cpuRatio` (CPU of all threads of the 2-worker run over the 1-thread run's; 1.0 means the second
 * thread duplicates nothing and costs nothing to coordinate) is the figure to compare, beside
 * `machineTwoThreadGain` (bench/two-threads.ts: what two threads of pure arithmetic gain at that
 * moment). The 2-worker run also reports each thread's share: states it took from the other (work
 * stealing), the bytes handed over per distinct state, and the seconds it waited for a hand-off or had
 * no work at all (`bothBusyShare`: the share of the run's wall-clock time that no thread spent so).
 *
 *   node --import tsx bench/parallel-protocol.ts [--rounds N] [--depth D] [--gc] [--compare-flags] [--compare-start] [--try-flags="FLAG..."] [--cpu-prof DIR] [--compare-one-worker]
 *
 * Both modes are timed from before the model's load (`seconds`; `loadSeconds` the coordinating thread's
 * load): the 2-worker run starts its worker first, as the CLI does (parallel-bfs.ts startEarly), so that
 * it loads the model's modules while the coordinator loads its own. `--compare-start` adds a 2-worker
 * run whose worker starts after the load (`2-workers-late-start`, as before startEarly), and
 * `lateStartOverOne` its ratios to the 1-thread run's.
 *
 * The 2-worker run has the V8 flags of worker runs besides (parallel-v8-flags.ts); `--compare-flags`
 * runs it a second time without them (`2-workers-v8-flags-of-one`), and `withoutWorkerRunFlags` gives
 * that run's ratios to the 1-thread run's.
 *
 * `--try-flags="FLAG..."` (one argument: its value starts with a dash) adds a 2-worker run under the worker runs' V8 flags and these
 * (`2-workers-try-flags`; `withTryFlags`: its ratios to the 1-thread run's), for a flag's effect on
 * the two-thread run measured beside the plain one.
 *
 * `--gc`: the children run under `--trace-gc`, and each mode reports its threads' collections
 * (`gc`, the coordinating thread first): scavenges, mark-compacts and megabytes allocated -- figures
 * the machine's load does not change, unlike CPU seconds -- and their pauses in seconds.
 *
 * `--cpu-prof DIR`: each child runs under `--cpu-prof`, its threads' profiles in DIR/round<N>-<mode>/ (one
 * per thread; bench/cpu-profile-compare.ts sets the searching threads' side by side).
 *
 * (`--depth 10`: 269,435 states, for a quicker look.) Run `npm run build` first: worker threads start
 * from the build when it is fresh (worker-boot.ts), or their start-up includes tsx's.
 *
 * Where the second thread's extra CPU goes (2026-12-07; the 2-worker run's `startCpuSeconds`,
 * `handoffSeconds`, `rehashSeconds` and `tableGrowths` give the first three on every run). At load 2
 * (`--gc`, two-thread gain 1.39) the search window took 11.29 CPU s on one thread (8.63 searching + 2.66
 * V8 helpers) against 14.34 on two workers (6.21 + 6.32 + 1.81): +3.05 s, and the GC pauses plus helpers
 * were about equal in both (6.5 s), so the extra is the mutator's:
 *   - the worker's start-up, loading and building the model: 0.28-0.37 CPU s (`startCpuSeconds`; Raft's
 *     modules and Effect, 0.30-0.34 CPU s in a fresh node alone);
 *   - hand-offs: 31-77 k states move (2.7-6.8%: the worker joins a level late and takes half of what the
 *     coordinator has left, and the level after is uneven by as much), each v8-serialised by the giver
 *     and deserialised by the taker: 7-10 + 8-10 us a state for 240 bytes (a /tmp micro-benchmark on
 *     4,096 states of depth 8; the network's envelopes are 147 of the bytes), about 0.5-0.75 CPU s, 1-3
 *     wall s per run under load 20 (`handoffSeconds`), where the worker starts later and more moves;
 *   - the shared table's growths: four barriers re-inserting 2 M fingerprints, 0.4-0.8 thread-s at load 15
 *     (now two, 0.2-0.4: shared-fpset.ts grows fourfold up to 2^22 slots);
 *   - two heaps: each goes through V8's old-generation ramp, 6-7 mark-compacts in the two against 4-5 in one (`--gc`;
 *     `--initial-old-space-size=400` removed them all, 12.17 -> 11.54 CPU s in one pair at load 20-29,
 *     but it also removes the one-thread run's, so it is no two-thread cost to take off alone), and
 *     allocation +11-15% (the taken states' copies, the worker's model);
 *   - the rest (about 1.3 s): the worker's cold JIT, the two cores' shared caches (two one-thread runs side
 *     by side cost 0-8% more CPU each than one alone, at load 19-21), waits.
 *
 * Starting the worker before the model loads (2026-12-07, parallel17, `--compare-start`): at load 4-5 and
 * two-thread gain 1.96-2.14, four rounds at depth 12, the early start handed over 1.2-1.7% of the states
 * against 3.2-4.3% for the late one, with cpuRatio 1.06-1.22 against 1.18-1.29 and speedup (from before
 * the load) 1.24-1.41 against 1.17-1.26 (searchSpeedup 1.37-1.52 against 1.21-1.30), better in every
 * round. At load 6-7 and gain 0.77 (two rounds) the hand-offs stayed at 6.4/4.4% against 6.8/6.5%: what
 * moves then is each level's end -- the thread the machine runs faster runs out first and takes half of
 * what the other has left, whenever it joined -- so the machine's load, through the threads' speeds, decides it.
 *
 * Why two workers stay far from 1.6x (2026-12-07, speed19; bench/parallel-speed19.json, load 17-24): the
 * lone thread is not one core's work. Its V8 helpers (parallel scavenge, concurrent marking, TurboFan)
 * take 3.7-4.3 CPU s beside its 6.5-8.1 on the otherwise idle second core (`oneThreadCores` 1.5-1.6),
 * and half or more of all the CPU is the garbage collector's: a frontier state lives a whole level, so
 * each scavenge copies about a third of the young generation (1-thread `--trace-gc-nvp`: 47 scavenges
 * copied 449 MB within it and promoted 469 MB, about 400 bytes per distinct state copied twice; 347 and
 * 376 MB since withSends returns its network copy at exactly its length, which speeds up both modes). Two
 * searching threads leave no core for that work, so their wall time is at least half of all the CPU
 * (6.4-6.6 s of 12.8-13.2 here): quietSpeedup 0.99-1.27. 1.6x needs at most 2 x 6.52 / 1.6 = 8.2 CPU s in all, less
 * than the lone thread's own total (10.2-12.4): what only less garbage-collector work (fewer or smaller
 * objects kept per state) can give, not the coordination (the worker's start, hand-offs and table
 * growths add about 1.2 CPU s). The "1.57x per state" of a searching thread is mostly scavenging: under
 * `--no-parallel-scavenge` each thread scavenges itself (search threads 10.5-10.9 CPU s against
 * 6.5-8.1); with the one-thread flags (`--compare-flags`) the threads take 8.5-9.0 (1.11-1.31x the lone
 * thread) and the helpers 4.6-4.8 instead of 2.3-2.4, for 2-5% more CPU in all. Per-thread memo,
 * interner and shared-table lookups stay small in the threads' CPU profiles (`--cpu-prof`); no
 * hardware counters on this VM to split the rest (cache contention) further. V8 flags that did not help
 * (1-thread, depth 12): `--minor-mc` (CPU 10.2 -> 15.7 s, RSS 730 -> 1213 MB), `--page-promotion-threshold=30`
 * and `--min-semi-space-size=64` (no change), and allocation-site pretenuring never tenures a site here
 * (`--trace-pretenuring`).
 */
import { execFileSync } from "node:child_process"
import { loadavg } from "node:os"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { bfs } from "../src/checker/explore.ts"
import { parallelBfs, type ParallelResult, startEarly, type ThreadShare } from "../src/checker/parallel-bfs.ts"
import type { CheckResult } from "../src/checker/result.ts"
import { buildSystem } from "../src/checker/parallel-protocol.ts"
import { REGISTRY_URL } from "../src/registry/index.ts"
import { v8Flags } from "../src/checker/v8-flags.ts"
import { parallelV8Flags } from "../src/checker/parallel-v8-flags.ts"
import { cpuSnapshot, processUsage, round, threadFigures, twoThreadGain } from "./two-threads.ts"

const MODES = ["1-thread", "2-workers"] as const
/** `2-workers-v8-flags-of-one`: the 2-worker run under the one-thread run's V8 flags only (`--compare-flags`), beside the 2-worker run under the worker runs' own (parallel-v8-flags.ts). */
/** `2-workers-late-start`: the worker started by parallelBfs, after this thread loaded the model (`--compare-start`: before startEarly). */
/** `2-workers-try-flags`: the 2-worker run under `--try-flags`' V8 flags besides the worker runs' own. */
/** `--compare-one-worker`: `1-thread-worker-flags` is bfs under the 2-worker run's V8 flags, `1-worker` parallelBfs on this thread alone (no worker) under them: each step from 1-thread to 2-workers apart. */
type Mode = (typeof MODES)[number] | "2-workers-v8-flags-of-one" | "2-workers-late-start" | "2-workers-try-flags" | "1-thread-worker-flags" | "1-worker"

const REF = { loader: REGISTRY_URL, model: "raft", test: "exhaustive-election", params: { maxTerm: "2" } } as const
const DEPTH = 12
/** Distinct states of REF to depth 12 (bfs, ebd42f2's fingerprints). */
const EXPECTED_DISTINCT = 1_134_057

interface Run {
  readonly verdict: string
  readonly distinct: number
  readonly generated: number
  /** Wall-clock seconds from before the model's load to the search's end (the load: loadSeconds, this thread's). */
  readonly seconds: number
  readonly loadSeconds: number
  /** The search's own (bfs's; parallelBfs's from its call: its build and the coordinator's wait for nothing). */
  readonly searchSeconds: number
  /** The monotonic clock (microseconds, the clock of V8's CPU profiles) when the CPU figures start (`threadCpu`'s snapshot): for `--cpu-prof`, cpu-profile-compare.ts --from. */
  readonly startedUs: number
  readonly cpuSeconds: number
  readonly peakRssMiB: number
  readonly threads?: ReadonlyArray<ThreadShare>
  /** The 2-worker run: times the shared fingerprint table grew (every thread pauses and re-inserts a slice). */
  readonly tableGrowths?: number
  /** CPU by thread during the search (the model loaded already), and the time on a quiet machine it implies (two-threads.ts). */
  readonly threadCpu?: ReturnType<typeof threadFigures>
  /** The 1-thread run's step memo (the 2-worker run's are in `threads`). */
  readonly memo?: ReadonlyArray<{ readonly hits: number; readonly misses: number }>
}

const runOne = async (mode: Mode, maxDepth: number): Promise<Run> => {
  // Both modes are timed from before the model loads, as the CLI runs them: a 2-worker run starts its
  // worker first (startEarly), which loads the model's modules while this thread loads its own, and
  // parallelBfs builds the system again (10 ms, its modules loaded).
  const before = cpuSnapshot()
  const t0 = performance.now()
  const startedUs = Number(process.hrtime.bigint() / 1000n)
  const plainBfs = mode === "1-thread" || mode === "1-thread-worker-flags"
  const started = plainBfs || mode === "2-workers-late-start" || mode === "1-worker" ? undefined : startEarly(REF.loader, REF.model, 2)
  const system = await buildSystem(REF)
  const loadSeconds = (performance.now() - t0) / 1000
  const r: CheckResult<unknown, unknown> & Partial<ParallelResult> =
    plainBfs ? bfs(system, { maxDepth }) : await parallelBfs(REF, { workers: mode === "1-worker" ? 1 : 2, maxDepth, ...(started ? { started } : {}) })
  const { verdict, distinct, generated } = r
  const memo = plainBfs ? system.memo?.stats() : undefined
  return {
    verdict,
    distinct,
    generated,
    seconds: (performance.now() - t0) / 1000,
    loadSeconds,
    searchSeconds: r.seconds,
    startedUs,
    ...processUsage(),
    threadCpu: threadFigures(plainBfs || mode === "1-worker" ? 1 : 2, before),
    ...(r.threads ? { threads: r.threads, tableGrowths: r.tableGrowths ?? 0 } : {}),
    ...(memo ? { memo: [{ hits: memo.hits, misses: memo.misses }] } : {}),
  }
}

const self = fileURLToPath(import.meta.url)

/** One thread's (V8 isolate's) garbage collections in a run, from `--trace-gc`: the figures that the machine's load does not change (counts, megabytes) and the pauses it does. */
interface HeapGc {
  readonly scavenges: number
  readonly markCompacts: number
  /** Megabytes allocated: the growth of the heap between one collection's end and the next one's start, summed. */
  readonly allocatedMiB: number
  /** Wall-clock seconds of the collections' pauses (parallel helpers not counted apart). */
  readonly pauseSeconds: number
}

/** Per isolate (thread), in the order they first collected: the coordinating thread first (in a run through tsx, its module-hooks thread also shows, with tens of megabytes). */
export const gcOfTrace = (trace: string): HeapGc[] => {
  const heaps = new Map<string, { scavenges: number; markCompacts: number; allocated: number; pause: number; after?: number }>()
  // [pid:isolate]   1755 ms: Scavenge 48.3 (65.5) -> 37.3 (68.0) MB, 21.19 / 0.00 ms  ...
  const line = /^\[\d+:(0x[0-9a-f]+)\]\s+\d+ ms: (Scavenge|Mark-Compact|Mark-Sweep)\S* ([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB, ([\d.]+) /
  for (const l of trace.split("\n")) {
    const m = line.exec(l)
    if (!m) continue
    const h = heaps.get(m[1]!) ?? { scavenges: 0, markCompacts: 0, allocated: 0, pause: 0 }
    heaps.set(m[1]!, h)
    if (m[2] === "Scavenge") h.scavenges++
    else h.markCompacts++
    const [before, after] = [Number(m[3]), Number(m[4])]
    h.allocated += Math.max(0, before - (h.after ?? 0))
    h.after = after
    h.pause += Number(m[5]) / 1000
  }
  return [...heaps.values()].map((h) => ({ scavenges: h.scavenges, markCompacts: h.markCompacts, allocatedMiB: Math.round(h.allocated), pauseSeconds: round(h.pause) }))
}

/** A run in a child process, under the flags the CLI gives that mode (a 2-worker run: parallel-v8-flags.ts's too); with `gc`, under `--trace-gc`, its collections per thread beside it. */
const inChild = (mode: Mode, depth: number, gc = false, tryFlags: ReadonlyArray<string> = [], cpuProfDir?: string): Run & { gc?: HeapGc[] } => {
  const flags = [...v8Flags(), ...(mode === "2-workers" || mode === "2-workers-late-start" || mode === "2-workers-try-flags" || mode === "1-thread-worker-flags" || mode === "1-worker" ? parallelV8Flags(2) : []), ...(mode === "2-workers-try-flags" ? tryFlags : [])]
  const runAs = mode === "2-workers-v8-flags-of-one" || mode === "2-workers-try-flags" ? "2-workers" : mode
  const out = execFileSync(process.execPath, [...flags, ...(gc ? ["--trace-gc"] : []), ...(cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfDir}`] : []), "--import", "tsx", self, "--one", runAs, String(depth)], { encoding: "utf8", maxBuffer: 1 << 26 })
  // The run's JSON line; with --trace-gc, V8's lines may come after it (a worker's heap torn down).
  const run = JSON.parse(out.split("\n").filter((l) => l.startsWith("{")).at(-1)!) as Run
  return gc ? { ...run, gc: gcOfTrace(out) } : run
}

/** The figures of one run, and for a parallel run what its threads exchanged and how long they had nothing to do. */
const figures = (r: Run) => {
  const threads = r.threads
  const noWork = threads?.reduce((a, t) => a + t.waitedSeconds + t.idleSeconds, 0)
  const memo = r.memo ?? threads?.map((t) => ({ hits: t.memoHits, misses: t.memoMisses }))
  return {
    seconds: round(r.seconds),
    startedUs: r.startedUs,
    loadSeconds: round(r.loadSeconds),
    searchSeconds: round(r.searchSeconds),
    cpuSeconds: round(r.cpuSeconds),
    distinctPerSecond: Math.round(r.distinct / r.seconds),
    distinctPerCpuSecond: Math.round(r.distinct / r.cpuSeconds),
    peakRssMiB: r.peakRssMiB,
    ...(r.threadCpu ? { threadCpu: r.threadCpu } : {}),
    // Per searching thread (each keeps its own step memo): the share of its lookups that hit, and its misses (node steps run).
    ...(memo ? { memoHitRate: memo.map((m) => round(m.hits / Math.max(1, m.hits + m.misses), 4)), memoMisses: memo.map((m) => m.misses) } : {}),
    ...(threads
      ? {
          generatedShare: threads.map((t) => round(t.generated / (r.generated - 1), 3)),
          stolenShare: round(threads.reduce((a, t) => a + t.stolen, 0) / r.distinct, 4),
          handOffs: threads.reduce((a, t) => a + t.steals, 0),
          // Node records of the states taken that the taker already held (core/record-interner.ts), per state taken.
          adoptedPerStolen: round(threads.reduce((a, t) => a + t.adopted, 0) / Math.max(1, threads.reduce((a, t) => a + t.stolen, 0)), 2),
          handedBytesPerState: round(threads.reduce((a, t) => a + t.handedBytes, 0) / r.distinct, 1),
          waitedSeconds: threads.map((t) => round(t.waitedSeconds)),
          idleSeconds: threads.map((t) => round(t.idleSeconds)),
          bothBusyShare: round(1 - noWork! / r.seconds, 3),
          // Where the second thread's extra CPU can go, per thread: loading the model (the worker), encoding and
          // decoding hand-offs, re-inserting the table's slices as it grows (tableGrowths times).
          startCpuSeconds: threads.map((t) => round(t.startCpuSeconds)),
          handoffSeconds: threads.map((t) => round(t.handoffSeconds, 3)),
          rehashSeconds: threads.map((t) => round(t.rehashSeconds, 3)),
          tableGrowths: r.tableGrowths,
        }
      : {}),
  }
}

/** Another 2-worker run's ratios to the 1-thread run's: wall-clock speedup, CPU ratio and, where per-thread CPU is known, quiet-machine speedup. */
const overOne = (one: Run, other: Run) => ({
  speedup: round(one.seconds / other.seconds),
  cpuRatio: round(other.cpuSeconds / one.cpuSeconds),
  ...(one.threadCpu && other.threadCpu ? { quietSpeedup: round(one.threadCpu.quietSeconds / other.threadCpu.quietSeconds) } : {}),
})

export async function benchParallelProtocol(rounds = 1, depth = DEPTH, gc = false, compareFlags = false, compareStart = false, tryFlags: ReadonlyArray<string> = [], cpuProf?: string, compareOneWorker = false): Promise<object> {
  const modes: ReadonlyArray<Mode> = [
    ...MODES,
    ...(compareFlags ? ["2-workers-v8-flags-of-one" as const] : []),
    ...(compareStart ? ["2-workers-late-start" as const] : []),
    ...(tryFlags.length > 0 ? ["2-workers-try-flags" as const] : []),
    ...(compareOneWorker ? ["1-thread-worker-flags" as const, "1-worker" as const] : []),
  ]
  const out: Record<string, unknown> = {
    config: `raft --test exhaustive-election --param maxTerm=2 --max-depth ${depth}`,
    workerRunV8Flags: parallelV8Flags(2),
    ...(tryFlags.length > 0 ? { tryFlags } : {}),
    loadAverageBefore: round(loadavg()[0]!),
    machineTwoThreadGain: await twoThreadGain(),
  }
  const perRound: object[] = []
  for (let i = 0; i < rounds; i++) {
    // Alternate which mode goes first, so that a change in the machine's load falls on both.
    const order = i % 2 === 0 ? modes : [...modes].reverse()
    const runs = Object.fromEntries(order.map((m) => [m, inChild(m, depth, gc, tryFlags, cpuProf === undefined ? undefined : `${cpuProf}/round${i + 1}-${m}`)])) as Record<Mode, Run & { gc?: HeapGc[] }>
    const [one, two, plain, late, tried] = [runs["1-thread"], runs["2-workers"], runs["2-workers-v8-flags-of-one"], runs["2-workers-late-start"], runs["2-workers-try-flags"]]
    for (const other of [two, plain, late, tried, runs["1-thread-worker-flags"], runs["1-worker"]].filter((r) => r !== undefined))
      if (one.verdict !== other.verdict || one.distinct !== other.distinct || one.generated !== other.generated)
        throw new Error(`parallel-protocol: the modes disagree: ${JSON.stringify({ one, other })}`)
    if (depth === DEPTH && one.distinct !== EXPECTED_DISTINCT) throw new Error(`parallel-protocol: ${one.distinct} distinct states, expected ${EXPECTED_DISTINCT}`)
    perRound.push({
      verdict: one.verdict,
      distinct: one.distinct,
      generated: one.generated,
      // Above 1: two threads finish sooner (wall) / the second thread costs that much more CPU in all.
      // quietSpeedup: the same from the threads' CPU (two-threads.ts threadFigures), which the machine's load does not decide.
      twoWorkersOverOne: {
        speedup: round(one.seconds / two.seconds),
        // Without the coordinating thread's load (through tsx here: 1-2 s, against 0.35 s from the build as the CLI runs).
        searchSpeedup: round(one.searchSeconds / two.searchSeconds),
        cpuRatio: round(two.cpuSeconds / one.cpuSeconds),
        ...(one.threadCpu && two.threadCpu ? { quietSpeedup: round(one.threadCpu.quietSeconds / two.threadCpu.quietSeconds) } : {}),
        // Cores the lone thread's search already keeps busy (its V8 helpers on the second core): two threads gain at most 2 / this on two cores when they cost no more CPU in all.
        ...(one.threadCpu ? { oneThreadCores: round((one.threadCpu.searchCpuSeconds[0]! + one.threadCpu.helperCpuSeconds) / one.threadCpu.searchCpuSeconds[0]!) } : {}),
      },
      "1-thread": { ...figures(one), ...(one.gc ? { gc: one.gc } : {}) },
      "2-workers": { ...figures(two), ...(two.gc ? { gc: two.gc } : {}) },
      ...(plain
        ? {
            // What the worker runs' own V8 flags gain: the same ratios for the 2-worker run without them.
            withoutWorkerRunFlags: overOne(one, plain),
            "2-workers-v8-flags-of-one": { ...figures(plain), ...(plain.gc ? { gc: plain.gc } : {}) },
          }
        : {}),
      ...(late
        ? {
            // The worker started after the model's load (as before startEarly): the same ratios, and its figures.
            lateStartOverOne: { speedup: round(one.seconds / late.seconds), searchSpeedup: round(one.searchSeconds / late.searchSeconds), cpuRatio: round(late.cpuSeconds / one.cpuSeconds) },
            "2-workers-late-start": { ...figures(late), ...(late.gc ? { gc: late.gc } : {}) },
          }
        : {}),
      ...(runs["1-worker"]
        ? {
            // One searching thread, step by step towards 2-workers: under its V8 flags, then on parallelBfs's code (shared table, hand-off polls) alone.
            "1-thread-worker-flags": { ...figures(runs["1-thread-worker-flags"]), ...(runs["1-thread-worker-flags"].gc ? { gc: runs["1-thread-worker-flags"].gc } : {}) },
            "1-worker": { ...figures(runs["1-worker"]), ...(runs["1-worker"].gc ? { gc: runs["1-worker"].gc } : {}) },
          }
        : {}),
      ...(tried
        ? {
            withTryFlags: overOne(one, tried),
            "2-workers-try-flags": { ...figures(tried), ...(tried.gc ? { gc: tried.gc } : {}) },
          }
        : {}),
    })
  }
  out.rounds = perRound
  out.loadAverageAfter = round(loadavg()[0]!)
  return out
}

if (process.argv[1] === self) {
  const i = process.argv.indexOf("--one")
  if (i >= 0) console.log(JSON.stringify(await runOne(process.argv[i + 1] as Mode, Number(process.argv[i + 2]))))
  else {
    const { values } = parseArgs({ options: { rounds: { type: "string" }, depth: { type: "string" }, gc: { type: "boolean" }, "compare-flags": { type: "boolean" }, "compare-start": { type: "boolean" }, "try-flags": { type: "string" }, "cpu-prof": { type: "string" }, "compare-one-worker": { type: "boolean" } } })
    const rounds = Number(values.rounds ?? 1)
    const depth = Number(values.depth ?? DEPTH)
    if (!Number.isSafeInteger(rounds) || rounds < 1 || !Number.isSafeInteger(depth) || depth < 1 || depth > DEPTH) {
      console.error(`usage: node --import tsx bench/parallel-protocol.ts [--rounds N (at least 1)] [--depth D (1 to ${DEPTH})] [--gc] [--compare-flags] [--compare-start] [--try-flags="FLAG..."]`)
      process.exit(2)
    }
    const tryFlags = (values["try-flags"] ?? "").split(/\s+/).filter((f) => f !== "")
    console.log(JSON.stringify(await benchParallelProtocol(rounds, depth, values.gc ?? false, values["compare-flags"] ?? false, values["compare-start"] ?? false, tryFlags, values["cpu-prof"], values["compare-one-worker"] ?? false), null, 1))
  }
}
