import test from "ava"
import { checkStrictSerializability, keyComponents } from "../../src/linearizability/serializability.ts"
import { HistoryError } from "../../src/linearizability/history.ts"
import { strictlySerializable } from "../../src/linearizability/serializability-property.ts"
import { tx, validSerialization } from "./txn-data.ts"

const verdict = (h: Parameters<typeof checkStrictSerializability>[0]) => checkStrictSerializability(h).verdict
const smallest = (h: Parameters<typeof checkStrictSerializability>[0]) => [...(checkStrictSerializability(h).failure?.subHistory?.origin ?? [])].sort((a, b) => a - b)

test("write skew: both read the other's key as empty and write their own", (t) => {
  const skew = [tx(0, 0, 5, "r(x)=_ r(y)=_ w(x)=1"), tx(1, 1, 6, "r(x)=_ r(y)=_ w(y)=1")]
  t.is(verdict(skew), "not-strictly-serializable")
  // One of them seeing the other's write is fine.
  t.is(verdict([skew[0]!, tx(1, 1, 6, "r(x)=1 r(y)=_ w(y)=1")]), "strictly-serializable")
})

test("lost update: two read-modify-writes of one key that both read the old value", (t) => {
  const base = [tx(0, 0, 1, "w(x)=0")]
  t.is(verdict([...base, tx(1, 2, 6, "r(x)=0 w(x)=1"), tx(2, 3, 7, "r(x)=0 w(x)=2")]), "not-strictly-serializable")
  t.is(verdict([...base, tx(1, 2, 6, "r(x)=0 w(x)=1"), tx(2, 3, 7, "r(x)=1 w(x)=2")]), "strictly-serializable")
})

test("read skew: a reader sees x before and y after another transaction", (t) => {
  const writes = [tx(0, 0, 1, "w(x)=1 w(y)=1"), tx(0, 2, 3, "w(x)=2 w(y)=2")]
  t.is(verdict([...writes, tx(1, 1.5, 4, "r(x)=1 r(y)=2")]), "not-strictly-serializable")
  t.is(verdict([...writes, tx(1, 1.5, 4, "r(x)=2 r(y)=2")]), "strictly-serializable")
})

test("fractured read: a reader sees part of a multi-key write", (t) => {
  const put = tx(0, 0, 3, "w(x)=1 w(y)=1")
  t.is(verdict([put, tx(1, 1, 4, "r(x)=1 r(y)=_")]), "not-strictly-serializable")
  t.is(verdict([put, tx(1, 1, 4, "r(x)=_ r(y)=_")]), "strictly-serializable")
})

test("real time: serializable but not strict when the stale reader starts after the writer returned", (t) => {
  t.is(verdict([tx(0, 0, 1, "w(x)=1"), tx(1, 2, 3, "r(x)=_")]), "not-strictly-serializable")
  // The same two, overlapping in time: the reader may go first.
  t.is(verdict([tx(0, 0, 2, "w(x)=1"), tx(1, 1, 3, "r(x)=_")]), "strictly-serializable")
})

test("unknown outcomes may take effect any time after their call, or never; aborted ones never", (t) => {
  const maybe = tx(0, 0, 5, "w(x)=1", "unknown")
  t.is(verdict([maybe, tx(1, 6, 7, "r(x)=1")]), "strictly-serializable")
  t.is(verdict([maybe, tx(1, 6, 7, "r(x)=_")]), "strictly-serializable")
  // Even after its client gave up: an indeterminate commit can still land.
  t.is(verdict([maybe, tx(1, 6, 7, "r(x)=_"), tx(1, 8, 9, "r(x)=1")]), "strictly-serializable")
  t.is(verdict([maybe, tx(1, 6, 7, "r(x)=1"), tx(1, 8, 9, "r(x)=_")]), "not-strictly-serializable")
  t.is(verdict([tx(0, 0, null, "w(x)=1", "unknown"), tx(1, 6, 7, "r(x)=1")]), "strictly-serializable")
  t.is(verdict([tx(0, 0, 5, "w(x)=1", "aborted"), tx(1, 6, 7, "r(x)=1")]), "not-strictly-serializable")
  t.is(verdict([tx(0, 0, 5, "w(x)=1", "aborted"), tx(1, 6, 7, "r(x)=_")]), "strictly-serializable")
})

test("swap exchanges two keys atomically", (t) => {
  const base = [tx(0, 0, 1, "w(x)=1 w(y)=2"), tx(0, 2, 3, "swap(x,y)")]
  t.is(verdict([...base, tx(1, 4, 5, "r(x)=2 r(y)=1")]), "strictly-serializable")
  t.is(verdict([...base, tx(1, 4, 5, "r(x)=2 r(y)=2")]), "not-strictly-serializable")
})

test("the witness is one order of every committed and unknown transaction, aborted ones left out", (t) => {
  const h = [tx(0, 0, 10, "w(x)=1 w(y)=1"), tx(1, 1, 4, "r(x)=_ r(z)=_"), tx(2, 2, 3, "w(z)=5"), tx(1, 5, 6, "r(z)=5", "unknown"), tx(2, 5, 6, "w(x)=9", "aborted"), tx(3, 11, 12, "r(y)=1")]
  const r = checkStrictSerializability(h)
  t.is(r.verdict, "strictly-serializable")
  t.is(r.components, 1)
  t.true(validSerialization(h, r.witness!))
  t.false(r.witness!.includes(4))
  t.false(validSerialization(h, [...r.witness!].reverse()))
})

test("transactions split into components by shared keys", (t) => {
  const parts = keyComponents([tx(0, 0, 1, "w(a)=1"), tx(0, 2, 3, "r(b)=_ w(c)=1"), tx(1, 0, 1, "w(d)=1 w(a)=2"), tx(1, 2, 3, "r(c)=_"), tx(2, 0, 1, "w(e)=1", "aborted")])
  t.deepEqual(parts.map((p) => [p.key, p.ops]), [["a,d", [0, 2]], ["b,c", [1, 3]]])
})

test("the smallest failing set leaves out what does not matter, keeps writes that were read", (t) => {
  const noise = [tx(5, 0, 1, "w(z)=1"), tx(5, 2, 3, "w(x)=0"), tx(6, 1, 2, "r(z)=_"), tx(6, 4, 9, "r(x)=0 w(z)=2")]
  // Write skew over x and y, after x=0 was written by transaction 1 and read by both.
  const skew = [tx(0, 4, 8, "r(x)=0 r(y)=_ w(x)=1"), tx(1, 5, 8, "r(x)=0 r(y)=_ w(y)=1")]
  const r = checkStrictSerializability([...noise, ...skew])
  t.is(r.verdict, "not-strictly-serializable")
  t.deepEqual([...r.failure!.subHistory!.origin].sort(), [1, 4, 5])
  t.true(r.failure!.subHistory!.exhaustive)
  // A write nobody read goes too: a stale read needs only the write it missed.
  t.deepEqual(smallest([tx(0, 0, 1, "w(x)=0 w(y)=5"), tx(0, 2, 3, "w(x)=1"), tx(1, 4, 5, "r(x)=0"), tx(1, 6, 7, "r(y)=5")]), [0, 1, 2])
  t.is(smallest([tx(0, 0, 1, "w(x)=0 w(y)=5"), tx(0, 2, 3, "w(x)=1"), tx(1, 4, 5, "r(x)=_")]).length, 2)
})

test("a committed transaction must have returned, with one value per read", (t) => {
  t.throws(() => checkStrictSerializability([tx(0, 0, null, "w(x)=1")]), { instanceOf: HistoryError })
  t.throws(() => checkStrictSerializability([{ ...tx(0, 0, 1, "r(x)=1"), reads: [] }]), { instanceOf: HistoryError, message: /one value per read/ })
})

test("a step budget gives unknown, not a guess", (t) => {
  const chain = Array.from({ length: 30 }, (_, i) => tx(i, 0, 100, `r(x)=${i === 0 ? "_" : i - 1} w(x)=${i}`))
  const r = checkStrictSerializability(chain, { maxSteps: 5 })
  t.is(r.verdict, "unknown")
  t.regex(r.reason!, /step budget/)
})

test("as an invariant: a state whose transactions are not strictly serializable violates it, with the failing set", (t) => {
  const property = strictlySerializable((s: { txns?: ReturnType<typeof tx>[] }) => s.txns)
  const skew = { txns: [tx(0, 0, 5, "r(x)=_ r(y)=_ w(x)=1"), tx(1, 1, 6, "r(x)=_ r(y)=_ w(y)=1"), tx(2, 7, 8, "r(z)=_")] }
  t.false(property.holds(skew))
  t.is(property.explain!(skew), '3 transactions are not strictly serializable (keys "x,y"; failing set: transactions 0, 1)')
  t.true(property.holds({ txns: skew.txns.slice(1) }))
  t.true(property.holds({}))
})

test("forward checking: blind writes whose order only a much later read reveals do not backtrack exponentially", (t) => {
  // Pairs of concurrent writes to k_i, the one called later taking effect first; one read at the end.
  const n = 40
  const pairs = Array.from({ length: n }, (_, i) => [tx(0, 10 * i, 10 * i + 5, `w(k${i})=late`), tx(1, 10 * i + 1, 10 * i + 4, `w(k${i})=early`)]).flat()
  const read = tx(2, 10 * n, 10 * n + 1, Array.from({ length: n }, (_, i) => `r(k${i})=late`).join(" "))
  const r = checkStrictSerializability([...pairs, read], { maxSteps: 20_000 })
  t.is(r.verdict, "strictly-serializable")
  t.true(r.steps < 1000, `${r.steps} steps`)
})

test("a stale read at the end of a long chain of read-modify-writes: the smallest failing set is three transactions", (t) => {
  const chain = Array.from({ length: 300 }, (_, i) => tx(i % 4, 10 * i, 10 * i + 15, `r(x)=${i === 0 ? "_" : `v${i - 1}`} w(x)=v${i} w(y)=v${i}`))
  const end = 10 * 300 + 20
  const h = [...chain, tx(8, end, end + 1, "w(x)=planted"), tx(9, end + 2, end + 3, "r(x)=v299")]
  const r = checkStrictSerializability(h, { minimiseSeconds: 30 })
  t.is(r.verdict, "not-strictly-serializable")
  t.deepEqual([...r.failure!.subHistory!.origin].sort((a, b) => a - b), [299, 300, 301])
  t.true(r.failure!.subHistory!.exhaustive)
})
