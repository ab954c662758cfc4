/**
 * Strict serializability of a history of KV transactions against spec/kv-txn: is there one order of
 * the committed transactions (and of any of those whose outcome is unknown) that is a legal
 * sequential execution of the store and respects real time (a transaction that returned before
 * another was called comes first)?
 *
 * A committed transaction is one step of the spec, so this is linearizability of transactions as
 * operations, decided by the same Wing-Gong/Lowe search (search.ts) with memoisation of
 * (transactions done, store). Transactions are split into components by key-connectivity (two
 * transactions that share a key are in one component): each transaction is then an operation on one
 * component, and by locality the history is strictly serializable iff every component is.
 *
 * Outcomes: "aborted" took no effect and is left out; "unknown" (a timeout, a lost answer) may have
 * taken effect at any time after its call, or never, and its reads are not known (as Jepsen treats
 * :info operations: an indeterminate commit may still land after the client gave up). An unknown
 * transaction whose writes nobody read is left out too: it need never take effect.
 *
 * The model (txn-model.ts) adds forward checking, so a wrong early order of blind writes fails as
 * soon as a read still to come can no longer be satisfied, not when that read is reached.
 */
import type { KeyValue } from "../../spec/kv.ts"
import { type KvTxn, type KvTxnOutput, txnKeys, txnReadCount } from "../../spec/kv-txn.ts"
import { type CheckOptions, checkPartitions, type Failure, type LinearizabilityResult } from "./check.ts"
import { type History, HistoryError, validateHistory } from "./history.ts"
import type { AnyModel } from "./model.ts"
import type { Partition } from "./partition.ts"
import { makeTxnModel, unreadUnknowns } from "./txn-model.ts"

export type TxnStatus = "committed" | "aborted" | "unknown"

export interface Transaction {
  readonly client: number
  readonly call: number
  /** When the client heard back; null: never (only for an unknown outcome). */
  readonly return: number | null
  readonly status: TxnStatus
  readonly txn: KvTxn
  /** The values read, in the order of the reads: given when committed, null otherwise. */
  readonly reads: ReadonlyArray<KeyValue> | null
  /** Line in the source file, for messages. */
  readonly line?: number
}

export type SerializabilityVerdict = "strictly-serializable" | "not-strictly-serializable" | "unknown"

export interface SerializabilityResult {
  readonly verdict: SerializabilityVerdict
  /** All transactions, aborted ones included. */
  readonly transactions: number
  readonly components: number
  readonly steps: number
  readonly seconds: number
  /**
   * When strictly serializable: one serialisation order that respects real time, of the committed
   * transactions and of those of unknown outcome that took effect in it.
   */
  readonly witness?: ReadonlyArray<number>
  /**
   * When not: the failing component, and in `failure.subHistory` the smallest failing set found
   * (indices into the transactions throughout).
   */
  readonly failure?: Failure
  readonly reason?: string
  /** The search's own result, in terms of operations (one per transaction, same indices). */
  readonly search: LinearizabilityResult
}

const VERDICT = { linearizable: "strictly-serializable", "not-linearizable": "not-strictly-serializable", unknown: "unknown" } as const

const where = (t: Transaction, i: number) => (t.line === undefined ? `transaction ${i}` : `transaction at line ${t.line}`)

/** One operation per transaction (same index); an unknown outcome never returned, as far as the search knows. */
export const transactionHistory = (txns: ReadonlyArray<Transaction>): History<KvTxn, KvTxnOutput> =>
  txns.map((t, i) => {
    if (t.status === "committed") {
      if (t.return === null) throw new HistoryError(`${where(t, i)}: a committed transaction needs its return time`)
      if (t.reads === null || t.reads.length !== txnReadCount(t.txn)) throw new HistoryError(`${where(t, i)}: a committed transaction needs one value per read`)
    }
    const done = t.status === "committed"
    return { client: t.client, call: t.call, return: done ? t.return : null, input: t.txn, output: done ? { reads: t.reads! } : null, ...(t.line === undefined ? {} : { line: t.line }) }
  })

/** Components of the transactions that may have taken effect, by shared keys (union-find); keyed by their sorted keys, each with its model. */
export const keyComponents = (txns: ReadonlyArray<Transaction>): Partition[] => {
  const parent = new Map<string, string>()
  const find = (k: string): string => {
    let root = k
    while (parent.get(root) !== root) root = parent.get(root)!
    for (let x = k; x !== root; ) {
      const up = parent.get(x)!
      parent.set(x, root)
      x = up
    }
    return root
  }
  const live = txns.flatMap((t, i) => (t.status === "aborted" ? [] : [i]))
  for (const i of live) {
    const keys = txnKeys(txns[i]!.txn)
    for (const k of keys) if (!parent.has(k)) parent.set(k, k)
    for (const k of keys.slice(1)) parent.set(find(k), find(keys[0]!))
  }
  const groups = new Map<string, number[]>()
  for (const i of live) {
    const keys = txnKeys(txns[i]!.txn)
    const root = keys.length === 0 ? `\0${i}` : find(keys[0]!)
    const group = groups.get(root)
    if (group === undefined) groups.set(root, [i])
    else group.push(i)
  }
  return Array.from(groups.values(), (ops) => {
    const keys = [...new Set(ops.flatMap((i) => txnKeys(txns[i]!.txn)))].sort()
    return { key: keys.join(","), ops, model: makeTxnModel(keys) as unknown as AnyModel }
  })
}

/**
 * One order of all transactions from per-component orders: each transaction gets the earliest point
 * at or after its call and its predecessor's point (never past its return, as the component's order
 * respects real time), and points merge across components.
 */
const mergeOrders = (history: History<unknown, unknown>, orders: ReadonlyArray<ReadonlyArray<number>>): number[] => {
  const points: Array<[number, number, number]> = []
  orders.forEach((order, c) => {
    let t = -Infinity
    for (const i of order) {
      t = Math.max(t, history[i]!.call)
      points.push([t, c, i])
    }
  })
  // Stable sort: within a component and a point, the component's order stands.
  return points.sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, , i]) => i)
}

/** Decides strict serializability; `options.startedAt` lets the time budget cover parsing too. */
export const checkStrictSerializability = (txns: ReadonlyArray<Transaction>, options: CheckOptions = {}): SerializabilityResult => {
  const start = options.startedAt ?? performance.now()
  const history = transactionHistory(txns)
  validateHistory(history)
  const model = makeTxnModel(txns.flatMap((t) => txnKeys(t.txn))) as unknown as AnyModel
  // Unknown outcomes whose writes nobody read never need to take effect: leave them out.
  const silent = new Set(unreadUnknowns(history))
  const partitions = keyComponents(txns.map((t, i) => (silent.has(i) ? { ...t, status: "aborted" as const } : t)))
  const search = checkPartitions(model, history, partitions, { ...options, startedAt: start })
  return {
    verdict: VERDICT[search.verdict],
    transactions: txns.length,
    components: partitions.length,
    steps: search.steps,
    seconds: search.seconds,
    ...(search.witness ? { witness: mergeOrders(history, search.witness.map((w) => w.order)) } : {}),
    ...(search.failure ? { failure: search.failure } : {}),
    ...(search.reason ? { reason: search.reason } : {}),
    search,
  }
}
