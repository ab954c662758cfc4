/**
 * spec/kv-txn's transactions as a sequential model for the search: a transaction is one operation,
 * the state is the store over the keys of one component. Strict serializability of transactions is
 * then linearizability of these operations.
 *
 * The search runs the model millions of times, so the model works on numbers: keys are indices
 * into the component's sorted keys, values are interned (0 is absent), and a store is a persistent
 * array of 32-value chunks (a step copies the chunk list and the chunks it writes). Stores are
 * hash-consed: a 64-bit Zobrist hash, kept incrementally, finds candidates, and an exact comparison
 * decides, so equal stores get one id (which is the model state the search memoises on) and a hash
 * collision costs time, never a wrong verdict. The semantics stay in spec/kv-txn (kvTxnApply); the
 * tests check this model against it.
 */
import type { KeyValue } from "../../spec/kv.ts"
import { describeTxn, type KvTxn, type KvTxnOutput, txnWrites } from "../../spec/kv-txn.ts"
import { fmix32 } from "../checker/hash.ts"
import type { History } from "./history.ts"
import type { Lookahead, Model } from "./model.ts"

const CHUNK = 32
const READ = 0
const WRITE = 1
const SWAP = 2

type Store = ReadonlyArray<Int32Array>

/** The Zobrist key of value v at key k, two lanes; absent (0) is 0, so the empty store hashes to 0. */
const zHi = (k: number, v: number) => (v === 0 ? 0 : fmix32(Math.imul(k, 0x9e3779b1) ^ Math.imul(v, 0x85ebca6b) ^ 0x27d4eb2f) | 0)
const zLo = (k: number, v: number) => (v === 0 ? 0 : fmix32(Math.imul(k + 0x7f4a7c15, 0xc2b2ae35) ^ Math.imul(v, 0x165667b1)) | 0)

const hasSwap = (txn: KvTxn) => txn.steps.some((s) => s.op === "swap")

/** The values the known reads of `ops` (but those skipped) return, as "key\0value" and as "\0value" (on any key). */
const readValues = (ops: History<KvTxn, KvTxnOutput>, skip: (i: number) => boolean): Set<string> => {
  const read = new Set<string>()
  ops.forEach((op, i) => {
    if (skip(i) || op.output === null) return
    let r = 0
    for (const s of op.input.steps) {
      if (s.op !== "read") continue
      const v = JSON.stringify(op.output.reads[r++])
      read.add(`${s.key}\0${v}`).add(`\0${v}`)
    }
  })
  return read
}

/** No value this transaction writes is in `read` (on its key, or with swaps about that move values, on any key). */
const writesUnread = (txn: KvTxn, read: ReadonlySet<string>, anyKey: boolean): boolean =>
  txn.steps.every((s) => s.op !== "write" || !read.has(`${anyKey ? "" : s.key}\0${JSON.stringify(s.value)}`))

/**
 * Removing transactions is sound when nobody left read what they wrote: in any serialisation of the
 * larger history, every remaining read still follows the same chain of writes and swaps to its
 * value. Swaps move values between keys, so with swaps about no key may read those values; a
 * removed transaction that swaps changes where values are, so it may go only if it is read-only.
 */
const canRemove = (ops: History<KvTxn, KvTxnOutput>, drop: ReadonlySet<number>): boolean => {
  const dropped = [...drop].map((i) => ops[i]!.input)
  if (!dropped.some(txnWrites)) return true
  if (dropped.some(hasSwap)) return false
  const read = readValues(ops, (i) => drop.has(i))
  const anyKey = ops.some((op) => hasSwap(op.input))
  return dropped.every((t) => writesUnread(t, read, anyKey))
}

/** The writers of the values `keep` reads (on their keys); undefined with swaps about, which move values. */
const support = (ops: History<KvTxn, KvTxnOutput>, keep: ReadonlySet<number>): number[] | undefined => {
  if (ops.some((op) => hasSwap(op.input))) return undefined
  const read = readValues(ops, (i) => !keep.has(i))
  return ops.flatMap((op, i) => (!keep.has(i) && !writesUnread(op.input, read, false) ? [i] : []))
}

/**
 * The transactions of unknown outcome that can be left out without changing the verdict: none of
 * their writes was read (so leaving them out cannot make the history fail), and they need never
 * take effect (so it cannot make it pass). Indices into `ops`.
 */
export const unreadUnknowns = (ops: History<KvTxn, KvTxnOutput>): number[] => {
  const read = readValues(ops, () => false)
  const anyKey = ops.some((op) => hasSwap(op.input))
  return ops.flatMap((op, i) => (op.return === null && op.output === null && !hasSwap(op.input) && writesUnread(op.input, read, anyKey) ? [i] : []))
}

/** A fresh model over the store of `keys` (transactions on other keys must not be given to it). */
export const makeTxnModel = (keys: ReadonlyArray<string>): Model<KvTxn, KvTxnOutput, number> => {
  const sorted = [...new Set(keys)].sort()
  const keyIndex = new Map(sorted.map((k, i) => [k, i]))
  const valueIds = new Map<string, number>()
  const values: KeyValue[] = [null]
  const valueId = (v: KeyValue): number => {
    if (v === null) return 0
    let id = valueIds.get(v)
    if (id === undefined) {
      id = values.length
      values.push(v)
      valueIds.set(v, id)
    }
    return id
  }
  const keyOf = (k: string): number => {
    const i = keyIndex.get(k)
    if (i === undefined) throw new Error(`key ${JSON.stringify(k)} is not in this model's component`)
    return i
  }

  // Transactions compiled to (op, key, value or other key) triples; read results to value ids.
  const programs = new WeakMap<KvTxn, Int32Array>()
  const program = (txn: KvTxn): Int32Array => {
    let p = programs.get(txn)
    if (p === undefined) {
      p = Int32Array.from(txn.steps.flatMap((s) => (s.op === "read" ? [READ, keyOf(s.key), 0] : s.op === "write" ? [WRITE, keyOf(s.key), valueId(s.value)] : [SWAP, keyOf(s.key), keyOf(s.with)])))
      programs.set(txn, p)
    }
    return p
  }
  const readIds = new WeakMap<KvTxnOutput, Int32Array>()
  const expected = (output: KvTxnOutput): Int32Array => {
    let r = readIds.get(output)
    if (r === undefined) {
      r = Int32Array.from(output.reads, valueId)
      readIds.set(output, r)
    }
    return r
  }

  const chunks = Math.max(1, Math.ceil(sorted.length / CHUNK))
  const stores: Store[] = [Array.from({ length: chunks }, () => new Int32Array(CHUNK))]
  const hashHi = [0]
  const hashLo = [0]
  const byHash = new Map<number, number[]>([[0, [0]]])
  const bucket = (hi: number, lo: number) => (hi >>> 0) * 0x200000 + (lo >>> 11)
  const get = (store: Store, k: number) => store[k >>> 5]![k & (CHUNK - 1)]!

  // Scratch for one step: the keys it changes and their new values (each key once).
  const touched: number[] = []
  const now: number[] = []
  const current = (store: Store, k: number): number => {
    const at = touched.indexOf(k)
    return at >= 0 ? now[at]! : get(store, k)
  }
  const set = (k: number, v: number) => {
    const at = touched.indexOf(k)
    if (at >= 0) now[at] = v
    else {
      touched.push(k)
      now.push(v)
    }
  }
  /** Whether store `id` equals `base` with the scratch changes applied. */
  const sameAs = (id: number, base: Store): boolean => {
    const other = stores[id]!
    for (let c = 0; c < chunks; c++) {
      if (other[c] === base[c]) continue
      const a = other[c]!
      const b = base[c]!
      for (let j = 0; j < CHUNK; j++) if (a[j] !== b[j] && !touched.includes(c * CHUNK + j)) return false
    }
    for (let i = 0; i < touched.length; i++) if (get(other, touched[i]!) !== now[i]) return false
    return true
  }

  return {
    name: "kv transactions",
    init: () => 0,
    step: (state, input, output) => {
      const store = stores[state]!
      const p = program(input)
      const reads = output === null ? null : expected(output)
      touched.length = 0
      now.length = 0
      let r = 0
      for (let i = 0; i < p.length; i += 3) {
        const op = p[i]!
        const k = p[i + 1]!
        if (op === READ) {
          if (reads !== null && (r >= reads.length || reads[r] !== current(store, k))) return undefined
          r++
        } else if (op === WRITE) set(k, p[i + 2]!)
        else {
          const other = p[i + 2]!
          const a = current(store, k)
          set(k, current(store, other))
          set(other, a)
        }
      }
      if (reads !== null && r !== reads.length) return undefined
      let hi = hashHi[state]!
      let lo = hashLo[state]!
      let changed = false
      for (let i = 0; i < touched.length; i++) {
        const k = touched[i]!
        const [old, v] = [get(store, k), now[i]!]
        if (old === v) continue
        changed = true
        hi ^= zHi(k, old) ^ zHi(k, v)
        lo ^= zLo(k, old) ^ zLo(k, v)
      }
      if (!changed) return state
      const key = bucket(hi, lo)
      const ids = byHash.get(key)
      if (ids !== undefined) for (const id of ids) if (hashHi[id] === hi && hashLo[id] === lo && sameAs(id, store)) return id
      const next = store.slice()
      for (let i = 0; i < touched.length; i++) {
        const k = touched[i]!
        const c = k >>> 5
        if (next[c] === store[c]) next[c] = store[c]!.slice()
        next[c]![k & (CHUNK - 1)] = now[i]!
      }
      const id = stores.length
      stores.push(next)
      hashHi.push(hi)
      hashLo.push(lo)
      if (ids === undefined) byHash.set(key, [id])
      else ids.push(id)
      return id
    },
    readOnly: (input) => !txnWrites(input),
    describe: describeTxn,
    describeState: (state) => {
      const store = stores[state]!
      return JSON.stringify(Object.fromEntries(sorted.flatMap((k, i) => (get(store, i) === 0 ? [] : [[k, values[get(store, i)]]]))))
    },
    canRemove,
    support,
    lookahead: (ops) => lookahead(ops),
  }

  /**
   * Forward checking over the transactions not placed yet: per key, the values their known reads
   * expect from the store (reads before the transaction itself writes or swaps that key), the
   * values they leave in it (last writes), and whether one swaps it. A value some read still
   * expects is an orphan when nothing left writes it to that key; after a step, a key it changed
   * that holds another value while an orphan is expected can never be read right, unless a swap
   * left on it can bring the value from elsewhere (it is in the store, or something left writes it).
   */
  function lookahead(ops: History<KvTxn, KvTxnOutput>): Lookahead<number> {
    const K = sorted.length
    const reads: Int32Array[] = []
    const writes: Int32Array[] = []
    const swaps: Int32Array[] = []
    const changes: Int32Array[] = []
    const values: Int32Array[] = []
    for (const op of ops) {
      const p = program(op.input)
      const known = op.output === null ? null : expected(op.output)
      const own = new Set<number>()
      const last = new Map<number, number>()
      const r: number[] = []
      const sw: number[] = []
      let n = 0
      for (let i = 0; i < p.length; i += 3) {
        const k = p[i + 1]!
        if (p[i] === READ) {
          if (known !== null && !own.has(k) && n < known.length) r.push(k, known[n]!)
          n++
        } else if (p[i] === WRITE) {
          own.add(k)
          last.set(k, p[i + 2]!)
        } else {
          const o = p[i + 2]!
          own.add(k).add(o)
          last.delete(k)
          last.delete(o)
          sw.push(k, o)
        }
      }
      reads.push(Int32Array.from(r))
      writes.push(Int32Array.from([...last].flat()))
      swaps.push(Int32Array.from(sw))
      changes.push(Int32Array.from(own))
      values.push(Int32Array.from({ length: p.length / 3 }, (_, j) => (p[3 * j] === WRITE ? p[3 * j + 2]! : -1)).filter((v) => v >= 0))
    }
    const readers = new Map<number, number>()
    const writers = new Map<number, number>()
    const orphans = Array.from({ length: K }, () => new Set<number>())
    const swapsLeft = new Int32Array(K)
    const writersAny = new Map<number, number>()
    const orphan = (k: number, v: number) => (readers.get(v * K + k) ?? 0) > 0 && (writers.get(v * K + k) ?? 0) === 0
    const count = (table: Map<number, number>, k: number, v: number, by: number) => {
      const was = orphan(k, v)
      const key = v * K + k
      table.set(key, (table.get(key) ?? 0) + by)
      if (orphan(k, v) !== was) {
        if (was) orphans[k]!.delete(v)
        else orphans[k]!.add(v)
      }
    }
    const add = (op: number, by: number) => {
      const r = reads[op]!
      for (let i = 0; i < r.length; i += 2) count(readers, r[i]!, r[i + 1]!, by)
      const w = writes[op]!
      for (let i = 0; i < w.length; i += 2) count(writers, w[i]!, w[i + 1]!, by)
      for (const k of swaps[op]!) swapsLeft[k]! += by
      for (const v of values[op]!) writersAny.set(v, (writersAny.get(v) ?? 0) + by)
    }
    const present = (store: Store, v: number) => store.some((chunk) => chunk.includes(v))
    ops.forEach((_, op) => add(op, 1))
    return {
      place: (op) => add(op, -1),
      unplace: (op) => add(op, 1),
      viable: (state, op) => {
        const store = stores[state]!
        for (const k of changes[op]!) {
          const now = get(store, k)
          for (const x of orphans[k]!) {
            if (x === now) continue
            // Only a swap can still bring x here, and only if x is somewhere or is still to be written.
            if (swapsLeft[k] === 0 || ((writersAny.get(x) ?? 0) === 0 && !present(store, x))) return false
          }
        }
        return true
      },
    }
  }
}
