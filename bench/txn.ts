/**
 * Strict-serializability check speed on generated histories of 100, 1,000 and 10,000 transactions
 * over 2-5 keys each (bench/txn-history.ts: 8 closed-loop clients; 30% MultiGet, 20% MultiPut, 45%
 * read-modify-write, 5% Swap; 1% unknown outcomes, 1% aborted),
 * on a hot store (10 keys: one component) and a wide one (1,000 keys); the same histories with a
 * stale read planted at the end (time to the failing verdict with its smallest failing set); and
 * the largest hot history decided within 10 s. Minimisation shrinks a failure only where no swap
 * moves values, so the planted stale read is also measured on the same mix without swaps.
 *
 * Run alone: node --import tsx bench/txn.ts
 */
import { loadavg } from "node:os"
import { pathToFileURL } from "node:url"
import { checkStrictSerializability, type Transaction } from "../src/linearizability/serializability.ts"
import { txnHistory } from "./txn-history.ts"

const SEED = 7
const SIZES = [100, 1000, 10_000]
const LIMIT_SECONDS = 10
const round = (x: number) => Math.round(x * 1000) / 1000

const history = (transactions: number, keys: number, unknown = 0.01, swaps = 0.05) => txnHistory({ transactions, keys, perTxn: [2, 5], clients: 8, seed: SEED, unknown, aborted: 0.01, swaps })

/** Wall and CPU seconds (the machine may be shared: CPU time is what a quiet one would take). */
const timed = (txns: ReadonlyArray<Transaction>, timeoutSeconds = 120) => {
  const start = performance.now()
  const cpu = process.cpuUsage()
  const r = checkStrictSerializability(txns, { timeoutSeconds })
  const used = process.cpuUsage(cpu)
  return { r, seconds: (performance.now() - start) / 1000, cpuSeconds: (used.user + used.system) / 1e6 }
}

/** A write of k0 at `at` and then, after it returned, a read of the value k0 had before it. */
const stale = (before: string | undefined, at: number): Transaction[] => [
  { client: 8, call: at, return: at + 1, status: "committed", txn: { steps: [{ op: "write", key: "k0", value: "planted" }] }, reads: [] },
  { client: 9, call: at + 2, return: at + 3, status: "committed", txn: { steps: [{ op: "read", key: "k0" }] }, reads: [before ?? null] },
]

const row = (n: number, keys: number) => {
  const { transactions } = history(n, keys)
  const runs = Array.from({ length: n >= 10_000 ? 1 : 3 }, () => timed(transactions))
  const bad = runs.find((x) => x.r.verdict !== "strictly-serializable")
  if (bad) throw new Error(`${n} transactions over ${keys} keys: ${bad.r.verdict}, expected strictly-serializable`)
  const plant = (swaps: number) => {
    const plain = history(n, keys, 0, swaps)
    const end = Math.max(...plain.transactions.map((t) => t.return ?? t.call)) + 1
    const planted = timed([...plain.transactions, ...stale(plain.final.k0, end)])
    if (planted.r.verdict !== "not-strictly-serializable") throw new Error(`${n} transactions with a stale read: ${planted.r.verdict}`)
    return planted
  }
  const planted = plant(0.05)
  const noSwaps = plant(0)
  return {
    transactions: n,
    components: runs[0]!.r.components,
    seconds: round(Math.min(...runs.map((x) => x.seconds))),
    cpuSeconds: round(Math.min(...runs.map((x) => x.cpuSeconds))),
    staleReadSeconds: round(planted.seconds),
    staleReadCpuSeconds: round(planted.cpuSeconds),
    failingSet: planted.r.failure?.subHistory?.origin.length ?? null,
    staleReadNoSwapsCpuSeconds: round(noSwaps.cpuSeconds),
    failingSetNoSwaps: noSwaps.r.failure?.subHistory?.origin.length ?? null,
  }
}

export async function benchTxn(): Promise<object> {
  const table = (keys: number) => {
    const rows = SIZES.map((n) => row(n, keys))
    const ratio = (a: number, b: number) => round(rows[b]!.cpuSeconds / Math.max(rows[a]!.cpuSeconds, 1e-6))
    process.stderr.write(`bench txn: ${keys} keys done\n`)
    return { keys, rows, cpuRatio1000to100: ratio(0, 1), cpuRatio10000to1000: ratio(1, 2) }
  }
  const hot = table(10)
  const wide = table(1000)
  // Largest hot history decided within the limit (in CPU seconds): double until one is not.
  let largest = { transactions: 0, seconds: 0, cpuSeconds: 0 }
  for (let n = 20_000; n <= 320_000; n *= 2) {
    const { r, seconds, cpuSeconds } = timed(history(n, 10).transactions, 12 * LIMIT_SECONDS)
    if (r.verdict === "unknown" || cpuSeconds > LIMIT_SECONDS) break
    largest = { transactions: n, seconds: round(seconds), cpuSeconds: round(cpuSeconds) }
  }
  return { seed: SEED, clients: 8, keysPerTransaction: "2-5", loadAverage: loadavg()[0], hot, wide, largestHotWithin10s: largest }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await benchTxn(), null, 2))
}
