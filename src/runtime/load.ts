/**
 * Closed-loop load on a cluster: each of N clients issues one operation at a time until the time is
 * up, with keys and values drawn from a seeded generator. Records latencies, errors and, optionally,
 * the history (operations that timed out never returned; their client is retired and a fresh one, with a
 * new id, takes its place, since a client has one operation in flight).
 */
import type { KvInput, KvOutput } from "../../spec/kv.ts"
import { Rng } from "../checker/random.ts"
import type { Operation } from "../linearizability/history.ts"
import { type ClusterClient, OperationTimeout, type Session } from "./client.ts"
import { toCommand, toOutput } from "./kv-ops.ts"

/**
 * put, get, append: that operation on random keys; mixed: half gets, half puts; jepsen: 40% puts of
 * fresh keys (each acknowledged one is read back at the end) and 60% gets, puts and appends on the
 * hot keys (checked by lincheck).
 */
export type Workload = "put" | "get" | "mixed" | "append" | "jepsen"
export const WORKLOADS: ReadonlyArray<Workload> = ["put", "get", "mixed", "append", "jepsen"]

export interface LoadOptions {
  readonly clients: number
  readonly seconds: number
  readonly valueSize: number
  readonly keys: number
  readonly workload: Workload
  readonly seed: number
  readonly opTimeoutMs: number
  /** Stop after this many operations in all (default: no limit). */
  readonly maxOps?: number
  readonly history?: boolean
  /** Called on every acknowledged operation with the time it was invoked (performance.now()): a fault schedule waits for progress, not for the clock alone. */
  readonly onDone?: (call: number) => void
  /**
   * Once `seconds` are up, the clients go on while this says so (a fault schedule not yet done, or no
   * operation acknowledged since its last fault), for at most `graceSeconds` more (default 0).
   */
  readonly more?: () => boolean
  readonly graceSeconds?: number
}

export interface LoadReport {
  readonly ops: number
  readonly seconds: number
  readonly throughput: number
  readonly p50ms: number | null
  readonly p99ms: number | null
  readonly errors: number
  readonly timeouts: number
  /** Acknowledged writes (puts and appends). */
  readonly acked: number
  /** jepsen: every acknowledged put of a fresh key, key to value. */
  readonly fresh: ReadonlyMap<string, string>
  readonly history?: Array<Operation<KvInput, KvOutput>>
}

export const percentile = (sorted: ReadonlyArray<number>, p: number): number | null =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!

const keyName = (i: number) => `k${i}`

/** Writes every key once, so gets find values (sequentially through a few clients). */
export const preload = async (client: ClusterClient, keys: number, valueSize: number, timeoutMs: number): Promise<void> => {
  const sessions = Array.from({ length: Math.min(16, keys) }, () => client.session())
  let next = 0
  await Promise.all(
    sessions.map(async (s) => {
      while (next < keys) {
        const k = next++
        await s.execute(toCommand({ op: "put", key: keyName(k), value: "p".repeat(valueSize) }), timeoutMs)
      }
      client.forget(s)
    })
  )
}

export const runLoad = async (client: ClusterClient, o: LoadOptions, t0 = performance.now()): Promise<LoadReport> => {
  const rng = new Rng(o.seed)
  const latencies: number[] = []
  const history: Array<Operation<KvInput, KvOutput>> = []
  let errors = 0
  let timeouts = 0
  let acked = 0
  let started = 0
  let nextClient = 0
  const start = performance.now()
  const end = start + o.seconds * 1000
  const hardEnd = end + (o.graceSeconds ?? 0) * 1000
  const going = () => {
    const now = performance.now()
    return now < end || (now < hardEnd && o.more?.() === true)
  }
  const maxOps = o.maxOps ?? Infinity
  const pad = Math.max(0, o.valueSize)
  const valueOf = (c: number, n: number) => {
    const base = `${c}.${n}.`
    return base.length >= pad ? base : base + "v".repeat(pad - base.length)
  }
  const fresh = new Map<string, string>()
  const pick = (c: number, n: number): KvInput => {
    if (o.workload === "jepsen") {
      const r = rng.int(10)
      if (r < 4) return { op: "put", key: `u${c}.${n}`, value: valueOf(c, n) }
      const key = keyName(rng.int(o.keys))
      return r < 7 ? { op: "get", key } : r < 9 ? { op: "put", key, value: valueOf(c, n) } : { op: "append", key, value: `${c}.${n};` }
    }
    const key = keyName(rng.int(o.keys))
    const op = o.workload === "mixed" ? (rng.int(2) === 0 ? "get" : "put") : o.workload
    return op === "get" ? { op, key } : { op, key, value: valueOf(c, n) }
  }
  const loop = async () => {
    let session: Session = client.session()
    let me = nextClient++
    let n = 0
    while (going() && started < maxOps) {
      started++
      const input = pick(me, n++)
      const call = performance.now()
      try {
        const result = await session.execute(toCommand(input), o.opTimeoutMs)
        const ret = performance.now()
        const output = toOutput(input, result)
        if (output === undefined) throw new Error(`${input.op} answered with ${result._tag}`)
        latencies.push(ret - call)
        o.onDone?.(call)
        if (input.op !== "get") acked++
        if (input.op === "put" && input.key.startsWith("u")) fresh.set(input.key, input.value)
        if (o.history) history.push({ client: me, call: call - t0, return: ret - t0, input, output })
      } catch (e) {
        if (!(e instanceof OperationTimeout)) throw e
        timeouts++
        errors++
        if (o.history) history.push({ client: me, call: call - t0, return: null, input, output: null })
        client.forget(session)
        session = client.session()
        me = nextClient++
      }
    }
    client.forget(session)
  }
  await Promise.all(Array.from({ length: o.clients }, loop))
  const seconds = (performance.now() - start) / 1000
  latencies.sort((a, b) => a - b)
  const round = (x: number | null) => (x === null ? null : Number(x.toFixed(3)))
  return {
    ops: latencies.length,
    seconds: Number(seconds.toFixed(3)),
    throughput: Math.round(latencies.length / seconds),
    p50ms: round(percentile(latencies, 50)),
    p99ms: round(percentile(latencies, 99)),
    errors,
    timeouts,
    acked,
    fresh,
    ...(o.history ? { history } : {}),
  }
}
