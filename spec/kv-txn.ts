/**
 * KV transactions: a transaction reads and writes a set of keys of the KV store (spec/kv.ts) as ONE
 * step. Its body is a list of steps run in order on the store as it stands, so a read after a write
 * of the same key in the same transaction sees that write:
 *
 *   read(k)        -> the value of k, null when absent
 *   write(k, v)    sets k to v (v null: makes k absent)
 *   swap(k1, k2)   exchanges the values of k1 and k2
 *
 * The result is the list of the values read, in order. MultiGet, MultiPut and Swap are transactions
 * of one shape each. `kvTxnSpec` is the store with its single-key operations and with transactions;
 * `kvTxnStepOf` is kvStepOf for refinements whose steps may change several keys at once.
 */
import type { TransitionSystem } from "../src/checker/transition-system.ts"
import { type KeyValue, type KvLabel, kvSpec, type KvSpecOptions, type KvState, kvStepOf, withValues } from "./kv.ts"

export type TxnStep =
  | { readonly op: "read"; readonly key: string }
  | { readonly op: "write"; readonly key: string; readonly value: KeyValue }
  | { readonly op: "swap"; readonly key: string; readonly with: string }

export interface KvTxn {
  readonly steps: ReadonlyArray<TxnStep>
}

/** The values read, in the order of the reads. */
export interface KvTxnOutput {
  readonly reads: ReadonlyArray<KeyValue>
}

export const multiGet = (keys: ReadonlyArray<string>): KvTxn => ({ steps: keys.map((key) => ({ op: "read", key })) })

export const multiPut = (entries: ReadonlyArray<readonly [string, KeyValue]>): KvTxn => ({ steps: entries.map(([key, value]) => ({ op: "write", key, value })) })

export const swap = (key: string, other: string): KvTxn => ({ steps: [{ op: "swap", key, with: other }] })

/** The keys a transaction touches, each once, in order of first use. */
export const txnKeys = (txn: KvTxn): string[] => [...new Set(txn.steps.flatMap((s) => (s.op === "swap" ? [s.key, s.with] : [s.key])))]

export const txnReadCount = (txn: KvTxn): number => txn.steps.reduce((n, s) => n + (s.op === "read" ? 1 : 0), 0)

/** True when the transaction can change the store (it writes or swaps). */
export const txnWrites = (txn: KvTxn): boolean => txn.steps.some((s) => s.op !== "read")

/** The transaction applied to the whole store, atomically. */
export const kvTxnApply = (state: KvState, txn: KvTxn): { readonly output: KvTxnOutput; readonly next: KvState } => {
  const updates = new Map<string, KeyValue>()
  const get = (key: string): KeyValue => (updates.has(key) ? updates.get(key)! : (state[key] ?? null))
  const reads: KeyValue[] = []
  for (const s of txn.steps) {
    if (s.op === "read") reads.push(get(s.key))
    else if (s.op === "write") updates.set(s.key, s.value)
    else {
      const [a, b] = [get(s.key), get(s.with)]
      updates.set(s.key, b)
      updates.set(s.with, a)
    }
  }
  return { output: { reads }, next: updates.size === 0 ? state : withValues(state, updates) }
}

const show = (v: KeyValue | undefined) => (v === undefined ? "?" : JSON.stringify(v))

/**
 * `MultiGet(a,b) -> ["1",null]`, `MultiPut(a="1",b="2")`, `Swap(a,b)`, and any other shape as
 * `Txn(r(a) -> "1", w(b,"2"), swap(a,b))`; `?` marks a value not known.
 */
export const describeTxn = (txn: KvTxn, output: KvTxnOutput | null): string => {
  const { steps } = txn
  const read = (i: number) => show(output?.reads[i])
  if (steps.length > 0 && steps.every((s) => s.op === "read")) return `MultiGet(${steps.map((s) => s.key).join(",")}) -> [${steps.map((_, i) => read(i)).join(",")}]`
  if (steps.length > 0 && steps.every((s) => s.op === "write")) return `MultiPut(${steps.map((s) => `${s.key}=${show(s.op === "write" ? s.value : undefined)}`).join(",")})`
  if (steps.length === 1 && steps[0]!.op === "swap") return `Swap(${steps[0]!.key},${steps[0]!.with})`
  let r = 0
  const parts = steps.map((s) => (s.op === "read" ? `r(${s.key}) -> ${read(r++)}` : s.op === "write" ? `w(${s.key},${show(s.value)})` : `swap(${s.key},${s.with})`))
  return `Txn(${parts.join(", ")})`
}

export type KvTxnLabel = KvLabel | { readonly input: KvTxn; readonly output: KvTxnOutput }

const subsets = <T>(xs: ReadonlyArray<T>): T[][] => xs.reduce<T[][]>((acc, x) => acc.concat(acc.map((s) => [...s, x])), [[]])

/** Every assignment of one of `values` to each of `keys`. */
const assignments = (keys: ReadonlyArray<string>, values: ReadonlyArray<string>): Array<Array<[string, string]>> =>
  keys.reduce<Array<Array<[string, string]>>>((acc, key) => acc.flatMap((a) => values.map((v) => [...a, [key, v] as [string, string]])), [[]])

/**
 * The store with transactions: every single-key operation of kvSpec, and MultiGet and MultiPut over
 * every set of two or more keys, and Swap over every pair. Any other transaction changes the store
 * as the MultiPut of what it writes does, so these reach every store a transaction can.
 */
export const kvTxnSpec = (options: KvSpecOptions): TransitionSystem<KvState, KvTxnLabel> => {
  const single = kvSpec(options)
  const groups = subsets(options.keys).filter((s) => s.length >= 2)
  const txns: KvTxn[] = [
    ...groups.map(multiGet),
    ...groups.flatMap((g) => assignments(g, options.values).map(multiPut)),
    ...groups.filter((g) => g.length === 2).map(([a, b]) => swap(a!, b!)),
  ]
  return {
    name: `KVTxn(keys=${options.keys.join(",")})`,
    initial: single.initial,
    fingerprint: single.fingerprint,
    view: single.view,
    properties: [],
    successors: (state, emit) => {
      single.successors(state, emit)
      for (const input of txns) {
        const { output, next } = kvTxnApply(state, input)
        emit({ input, output }, next)
      }
    },
    formatLabel: (label) => ("steps" in label.input ? describeTxn(label.input, label.output as KvTxnOutput) : single.formatLabel(label as KvLabel)),
  }
}

/** For refinement: "stutter", one single-key operation, or the MultiPut of the keys that changed. */
export const kvTxnStepOf = (before: KvState, after: KvState): string => {
  const single = kvStepOf(before, after)
  if (single !== undefined) return single
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => before[k] !== after[k]).sort()
  return describeTxn(multiPut(keys.map((k) => [k, after[k] ?? null])), null)
}
