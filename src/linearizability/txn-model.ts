/**
 * spec/kv's transactions as a sequential model for the search: a transaction is one operation, the
 * state is the store over the keys of one component, encoded as its canonical JSON (so equal stores
 * are equal strings, which the search interns). Strict serializability of transactions is then
 * linearizability of these operations.
 */
import type { KeyValue, KvState } from "../../spec/kv.ts"
import { describeTxn, type KvTxn, type KvTxnOutput, kvTxnApply, txnWrites } from "../../spec/kv-txn.ts"
import type { History } from "./history.ts"
import type { Model } from "./model.ts"

/** Decoded stores kept at most; past that the cache starts again (it only saves parsing). */
const CACHE_MAX = 100_000

const sameReads = (a: ReadonlyArray<KeyValue>, b: ReadonlyArray<KeyValue>): boolean => a.length === b.length && a.every((v, i) => v === b[i])

const hasSwap = (txn: KvTxn) => txn.steps.some((s) => s.op === "swap")

/**
 * Removing transactions is sound when nobody left read what they wrote: in any serialisation of the
 * larger history, every remaining read still follows the same last write. Swaps move values around,
 * so with a swap in play only read-only transactions may go.
 */
const canRemove = (ops: History<KvTxn, KvTxnOutput>, drop: ReadonlySet<number>): boolean => {
  const dropped = [...drop].map((i) => ops[i]!.input)
  if (!dropped.some(txnWrites)) return true
  if (ops.some((op) => hasSwap(op.input))) return false
  const written = new Set(dropped.flatMap((t) => t.steps.flatMap((s) => (s.op === "write" ? [`${s.key}\0${JSON.stringify(s.value)}`] : []))))
  return ops.every((op, i) => {
    if (drop.has(i) || op.output === null) return true
    let r = 0
    return op.input.steps.every((s) => s.op !== "read" || !written.has(`${s.key}\0${JSON.stringify(op.output!.reads[r++])}`))
  })
}

/** A fresh model (each has its own cache of decoded stores). */
export const makeTxnModel = (): Model<KvTxn, KvTxnOutput, string> => {
  const decoded = new Map<string, KvState>()
  const decode = (state: string): KvState => {
    let store = decoded.get(state)
    if (store === undefined) {
      if (decoded.size >= CACHE_MAX) decoded.clear()
      store = JSON.parse(state) as KvState
      decoded.set(state, store)
    }
    return store
  }
  return {
    name: "kv transactions",
    init: () => "{}",
    step: (state, input, output) => {
      const before = decode(state)
      const { output: result, next } = kvTxnApply(before, input)
      if (output !== null && !sameReads(result.reads, output.reads)) return undefined
      if (next === before) return state
      const encoded = JSON.stringify(next)
      if (decoded.size < CACHE_MAX) decoded.set(encoded, next)
      return encoded
    },
    readOnly: (input) => !txnWrites(input),
    describe: describeTxn,
    describeState: (state) => state,
    canRemove,
  }
}
