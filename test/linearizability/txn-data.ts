/**
 * Transactions written compactly for tests: `tx(client, call, return, "r(x)=1 w(y)=2 swap(x,y)")`,
 * `_` for an absent value (a read of nothing, a delete).
 */
import type { KeyValue, KvState } from "../../spec/kv.ts"
import { kvTxnApply, type TxnStep } from "../../spec/kv-txn.ts"
import type { Transaction, TxnStatus } from "../../src/linearizability/serializability.ts"

const value = (v: string): KeyValue => (v === "_" ? null : v)

export const tx = (client: number, call: number, ret: number | null, body: string, status: TxnStatus = "committed"): Transaction => {
  const steps: TxnStep[] = []
  const reads: KeyValue[] = []
  for (const word of body.trim().split(/\s+/)) {
    const m = /^(r|w)\((\w+)\)=(\w+)$|^swap\((\w+),(\w+)\)$/.exec(word)
    if (!m) throw new Error(`bad step ${word}`)
    if (m[1] === "r") {
      steps.push({ op: "read", key: m[2]! })
      reads.push(value(m[3]!))
    } else if (m[1] === "w") steps.push({ op: "write", key: m[2]!, value: value(m[3]!) })
    else steps.push({ op: "swap", key: m[4]!, with: m[5]! })
  }
  return { client, call, return: ret, status, txn: { steps }, reads: status === "committed" ? reads : null }
}

/** A strict serialisation: every committed transaction once (unknown ones at most once), legal for the store, respecting real time. */
export const validSerialization = (txns: ReadonlyArray<Transaction>, order: ReadonlyArray<number>): boolean => {
  if (new Set(order).size !== order.length) return false
  if (txns.some((t, i) => t.status === "committed" && !order.includes(i))) return false
  let state: KvState = {}
  return order.every((i, p) => {
    const t = txns[i]!
    if (t.status === "aborted") return false
    const { output, next } = kvTxnApply(state, t.txn)
    state = next
    if (t.status === "committed" && JSON.stringify(output.reads) !== JSON.stringify(t.reads)) return false
    return order.slice(p + 1).every((j) => txns[j]!.status !== "committed" || !(txns[j]!.return! < t.call))
  })
}
