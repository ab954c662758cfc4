import test from "ava"
import { kvApply, kvSpec, kvStepOf } from "../../spec/kv.ts"
import { registerSpec } from "../../spec/register.ts"
import { bfs } from "../../src/checker/explore.ts"

test("kvSpec: the reachable stores are every value or absence per key", (t) => {
  t.is(bfs(kvSpec({ keys: ["k1", "k2"], values: ["x", "y"], maxLength: 1 })).distinct, 9)
  // Appends up to length 2: absent, x, y, xx, xy, yx, yy.
  t.is(bfs(kvSpec({ keys: ["k1"], values: ["x", "y"] })).distinct, 7)
})

test("kvSpec labels read like the operations, with their results", (t) => {
  const spec = kvSpec({ keys: ["k1"], values: ["x"] })
  const labels: string[] = []
  spec.successors({ k1: "x" }, (label) => labels.push(spec.formatLabel(label)))
  t.deepEqual(labels, ['Get(k1) -> "x"', 'Put(k1,"x")', 'Append(k1,"x") -> "xx"', "Delete(k1)", "CAS(k1,null,\"x\") -> false", 'CAS(k1,"x","x") -> true'])
})

test("kvApply keeps the store canonical", (t) => {
  const a = kvApply(kvApply({}, { op: "put", key: "b", value: "1" }).next, { op: "put", key: "a", value: "2" }).next
  t.deepEqual(Object.keys(a), ["a", "b"])
  t.deepEqual(kvApply(a, { op: "delete", key: "a" }).next, { b: "1" })
})

test("kvStepOf: a stutter, one operation on one key, or not a KV step", (t) => {
  t.is(kvStepOf({ a: "x" }, { a: "x" }), "stutter")
  t.is(kvStepOf({ a: "x" }, { a: "xy" }), 'Append(a,"y") -> "xy"')
  t.is(kvStepOf({ a: "x" }, { a: "z" }), 'Put(a,"z")')
  t.is(kvStepOf({ a: "x" }, {}), "Delete(a)")
  t.is(kvStepOf({ a: "x" }, { a: "y", b: "y" }), undefined)
})

test("registerSpec: a register over n values has n + 1 states", (t) => {
  t.is(bfs(registerSpec({ values: [1, 2, 3] })).distinct, 4)
  const spec = registerSpec({ values: [1], cas: true })
  const labels: string[] = []
  spec.successors(1, (label) => labels.push(spec.formatLabel(label)))
  t.deepEqual(labels, ["Read -> 1", "Write(1)", "CAS(null,1) -> false", "CAS(1,1) -> true"])
})
