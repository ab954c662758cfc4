/** Runs one bounded search from the explorer's current state on a worker thread, with its progress. */
import { Worker } from "node:worker_threads"
import { workerBoot } from "../checker/worker-boot.ts"
import type { Progress, Strategy } from "../checker/result.ts"
import type { ModelRef } from "./session.ts"

export interface CheckRequest {
  readonly ref: ModelRef
  readonly initial: number
  readonly labels: ReadonlyArray<string>
  readonly strategy: Strategy
  readonly maxStates: number
  readonly maxDepth?: number
  readonly maxSeconds: number
}

export interface CheckOutcome {
  readonly verdict: string
  readonly property?: string
  readonly detail?: string
  readonly distinct: number
  readonly generated: number
  readonly depth: number
  readonly seconds: number
  readonly complete: boolean
  /** The steps from the current state to what was found. */
  readonly labels?: ReadonlyArray<string>
}

export type CheckMessage =
  | { readonly type: "progress"; readonly progress: Progress }
  | { readonly type: "done"; readonly result: CheckOutcome }
  | { readonly type: "error"; readonly message: string }

export interface JobStatus {
  readonly id: number
  readonly running: boolean
  readonly progress?: Progress
  readonly result?: CheckOutcome
  readonly error?: string
}

const BOOT = workerBoot(import.meta.url, "check-worker").code

export class CheckJob {
  private static next = 1
  readonly id = CheckJob.next++
  private worker: Worker | undefined
  private status: Omit<JobStatus, "id"> = { running: true }

  constructor(req: CheckRequest) {
    const worker = new Worker(BOOT, { eval: true, workerData: req })
    this.worker = worker
    worker.on("message", (m: CheckMessage) => {
      if (m.type === "progress") this.status = { ...this.status, progress: m.progress }
      else this.finish(m.type === "done" ? { running: false, result: m.result } : { running: false, error: m.message })
    })
    worker.on("error", (e) => this.finish({ running: false, error: e.message }))
    worker.on("exit", () => this.status.running && this.finish({ running: false, error: "the search stopped" }))
  }

  private finish(status: Omit<JobStatus, "id">) {
    this.status = { ...status, ...(this.status.progress ? { progress: this.status.progress } : {}) }
    const w = this.worker
    this.worker = undefined
    void w?.terminate()
  }

  get(): JobStatus {
    return { id: this.id, ...this.status }
  }

  stop() {
    if (this.status.running) this.finish({ running: false, error: "stopped" })
  }
}
