/** Raft scoring like a course simulator: traffic, latency, failed requests, duplicate responses. */
import { explore } from "../src/checker/explore.ts"
import type { TimedState } from "../src/core/timed.ts"
import { raftModel } from "../src/protocols/raft/model.ts"
import { raftReport, type SimSystem } from "../src/protocols/raft/scenarios.ts"

const SCENARIOS = ["agree-message-count", "kv-concurrent", "kv-unreliable", "kv-partition", "persist-churn-unreliable", "snap-install-cut"]

export async function benchRaft(seed = 1): Promise<object> {
  const out: Record<string, object> = {}
  for (const name of SCENARIOS) {
    const t = raftModel.tests[name]!
    const system = t.build({}, seed) as SimSystem
    const t0 = performance.now()
    const r = explore(system, { ...t.options, seed })
    const end = (r.path ? r.path.steps.at(-1)!.state : system.initial()[0]) as TimedState
    out[name] = { verdict: r.verdict, ...raftReport(end, system.config.servers.length), seconds: +((performance.now() - t0) / 1000).toFixed(3) }
  }
  return out
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await benchRaft(), null, 2))
