/**
 * Timestamps of a node's events for the latency breakdown (`bench/runtime-latency.ts`): each mark is
 * the wall-clock time in ms (performance.timeOrigin + performance.now(), sub-millisecond and comparable
 * between processes of one machine) and a label such as `recv AppendEntries n1`. Kept in memory and
 * written as JSON lines when the node stops; a node without `--timing` marks nothing.
 *
 * `observePauses` also marks the process's own pauses, so that a slow operation can be attributed to
 * them: each garbage collection (`gc KIND MS`, at its start, from a PerformanceObserver) and each turn
 * of the event loop that came back late (`stall MS cpu MS`, at the turn's expected time: a 5 ms interval
 * that fired more than `stallMs` late, with the CPU time the process used meanwhile: about the stall's
 * length when a callback of ours blocked the loop, far less when the process was not scheduled).
 */
import { writeFileSync } from "node:fs"
import { PerformanceObserver, constants } from "node:perf_hooks"

const GC_KINDS: Readonly<Record<number, string>> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: "scavenge",
  [constants.NODE_PERFORMANCE_GC_MAJOR]: "mark-compact",
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental",
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: "weak-callbacks",
}

export class Timing {
  private readonly marks: Array<readonly [number, string]> = []
  private stopPauses: (() => void) | undefined

  mark(label: string): void {
    this.marks.push([performance.timeOrigin + performance.now(), label])
  }

  /** Marks garbage collections and late event-loop turns (more than `stallMs` late) until `write` or `stop`. */
  observePauses(stallMs = 2): void {
    if (this.stopPauses) return
    const gc = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = GC_KINDS[(e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? -1] ?? "other"
        this.marks.push([performance.timeOrigin + e.startTime, `gc ${kind} ${e.duration.toFixed(3)}`])
      }
    })
    gc.observe({ entryTypes: ["gc"] })
    const every = 5
    let last = performance.now()
    let cpu = process.cpuUsage()
    const tick = setInterval(() => {
      const now = performance.now()
      const late = now - last - every
      const c = process.cpuUsage()
      if (late > stallMs) this.marks.push([performance.timeOrigin + last + every, `stall ${late.toFixed(3)} cpu ${((c.user + c.system - cpu.user - cpu.system) / 1000).toFixed(3)}`])
      last = now
      cpu = c
    }, every)
    tick.unref()
    this.stopPauses = () => {
      gc.disconnect()
      clearInterval(tick)
      this.stopPauses = undefined
    }
  }

  stop(): void {
    this.stopPauses?.()
  }

  /** The marks so far, oldest first (pauses are marked when observed, at the time they began: sort by time to merge them). */
  get all(): ReadonlyArray<readonly [number, string]> {
    return this.marks
  }

  write(file: string): void {
    this.stop()
    writeFileSync(file, this.marks.map((m) => JSON.stringify(m)).join("\n") + (this.marks.length ? "\n" : ""))
  }
}
