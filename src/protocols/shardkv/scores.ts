/** Shard store scoring per simulated named test, as for Raft (report.ts: traffic, shard bytes moved, failed and unanswered requests, latency). */
import { explore } from "../../checker/explore.ts"
import type { Params } from "../../checker/model.ts"
import type { Path } from "../../checker/result.ts"
import type { TimedEvent, TimedState } from "../../core/timed.ts"
import { SHARDKV_TESTS } from "./model.ts"
import { shardKvReport } from "./report.ts"

export const SCORED_SCENARIOS = ["single-group-basic", "multi-group-join-leave", "master-moves-shards", "unreliable-join-leave", "repeated-shard-movement", "group-server-restart"] as const

export const shardKvScores = (seed = 1, names: ReadonlyArray<keyof typeof SHARDKV_TESTS> = SCORED_SCENARIOS, params: Params = {}): Record<string, object> => {
  const out: Record<string, object> = {}
  for (const name of names) {
    const t = SHARDKV_TESTS[name]
    const system = t.build(params, seed)
    const t0 = performance.now()
    const r = explore(system, { ...("options" in t ? t.options : {}), seed })
    const path = r.path as Path<TimedState, TimedEvent> | undefined
    const end = path ? (path.steps.at(-1)?.state ?? path.initial) : undefined
    out[name] = { verdict: r.verdict, ...(end && "now" in end ? shardKvReport(end, path!.steps.map((x) => x.label)) : {}), seconds: +((performance.now() - t0) / 1000).toFixed(3) }
  }
  return out
}
