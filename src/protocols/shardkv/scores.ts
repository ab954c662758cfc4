/**
 * Shard store scoring per simulated named test, as for Raft: the simulator's report (messages between
 * servers, failed and unanswered requests, median and p99 latency) plus the shard handoffs delivered
 * and the shard bytes moved (the JSON size of every delivered handoff's data: keys, values and the
 * exactly-once table), counted along the run's path.
 */
import { explore } from "../../checker/explore.ts"
import type { Params } from "../../checker/model.ts"
import type { Path } from "../../checker/result.ts"
import { toPlain } from "../../core/show.ts"
import { simReport, type TimedEvent, type TimedState } from "../../core/timed.ts"
import { ShardHandoff } from "./messages.ts"
import { SHARDKV_TESTS } from "./model.ts"

export const SCORED_SCENARIOS = ["single-group-basic", "multi-group-join-leave", "master-moves-shards", "unreliable-join-leave", "repeated-shard-movement", "group-server-restart"] as const

/** Handoffs delivered along a run, distinct shard moves (shard, configuration) and the bytes of shard data delivered. */
export const handoffTraffic = (path: Path<TimedState, TimedEvent> | undefined) => {
  let delivered = 0
  let bytes = 0
  const moves = new Set<string>()
  for (const step of path?.steps ?? []) {
    const e = step.label
    if (e.k !== "deliver" || !(e.env.msg instanceof ShardHandoff)) continue
    const h = e.env.msg
    delivered++
    bytes += JSON.stringify(toPlain(h.data)).length
    moves.add(`${h.shard}@${h.num}`)
  }
  return { shardHandoffsDelivered: delivered, shardsMoved: moves.size, shardBytesMoved: bytes }
}

export const shardKvScores = (seed = 1, names: ReadonlyArray<keyof typeof SHARDKV_TESTS> = SCORED_SCENARIOS, params: Params = {}): Record<string, object> => {
  const out: Record<string, object> = {}
  for (const name of names) {
    const t = SHARDKV_TESTS[name]
    const system = t.build(params, seed)
    const t0 = performance.now()
    const r = explore(system, { ...("options" in t ? t.options : {}), seed })
    const path = r.path as Path<TimedState, TimedEvent> | undefined
    const end = path ? (path.steps.at(-1)?.state ?? path.initial) : undefined
    out[name] = { verdict: r.verdict, ...(end && "now" in end ? simReport(end) : {}), ...handoffTraffic(path), seconds: +((performance.now() - t0) / 1000).toFixed(3) }
  }
  return out
}
