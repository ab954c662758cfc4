/**
 * Seeded histories of KV transactions for benchmarks: closed-loop clients, each transaction taking
 * effect at a random point inside its interval, applied to spec/kv-txn in the order of those points,
 * so the history is strictly serializable by construction. Written values are unique.
 */
import type { KvState } from "../spec/kv.ts"
import { kvTxnApply, type TxnStep } from "../spec/kv-txn.ts"
import { Rng } from "../src/checker/random.ts"
import type { Transaction, TxnStatus } from "../src/linearizability/serializability.ts"

export interface TxnHistoryOptions {
  readonly transactions: number
  /** Keys in the store (k0, k1, ...). */
  readonly keys: number
  /** Keys per transaction, inclusive bounds. */
  readonly perTxn: readonly [number, number]
  readonly clients: number
  readonly seed: number
  /** Share of transactions with an unknown outcome (half of them took effect) and of aborted ones. */
  readonly unknown?: number
  readonly aborted?: number
  /** Share of Swap transactions (the rest: 30% MultiGet, 20% MultiPut, read-modify-write). */
  readonly swaps?: number
}

/** The history, and the store after every transaction that took effect. */
export const txnHistory = (o: TxnHistoryOptions): { readonly transactions: Transaction[]; readonly final: KvState } => {
  const rng = new Rng(o.seed)
  const free = Array.from({ length: o.clients }, () => rng.int(10))
  let fresh = 0
  const planned = Array.from({ length: o.transactions }, () => {
    const client = free.indexOf(Math.min(...free))
    const call = free[client]!
    const ret = call + 1 + rng.int(20)
    free[client] = ret + 1 + rng.int(3)
    const keys = rng.shuffle(Array.from({ length: o.keys }, (_, i) => `k${i}`)).slice(0, rng.range(o.perTxn[0], o.perTxn[1]))
    const roll = rng.next()
    const kind = roll < (o.swaps ?? 0) ? 3 : roll < 0.3 ? 0 : roll < 0.5 ? 1 : 2
    const steps: TxnStep[] =
      kind === 0
        ? keys.map((key) => ({ op: "read", key }))
        : kind === 1
          ? keys.map((key) => ({ op: "write", key, value: `v${fresh++}` }))
          : kind === 2
            ? [...keys.map((key): TxnStep => ({ op: "read", key })), ...keys.map((key): TxnStep => ({ op: "write", key, value: `v${fresh++}` }))]
            : [{ op: "swap", key: keys[0]!, with: keys[1]! }, ...keys.slice(2).map((key): TxnStep => ({ op: "read", key }))]
    const fate = rng.next()
    const status: TxnStatus = fate < (o.unknown ?? 0) ? "unknown" : fate < (o.unknown ?? 0) + (o.aborted ?? 0) ? "aborted" : "committed"
    const applied = status === "committed" || (status === "unknown" && rng.int(2) === 0)
    return { client, call, ret, point: call + rng.next() * (ret - call), steps, status, applied }
  })
  const reads = new Map<number, ReadonlyArray<string | null>>()
  let state: KvState = {}
  for (const i of planned.map((_, i) => i).sort((a, b) => planned[a]!.point - planned[b]!.point)) {
    const p = planned[i]!
    if (!p.applied) continue
    const { output, next } = kvTxnApply(state, { steps: p.steps })
    state = next
    reads.set(i, output.reads)
  }
  const transactions = planned.map((p, i): Transaction => ({
    client: p.client,
    call: p.call,
    return: p.status === "unknown" ? null : p.ret,
    status: p.status,
    txn: { steps: p.steps },
    reads: p.status === "committed" ? reads.get(i)! : null,
  }))
  return { transactions, final: state }
}
