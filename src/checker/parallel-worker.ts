/**
 * Worker thread of parallel BFS: builds the system from its model reference (functions cannot cross
 * threads), says it is ready, then answers each run message with parallel-search.ts's loop.
 */
import { parentPort, workerData } from "node:worker_threads"
import { buildSystem, type RunMessage, type WorkerInit, type WorkerReply } from "./parallel-protocol.ts"
import { searcher } from "./parallel-search.ts"

const port = parentPort!
const reply = (r: WorkerReply) => port.postMessage(r)
const failed = (e: unknown) => reply({ type: "failed", message: e instanceof Error ? e.message : String(e), ...(e instanceof Error && e.stack ? { stack: e.stack } : {}) })
try {
  const init = workerData as WorkerInit
  const search = searcher(init, await buildSystem(init.ref))
  // From a reply to the next message the thread has no work: its idle time.
  let replied: number | undefined
  port.on("message", (m: RunMessage) => {
    try {
      if (replied !== undefined) search.idle((performance.now() - replied) / 1000)
      const r = search.run(m)
      replied = performance.now()
      reply(r)
    } catch (e) {
      failed(e)
    }
  })
  reply({ type: "ready" })
} catch (e) {
  failed(e)
}
