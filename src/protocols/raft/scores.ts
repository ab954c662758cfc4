/** Raft scoring like a course simulator, per simulated named test: traffic, latency, failed requests, duplicate responses. */
import { explore } from "../../checker/explore.ts"
import type { TimedState } from "../../core/timed.ts"
import { raftModel } from "./model.ts"
import { raftReport, type SimSystem } from "./scenarios.ts"

export const SCORED_SCENARIOS = ["agree-message-count", "kv-concurrent", "kv-unreliable", "kv-partition", "persist-churn-unreliable", "snap-install-cut"]

export const raftScores = (seed = 1, names: ReadonlyArray<string> = SCORED_SCENARIOS): Record<string, object> => {
  const out: Record<string, object> = {}
  for (const name of names) {
    const t = raftModel.tests[name]!
    const system = t.build({}, seed) as SimSystem
    const t0 = performance.now()
    const r = explore(system, { ...t.options, seed })
    const end = (r.path ? r.path.steps.at(-1)!.state : system.initial()[0]) as TimedState
    out[name] = { verdict: r.verdict, ...raftReport(end, system.config.servers.length), seconds: +((performance.now() - t0) / 1000).toFixed(3) }
  }
  return out
}
