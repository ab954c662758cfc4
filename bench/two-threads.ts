/**
 * What the benchmarks of parallel search share: what a second thread can bring on this machine at the
 * moment (a calibration beside each measurement), and the CPU seconds and peak memory of this process.
 */
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
