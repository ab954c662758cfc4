/**
 * Worker thread of parallel BFS: builds the system from its model reference (workerData; functions
 * cannot cross threads), takes the search's set-up from its first message, says it is ready, then
 * answers each run message with parallel-search.ts's loop.
 */
import { readFileSync } from "node:fs"
import { parentPort, workerData } from "node:worker_threads"
import { buildSystem, type ModelPreload, type ModelRef, type RefMessage, type RunMessage, START_CPU, statsSlot, type WorkerInit, type WorkerReply } from "./parallel-protocol.ts"
import { type Searcher, searcher } from "./parallel-search.ts"
import type { ModelLoader } from "./run-model.ts"
import type { TransitionSystem } from "./transition-system.ts"

/** This thread's CPU seconds so far (Linux: utime and stime in /proc/thread-self/stat, clock ticks of 10 ms), else 0. */
const threadCpuSeconds = (): number => {
  try {
    const f = readFileSync("/proc/thread-self/stat", "utf8").split(") ")[1]!.split(" ")
    return (Number(f[11]) + Number(f[12])) / 100
  } catch {
    return 0
  }
}

const port = parentPort!
const reply = (r: WorkerReply) => port.postMessage(r)
const failed = (e: unknown) => reply({ type: "failed", message: e instanceof Error ? e.message : String(e), ...(e instanceof Error && e.stack ? { stack: e.stack } : {}) })
// The model loads as soon as the thread starts, while the coordinator loads its own and lays out the
// shared memory; the first message is then the search's set-up (WorkerInit), the others run messages.
// A worker started early (a ModelPreload) loads the model's modules and builds on its first message, the ref.
const data = workerData as ModelRef | ModelPreload
let system: Promise<TransitionSystem<unknown, unknown>> | undefined
const preloaded = "preload" in data ? import(data.loader).then((l: ModelLoader) => l.loadModel(data.model)) : undefined
preloaded?.catch(() => undefined) // buildSystem reports it once the ref arrives
if (!("preload" in data)) system = buildSystem(data)
system?.catch(() => undefined) // reported once the set-up arrives
let search: Searcher<unknown> | undefined
// From a reply to the next message the thread has no work: its idle time.
let replied: number | undefined
port.on("message", async (m: RefMessage | WorkerInit | RunMessage) => {
  try {
    if (system === undefined) {
      system = buildSystem((m as RefMessage).ref)
      system.catch(() => undefined) // reported once the set-up arrives
      return
    }
    if (search === undefined) {
      const init = m as WorkerInit
      search = searcher(init, await system)
      new Float64Array(init.stats)[statsSlot(init.index) + START_CPU] = threadCpuSeconds()
      reply({ type: "ready" })
      return
    }
    if (replied !== undefined) search.idle((performance.now() - replied) / 1000)
    const r = search.run(m as RunMessage)
    replied = performance.now()
    reply(r)
  } catch (e) {
    failed(e)
  }
})
