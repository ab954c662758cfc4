/**
 * TwoPhase (TwoPhase.tla) exhaustively, RM = 7, 8, 9: single-threaded bfs and parallel BFS on two
 * threads (`workers: 2`: the coordinating thread and one worker thread, which joins once it has
 * started), beside TLC's figures on this kind of machine. Each configuration runs in its own child
 * process, under the CLI's V8 flags (src/checker/v8-flags.ts; a 2-worker run also parallel-v8-flags.ts's), so that its peak RSS is its own, and
 * reports the CPU seconds of all its threads beside the wall-clock seconds: on a busy machine the wall-clock ratio of the two modes says little, the CPU
 * ratio says what the second thread costs; `twoWorkersOverOne` gives both ratios of the same run, and
 * `machineTwoThreadGain` what two threads of pure arithmetic gain over one on the machine as loaded then.
 * `node --import tsx bench/twophase.ts [RM...]` prints the JSON (RM 7, 8 and 9 by default);
 * `--one RM MODE` runs one configuration. Worker threads start from the build when it is fresh
 * (worker-boot.ts): run `npm run build` first, as `npm ci` does, or their start-up includes tsx's.
 */
import { execFileSync } from "node:child_process"
import { loadavg } from "node:os"
import { fileURLToPath } from "node:url"
import { bfs } from "../src/checker/explore.ts"
import { parallelBfs, type ParallelResult } from "../src/checker/parallel-bfs.ts"
import type { CheckResult } from "../src/checker/result.ts"
import { twoPhase } from "../spec/twophase.ts"
import { REGISTRY_URL } from "../src/registry/index.ts"
import { v8Flags } from "../src/checker/v8-flags.ts"
import { parallelV8Flags } from "../src/checker/parallel-v8-flags.ts"
import { cpuSnapshot, processUsage, round, threadFigures, twoThreadGain } from "./two-threads.ts"

const MODES = ["1-thread", "2-workers"] as const
type Mode = (typeof MODES)[number]

/** TLC 2.x on TwoPhase, seconds (DESIGN.md); and its distinct-state counts. */
const TLC: Record<number, { distinct: number; seconds: Partial<Record<Mode, number>> }> = {
  7: { distinct: 296_448, seconds: { "1-thread": 6.2, "2-workers": 4.9 } },
  8: { distinct: 1_745_408, seconds: { "1-thread": 37, "2-workers": 24 } },
  9: { distinct: 10_340_352, seconds: {} },
}

interface Run {
  readonly verdict: string
  readonly distinct: number
  readonly generated: number
  readonly depth: number
  readonly seconds: number
  readonly cpuSeconds: number
  readonly peakRssMiB: number
  /** 2-workers: the share of the successors that the worker thread generated (the coordinator did the rest). */
  readonly workerShare?: number
  /** 2-workers: where the second thread's extra CPU can go (parallel-bfs.ts ThreadShare), and the table's growths. */
  readonly overheads?: { readonly startCpuSeconds: number[]; readonly handoffSeconds: number[]; readonly rehashSeconds: number[]; readonly waitedSeconds: number[]; readonly idleSeconds: number[]; readonly tableGrowths: number }
  /** CPU by thread during the search (the spec built already), and the time on a quiet machine it implies (two-threads.ts). */
  readonly threadCpu?: ReturnType<typeof threadFigures>
}

/** One configuration, in this process. */
const runOne = async (rm: number, mode: Mode): Promise<Run> => {
  // Both modes have the spec built before they search, as the CLI has (parallelBfs builds it again, its modules loaded).
  const system = twoPhase({ rm })
  const before = cpuSnapshot()
  const r: CheckResult<unknown, unknown> & Partial<Pick<ParallelResult, "generatedByThread" | "threads" | "tableGrowths">> =
    mode === "1-thread" ? bfs(system) : await parallelBfs({ loader: REGISTRY_URL, model: "twophase", params: { rm: String(rm) } }, { workers: 2 })
  const { verdict, distinct, generated, depth, seconds } = r
  const byThread = r.generatedByThread
  return {
    verdict,
    distinct,
    generated,
    depth,
    seconds,
    ...processUsage(),
    threadCpu: threadFigures(mode === "1-thread" ? 1 : 2, before),
    ...(byThread ? { workerShare: byThread[1]! / byThread.reduce((a, b) => a + b, 0) } : {}),
    ...(r.threads
      ? {
          overheads: {
            startCpuSeconds: r.threads.map((t) => round(t.startCpuSeconds)),
            handoffSeconds: r.threads.map((t) => round(t.handoffSeconds, 3)),
            rehashSeconds: r.threads.map((t) => round(t.rehashSeconds, 3)),
            waitedSeconds: r.threads.map((t) => round(t.waitedSeconds)),
            idleSeconds: r.threads.map((t) => round(t.idleSeconds)),
            tableGrowths: r.tableGrowths ?? 0,
          },
        }
      : {}),
  }
}

const self = fileURLToPath(import.meta.url)

const inChild = (rm: number, mode: Mode): Run =>
  JSON.parse(execFileSync(process.execPath, [...v8Flags(), ...(mode === "2-workers" ? parallelV8Flags(2) : []), "--import", "tsx", self, "--one", String(rm), mode], { encoding: "utf8", maxBuffer: 1 << 20 })) as Run

const countsOf = (r: Run) => ({ verdict: r.verdict, distinct: r.distinct, generated: r.generated, depth: r.depth })

export async function benchTwoPhase(rms: ReadonlyArray<number> = [7, 8, 9]): Promise<object> {
  // Other processes on the machine inflate wall-clock figures (parallel ones most): the load average says how quiet it was.
  const out: Record<string, unknown> = { loadAverageBefore: round(loadavg()[0]!), machineTwoThreadGain: await twoThreadGain() }
  for (const rm of rms) {
    const tlc = TLC[rm]!
    const runs = MODES.map((mode) => inChild(rm, mode))
    const counts = countsOf(runs[0]!)
    out[`rm${rm}`] = {
      ...counts,
      matchesTlcDistinct: counts.distinct === tlc.distinct,
      sameCountsInBothModes: runs.every((r) => JSON.stringify(countsOf(r)) === JSON.stringify(counts)),
      // Above 1: two threads finish sooner (wall) / the second thread costs that much more CPU in all.
      // quietSpeedup: the same from the threads' CPU (two-threads.ts threadFigures), which the machine's load does not decide.
      twoWorkersOverOne: {
        speedup: round(runs[0]!.seconds / runs[1]!.seconds),
        cpuRatio: round(runs[1]!.cpuSeconds / runs[0]!.cpuSeconds),
        ...(runs[0]!.threadCpu && runs[1]!.threadCpu ? { quietSpeedup: round(runs[0]!.threadCpu.quietSeconds / runs[1]!.threadCpu.quietSeconds) } : {}),
      },
      ...Object.fromEntries(
        runs.map((r, i) => {
          const tlcSeconds = tlc.seconds[MODES[i]!]
          return [
            MODES[i]!,
            {
              seconds: round(r.seconds),
              cpuSeconds: round(r.cpuSeconds),
              statesPerSecond: Math.round(r.distinct / r.seconds),
              generatedPerSecond: Math.round(r.generated / r.seconds),
              peakRssMiB: r.peakRssMiB,
              ...(r.threadCpu ? { threadCpu: r.threadCpu } : {}),
              ...(r.workerShare !== undefined ? { workerShare: round(r.workerShare) } : {}),
              ...(r.overheads ? { overheads: r.overheads } : {}),
              ...(tlcSeconds ? { tlcSeconds, speedupOverTlc: round(tlcSeconds / r.seconds) } : {}),
            },
          ]
        })
      ),
    }
  }
  out.loadAverageAfter = round(loadavg()[0]!)
  return out
}

if (process.argv[1] === self) {
  const i = process.argv.indexOf("--one")
  if (i >= 0) console.log(JSON.stringify(await runOne(Number(process.argv[i + 1]), process.argv[i + 2] as Mode)))
  else {
    const rms = process.argv.slice(2).map(Number)
    if (!rms.every((rm) => Number.isSafeInteger(rm) && rm >= 1 && rm <= 10)) {
      console.error("usage: node --import tsx bench/twophase.ts [RM (1 to 10)...]")
      process.exit(2)
    }
    console.log(JSON.stringify(await benchTwoPhase(rms.length > 0 ? rms : undefined), null, 1))
  }
}
