import test from "ava"
import { checkHistory } from "../../src/linearizability/check.ts"
import { loadHistory } from "../../src/linearizability/formats.ts"
import { expectedVerdicts, readHistoryFile } from "./data.ts"

const rows = expectedVerdicts()

test("EXPECTED.tsv lists the 103 etcd and 6 kv histories", (t) => {
  t.deepEqual([rows.filter((r) => r.model === "etcd").length, rows.filter((r) => r.model === "kv").length], [103, 6])
})

for (const { file, model, expected } of rows) {
  test(`${file} is ${expected}`, (t) => {
    const { model: m, history } = loadHistory(readHistoryFile(file), model)
    const result = checkHistory(m, history, { timeoutSeconds: 30, minimise: false })
    t.is(result.verdict, expected)
    if (expected === "not-linearizable") t.truthy(result.failure)
    else t.is(result.witness?.reduce((n, w) => n + w.order.length, 0), history.length)
  })
}
