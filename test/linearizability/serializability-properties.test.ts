/**
 * Properties of the strict-serializability check on generated histories: executions run one
 * transaction at a time and given overlapping intervals must pass (with a valid witness); small
 * histories agree with a brute force over all orders of whole-store states (so this does not rely on
 * the split into components); known anomalies injected at the end must fail. fast-check's seed is
 * fixed (SEED) so runs are reproducible.
 */
import test from "ava"
import fc from "fast-check"
import type { KeyValue, KvState } from "../../spec/kv.ts"
import { kvTxnApply, type TxnStep } from "../../spec/kv-txn.ts"
import { checkStrictSerializability, type Transaction, type TxnStatus } from "../../src/linearizability/serializability.ts"
import { makeTxnModel } from "../../src/linearizability/txn-model.ts"
import { tx, validSerialization } from "./txn-data.ts"

const SEED = 20261206
const KEYS = ["a", "b", "c", "d"]

/** Strictly serializable by definition, by trying every order. */
const bruteForce = (txns: ReadonlyArray<Transaction>): boolean => {
  const used = txns.map((t) => t.status === "aborted")
  const search = (state: KvState): boolean => {
    if (txns.every((t, i) => used[i] || t.status !== "committed")) return true
    return txns.some((t, i) => {
      if (used[i] || txns.some((o, j) => !used[j] && o.status === "committed" && o.return! < t.call)) return false
      const { output, next } = kvTxnApply(state, t.txn)
      if (t.status === "committed" && JSON.stringify(output.reads) !== JSON.stringify(t.reads)) return false
      used[i] = true
      const ok = search(next)
      used[i] = false
      return ok
    })
  }
  return search({})
}

interface Plan {
  readonly steps: ReadonlyArray<{ kind: number; key: string; other: string; del: boolean }>
  readonly early: number
  readonly late: number
  readonly client: number
  /** 0-5 committed, 6 unknown and applied, 7 unknown and not applied, 8 aborted. */
  readonly fate: number
  readonly gaveUp: boolean
}

const plan = (swaps: boolean): fc.Arbitrary<Plan> =>
  fc.record({
    steps: fc.array(fc.record({ kind: fc.integer({ min: 0, max: swaps ? 2 : 1 }), key: fc.constantFrom(...KEYS), other: fc.constantFrom(...KEYS), del: fc.boolean() }), { minLength: 1, maxLength: 4 }),
    early: fc.integer({ min: 0, max: 25 }),
    late: fc.integer({ min: 0, max: 25 }),
    client: fc.integer({ min: 0, max: 3 }),
    fate: fc.integer({ min: 0, max: 8 }),
    gaveUp: fc.boolean(),
  })

/**
 * Runs the transactions one at a time; transaction k takes effect at time 10k + 10, inside its
 * interval. Written values are unique; `deletes` lets some writes make their key absent.
 */
const sequential = (plans: ReadonlyArray<Plan>, deletes: boolean): { txns: Transaction[]; state: KvState } => {
  let state: KvState = {}
  let fresh = 0
  const txns = plans.map((p, k): Transaction => {
    const steps = p.steps.map((s): TxnStep =>
      s.kind === 0 ? { op: "read", key: s.key } : s.kind === 1 ? { op: "write", key: s.key, value: deletes && s.del ? null : `v${fresh++}` } : { op: "swap", key: s.key, with: s.other }
    )
    const { output, next } = kvTxnApply(state, { steps })
    const status: TxnStatus = p.fate <= 5 ? "committed" : p.fate <= 7 ? "unknown" : "aborted"
    if (p.fate <= 6) state = next
    const at = 10 * k + 10
    const ret = status === "unknown" && p.gaveUp ? null : at + p.late
    return { client: p.client, call: at - p.early, return: ret, status, txn: { steps }, reads: status === "committed" ? output.reads : null }
  })
  return { txns, state }
}

const histories = (max: number, swaps = true) => fc.array(plan(swaps), { minLength: 1, maxLength: max }).map((ps) => sequential(ps, swaps).txns)

/** One read of a committed transaction replaced by an arbitrary value. */
const corrupted = (max: number) =>
  fc
    .tuple(histories(max), fc.nat(), fc.constantFrom<KeyValue>(null, "v0", "v1", "v2", "v3"))
    .filter(([h, i]) => (h[i % h.length]!.reads?.length ?? 0) > 0)
    .map(([h, i, v]) => h.map((t, j) => (j === i % h.length ? { ...t, reads: [v, ...t.reads!.slice(1)] } : t)))

test("executions run one at a time, with overlapping intervals, are strictly serializable with a valid witness", (t) => {
  fc.assert(
    fc.property(histories(40), (h) => {
      const r = checkStrictSerializability(h)
      return r.verdict === "strictly-serializable" && validSerialization(h, r.witness!)
    }),
    { seed: SEED, numRuns: 300 }
  )
  t.pass()
})

test("on small histories the check agrees with brute force, and a failing set fails on its own", (t) => {
  let failing = 0
  fc.assert(
    fc.property(fc.oneof(histories(7), corrupted(7)), (h) => {
      const expected = bruteForce(h)
      const r = checkStrictSerializability(h)
      if (expected) return r.verdict === "strictly-serializable"
      failing++
      const sub = r.failure?.subHistory
      return r.verdict === "not-strictly-serializable" && sub !== undefined && !bruteForce(sub.origin.map((i) => h[i]!))
    }),
    { seed: SEED, numRuns: 1000 }
  )
  t.true(failing > 100, `only ${failing} failing histories generated`)
})

/** Anomalies over keys whose current values are `x` and `y`, called after everything else returned, with fresh values. */
const ANOMALIES: Record<string, (x: string, y: string, at: number) => Transaction[]> = {
  "lost update": (x, _y, at) => [tx(8, at, at + 5, `r(a)=${x} w(a)=n1`), tx(9, at + 1, at + 6, `r(a)=${x} w(a)=n2`)],
  "write skew": (x, y, at) => [tx(8, at, at + 5, `r(a)=${x} r(b)=${y} w(a)=n1`), tx(9, at + 1, at + 6, `r(a)=${x} r(b)=${y} w(b)=n2`)],
  "read skew": (x, _y, at) => [tx(8, at, at + 1, "w(a)=n1 w(b)=n2"), tx(9, at + 2, at + 3, `r(a)=${x} r(b)=n2`)],
  "fractured read": (_x, y, at) => [tx(8, at, at + 5, "w(a)=n1 w(b)=n2"), tx(9, at + 1, at + 6, `r(a)=n1 r(b)=${y}`)],
  "stale read": (x, _y, at) => [tx(8, at, at + 1, "w(a)=n1"), tx(9, at + 2, at + 3, `r(a)=${x}`)],
}

for (const [name, inject] of Object.entries(ANOMALIES)) {
  test(`${name} injected after a serializable history is caught, with a small failing set that holds it`, (t) => {
    fc.assert(
      fc.property(fc.array(plan(false), { minLength: 1, maxLength: 30 }), (plans) => {
        // No unknown outcomes before the anomaly: one could land late and make it serializable.
        const { txns, state } = sequential(plans.map((p) => (p.fate === 6 || p.fate === 7 ? { ...p, fate: 0 } : p)), false)
        const end = Math.max(...txns.map((t) => t.return ?? t.call)) + 1
        const value = (k: string) => state[k] ?? "_"
        const h = [...txns, ...inject(value("a"), value("b"), end)]
        const r = checkStrictSerializability(h)
        const set = r.failure?.subHistory?.origin ?? []
        // The anomaly and at most the writers of the two values it read.
        return r.verdict === "not-strictly-serializable" && set.includes(h.length - 1) && set.length <= 4
      }),
      { seed: SEED, numRuns: 150 }
    )
    t.pass()
  })
}

test("the search's model of interned stores agrees with spec/kv-txn, step by step", (t) => {
  // 40 keys: stores span two chunks.
  const keys = Array.from({ length: 40 }, (_, i) => `k${i}`)
  const step = fc.array(
    fc.oneof(
      fc.record({ op: fc.constant("read" as const), key: fc.constantFrom(...keys) }),
      fc.record({ op: fc.constant("write" as const), key: fc.constantFrom(...keys), value: fc.constantFrom(null, "x", "y") }),
      fc.record({ op: fc.constant("swap" as const), key: fc.constantFrom(...keys), with: fc.constantFrom(...keys) })
    ),
    { maxLength: 5 }
  )
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), (txns) => {
      const model = makeTxnModel(keys)
      let state = model.init()
      let store: KvState = {}
      const seen = new Map<string, number>()
      return txns.every((steps) => {
        const txn = { steps }
        const { output, next } = kvTxnApply(store, txn)
        const id = model.step(state, txn, output)
        const wrong = { reads: output.reads.map((v) => (v === "x" ? "y" : "x")) }
        if (id === undefined || (output.reads.length > 0 && model.step(state, txn, wrong) !== undefined)) return false
        ;[state, store] = [id, next]
        // Equal stores, one id.
        const text = JSON.stringify(store)
        if (seen.has(text) && seen.get(text) !== id) return false
        seen.set(text, id)
        return model.describeState!(id) === text
      })
    }),
    { seed: SEED, numRuns: 300 }
  )
  t.pass()
})
