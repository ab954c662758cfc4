import test from "ava"
import type { KvInput, KvOutput } from "../../spec/kv.ts"
import { checkHistory } from "../../src/linearizability/check.ts"
import { loadHistory } from "../../src/linearizability/formats.ts"
import { HistoryError, type Operation } from "../../src/linearizability/history.ts"
import { readHistoryFile } from "./data.ts"

const load = (file: string) => loadHistory(readHistoryFile(file))

test("a step budget gives unknown, never a guess", (t) => {
  const { model, history } = load("jepsen/etcd_002.log")
  const r = checkHistory(model, history, { maxSteps: 1000 })
  t.is(r.verdict, "unknown")
  t.regex(r.reason ?? "", /step budget of 1000/)
  t.true(r.steps <= 1000)
})

test("partitions are searched in turns: a quick failure on one key is not hidden by a hard key", (t) => {
  const { model, history } = load("kv/c50-ok.txt")
  // Key "4" alone takes several hundred thousand steps; key "zz" fails at once.
  const end = Math.max(...history.map((op) => op.return ?? op.call))
  const stale: Array<Operation<KvInput, KvOutput>> = [
    { client: 99, call: end + 1, return: end + 2, input: { op: "put", key: "zz", value: "a" }, output: {} },
    { client: 99, call: end + 3, return: end + 4, input: { op: "get", key: "zz" }, output: { value: "" } },
  ]
  const r = checkHistory(model, [...history, ...stale], { maxSteps: 50_000, minimise: false })
  t.is(r.verdict, "not-linearizable")
  t.is(r.failure?.partition, "zz")
})

test("the failure names the longest prefix, the blocking operation and the candidates", (t) => {
  const { model, history } = load("kv/c01-bad.txt")
  const f = checkHistory(model, history).failure!
  t.true(f.operations.includes(f.blocking))
  t.true(f.candidates.includes(f.blocking))
  t.true(f.prefix.every((i) => f.operations.includes(i) && !f.candidates.includes(i)))
  t.true(f.subHistory!.operations.length < f.operations.length)
})

test("histories that make no sense are rejected", (t) => {
  const { model } = load("kv/c01-ok.txt")
  const op = { client: 0, call: 5, return: 4, input: { op: "get", key: "a" }, output: { value: "" } } as const
  t.throws(() => checkHistory(model, [op]), { instanceOf: HistoryError, message: /return time/ })
  t.throws(() => checkHistory(model, [{ ...op, return: null }]), { instanceOf: HistoryError, message: /never returned has no output/ })
})
