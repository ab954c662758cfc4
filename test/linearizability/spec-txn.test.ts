import test from "ava"
import { kvSpec } from "../../spec/kv.ts"
import { describeTxn, kvTxnApply, kvTxnSpec, kvTxnStepOf, multiGet, multiPut, swap } from "../../spec/kv-txn.ts"
import { bfs } from "../../src/checker/explore.ts"

test("a transaction is one atomic step: reads see the store and its own earlier writes", (t) => {
  const { output, next } = kvTxnApply({ a: "1" }, { steps: [{ op: "read", key: "a" }, { op: "write", key: "b", value: "2" }, { op: "read", key: "b" }, { op: "write", key: "a", value: null }] })
  t.deepEqual(output.reads, ["1", "2"])
  t.deepEqual(next, { b: "2" })
  t.deepEqual(kvTxnApply({ a: "1" }, swap("a", "b")).next, { b: "1" })
  t.deepEqual(kvTxnApply({ a: "1", b: "2" }, multiGet(["b", "c", "a"])).output.reads, ["2", null, "1"])
  const store = { a: "1" }
  t.is(kvTxnApply(store, multiGet(["a"])).next, store, "a read-only transaction leaves the very same store")
})

test("kvTxnSpec: transactions reach no store the single-key operations do not, but in one step", (t) => {
  const options = { keys: ["k1", "k2"], values: ["x", "y"], maxLength: 1 }
  t.is(bfs(kvTxnSpec(options)).distinct, bfs(kvSpec(options)).distinct)
  const spec = kvTxnSpec(options)
  const labels: string[] = []
  spec.successors({}, (label, next) => {
    const text = spec.formatLabel(label)
    if (text.startsWith("MultiPut") || text.startsWith("Swap") || text.startsWith("MultiGet")) labels.push(`${text} => ${JSON.stringify(next)}`)
  })
  t.deepEqual(labels, [
    "MultiGet(k1,k2) -> [null,null] => {}",
    'MultiPut(k1="x",k2="x") => {"k1":"x","k2":"x"}',
    'MultiPut(k1="x",k2="y") => {"k1":"x","k2":"y"}',
    'MultiPut(k1="y",k2="x") => {"k1":"y","k2":"x"}',
    'MultiPut(k1="y",k2="y") => {"k1":"y","k2":"y"}',
    "Swap(k1,k2) => {}",
  ])
})

test("describeTxn names the three shapes and spells out the others", (t) => {
  t.is(describeTxn(multiPut([["a", "1"], ["b", null]]), null), 'MultiPut(a="1",b=null)')
  t.is(describeTxn(multiGet(["a", "b"]), null), "MultiGet(a,b) -> [?,?]")
  t.is(describeTxn({ steps: [{ op: "read", key: "a" }, { op: "write", key: "b", value: "2" }, { op: "swap", key: "a", with: "b" }] }, { reads: [null] }), 'Txn(r(a) -> null, w(b,"2"), swap(a,b))')
})

test("kvTxnStepOf: one step may change several keys", (t) => {
  t.is(kvTxnStepOf({ a: "x" }, { a: "x" }), "stutter")
  t.is(kvTxnStepOf({ a: "x" }, { a: "z" }), 'Put(a,"z")')
  t.is(kvTxnStepOf({ a: "x" }, { a: "y", b: "y" }), 'MultiPut(a="y",b="y")')
  t.is(kvTxnStepOf({ a: "x", b: "y" }, { a: "y" }), 'MultiPut(a="y",b=null)')
})
