/**
 * Transactions written compactly for tests: `tx(client, call, return, "r(x)=1 w(y)=2 swap(x,y)")`,
 * `_` for an absent value (a read of nothing, a delete).
 */
import type { KeyValue } from "../../spec/kv.ts"
import type { TxnStep } from "../../spec/kv-txn.ts"
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
