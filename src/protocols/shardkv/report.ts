/**
 * The shard store's scores of a simulated run, as for Raft: the simulator's report (messages between
 * servers, unanswered requests, median and p99 latency) plus what only the run's events show: the
 * shard handoffs delivered, the distinct shard moves and the shard bytes moved (the JSON size of every
 * delivered handoff's data: keys, values and the exactly-once table), and the failed requests (replies
 * a client got that did not complete its operation: wrong group, or the shard not ready).
 */
import { toPlain } from "../../core/show.ts"
import { simReport, type TimedEvent, type TimedState } from "../../core/timed.ts"
import { ShardHandoff, ShardReply } from "./messages.ts"

/** Handoffs delivered along a run's events, distinct shard moves (shard, configuration), the bytes of shard data delivered, and failed requests. */
export const runTraffic = (events: ReadonlyArray<TimedEvent>) => {
  let delivered = 0
  let bytes = 0
  let failed = 0
  const moves = new Set<string>()
  for (const e of events) {
    if (e.k !== "deliver") continue
    const m = e.env.msg
    if (m instanceof ShardReply && (m.result._tag === "WrongGroup" || m.result._tag === "NotReady")) failed++
    if (!(m instanceof ShardHandoff)) continue
    delivered++
    bytes += JSON.stringify(toPlain(m.data)).length
    moves.add(`${m.shard}@${m.num}`)
  }
  return { shardHandoffsDelivered: delivered, shardsMoved: moves.size, shardBytesMoved: bytes, failedRequests: failed }
}

/** The scores a simulated shard store run prints (`tla-ts check shardkv --test NAME`) and the bench reports. */
export const shardKvReport = (s: TimedState, events?: ReadonlyArray<TimedEvent>) => ({ ...simReport(s), ...(events ? runTraffic(events) : {}) })
