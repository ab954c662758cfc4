/** The explorer's "check from here", on a worker thread so the server keeps answering while it runs. */
import { parentPort, workerData } from "node:worker_threads"
import { explore } from "../checker/explore.ts"
import { lastState } from "../checker/path.ts"
import { startingFrom } from "../checker/transition-system.ts"
import type { CheckRequest, CheckMessage } from "./check-job.ts"
import { Session } from "./session.ts"

const req = workerData as CheckRequest
const post = (m: CheckMessage) => parentPort!.postMessage(m)
const session = await Session.open(req.ref)
const { path, error } = session.replay(req.initial, req.labels)
if (error) post({ type: "error", message: error })
else {
  const result = explore(startingFrom(session.system, [lastState(path)]), {
    strategy: req.strategy,
    seed: req.ref.seed,
    maxStates: req.maxStates,
    maxDepth: req.maxDepth,
    maxSeconds: req.maxSeconds,
    onProgress: (p) => post({ type: "progress", progress: p }),
  })
  post({
    type: "done",
    result: {
      verdict: result.verdict,
      ...(result.property ? { property: result.property } : {}),
      ...(result.detail ? { detail: result.detail } : {}),
      distinct: result.distinct,
      generated: result.generated,
      depth: result.depth,
      seconds: result.seconds,
      complete: result.complete,
      ...(result.path ? { labels: result.path.steps.map((s) => s.text) } : {}),
    },
  })
}
