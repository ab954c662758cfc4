/**
 * Timestamps of a node's events for the latency breakdown (`bench/runtime-latency.ts`): each mark is
 * the wall-clock time in ms (performance.timeOrigin + performance.now(), sub-millisecond and comparable
 * between processes of one machine) and a label such as `recv AppendEntries n1`. Kept in memory and
 * written as JSON lines when the node stops; a node without `--timing` marks nothing.
 */
import { writeFileSync } from "node:fs"

export class Timing {
  private readonly marks: Array<readonly [number, string]> = []

  mark(label: string): void {
    this.marks.push([performance.timeOrigin + performance.now(), label])
  }

  /** The marks so far, oldest first. */
  get all(): ReadonlyArray<readonly [number, string]> {
    return this.marks
  }

  write(file: string): void {
    writeFileSync(file, this.marks.map((m) => JSON.stringify(m)).join("\n") + (this.marks.length ? "\n" : ""))
  }
}
