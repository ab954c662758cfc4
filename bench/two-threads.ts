/**
 * What the benchmarks of parallel search share: what a second thread can bring on this machine at the
 * moment (a calibration beside each measurement), and the CPU seconds and peak memory of this process.
 */
import { readdirSync, readFileSync } from "node:fs"
import { Worker } from "node:worker_threads"

export const round = (x: number, digits = 2): number => Number(x.toFixed(digits))

/**
 * The throughput of two threads of pure arithmetic against one (each unit the same work), measured
 * just before a search. About 2 on a quiet machine; near 1 when other sessions load it (the kernel
 * shares CPU per session, autogroup), and then no parallel search can show its speed-up in
 * wall-clock time.
 */
export const twoThreadGain = async (): Promise<number> => {
  const unit = `let h = 1; for (let i = 0; i < 2e8; i++) h = Math.imul(h ^ i, 0x9e3779b1); require("node:worker_threads").parentPort.postMessage(h)`
  const run = (threads: number) =>
    new Promise<number>((resolve, reject) => {
      const t = performance.now()
      let left = threads
      for (let i = 0; i < threads; i++) {
        const w = new Worker(unit, { eval: true })
        w.on("error", reject)
        w.on("message", () => void w.terminate().then(() => --left === 0 && resolve((performance.now() - t) / 1000)))
      }
    })
  const one = await run(1)
  return round((2 * one) / (await run(2)))
}

/** CPU seconds of every thread of this process so far (worker start-up included), and its peak RSS in MiB. */
export const processUsage = (): { cpuSeconds: number; peakRssMiB: number } => {
  const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage()
  return { cpuSeconds: (userCPUTime + systemCPUTime) / 1e6, peakRssMiB: Math.round(maxRSS / 1024) }
}

/**
 * CPU seconds of each thread of this process, the largest first (Linux: /proc/self/task; empty
 * elsewhere). The searching threads are the largest ones; the rest is V8's helpers (concurrent and
 * parallel GC, the optimising compiler) and libuv's. Clock ticks of 10 ms.
 */
export const threadCpuSeconds = (since?: CpuSnapshot): number[] => [...threadCpu(since).values()].sort((a, b) => b - a)

/** CPU seconds by thread id (less what each had at `since`). */
const threadCpu = (since?: CpuSnapshot): Map<string, number> => {
  try {
    return new Map(
      readdirSync("/proc/self/task").map((t) => {
        // Fields after the parenthesised name: state is 3rd, utime 14th and stime 15th of the whole line.
        const f = readFileSync(`/proc/self/task/${t}/stat`, "utf8").split(") ")[1]!.split(" ")
        return [t, (Number(f[11]) + Number(f[12])) / 100 - (since?.threads.get(t) ?? 0)]
      })
    )
  } catch {
    return new Map()
  }
}

/** The CPU seconds of this process's threads at a moment (`cpuSnapshot()` just before a search): what `threadFigures` leaves out. */
export interface CpuSnapshot {
  readonly all: number
  readonly threads: ReadonlyMap<string, number>
}

export const cpuSnapshot = (): CpuSnapshot => ({ all: processUsage().cpuSeconds, threads: threadCpu() })

/**
 * What a run's threads say about a quiet two-core machine, where the machine's load does not decide.
 * Call it after the search: its worker threads (`searching - 1` of them) have ended by then and left
 * /proc, so their CPU is the process's less that of the threads still there; the searching thread
 * of this one is the largest of those, the rest is V8's and libuv's helpers. `searchCpuSeconds`: this
 * thread's and the ended workers' CPU; `helperCpuSeconds`: the helpers'; `quietSeconds`: the
 * wall-clock time the run would take with two cores to itself -- the busiest searching thread's CPU,
 * or half of all the CPU if more -- a lower bound that ignores waits. With `since` (a snapshot taken
 * just before the search), only the CPU spent since counts: the search's own, as its reported seconds
 * are (a worker thread starts within them), without the process's start-up and module loading, which
 * a one-thread and a two-worker run pay alike before they search.
 */
export const threadFigures = (searching: number, since?: CpuSnapshot): { searchCpuSeconds: number[]; helperCpuSeconds: number; quietSeconds: number } | undefined => {
  const live = threadCpuSeconds(since)
  if (live.length === 0) return undefined
  const all = processUsage().cpuSeconds - (since?.all ?? 0)
  const liveSum = live.reduce((a, b) => a + b, 0)
  const ended = Math.max(0, all - liveSum)
  const search = searching > 1 ? [live[0]!, ...Array.from({ length: searching - 1 }, () => ended / (searching - 1))] : [live[0]!]
  return {
    searchCpuSeconds: search.map((x) => round(x)),
    helperCpuSeconds: round(liveSum - live[0]!),
    quietSeconds: round(Math.max(...search, all / 2)),
  }
}
