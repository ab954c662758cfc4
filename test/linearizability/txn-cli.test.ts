/** The JSON format for transactions, and `tla-ts lincheck --model txn`. */
import { mkdtemp, readFile, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import test, { type ExecutionContext } from "ava"
import { runLincheck } from "../../src/cli/lincheck.ts"
import { HistoryParseError } from "../../src/linearizability/errors.ts"
import { loadHistory } from "../../src/linearizability/formats.ts"
import { formatJsonTransactions, parseJsonDocument, parseJsonHistory } from "../../src/linearizability/parse-json.ts"

const histories = fileURLToPath(new URL("histories/", import.meta.url))
const WRITE_SKEW = join(histories, "txn-write-skew.json")
const OK = join(histories, "txn-ok.json")

const run = async (...args: string[]) => {
  let out = ""
  let err = ""
  const code = await runLincheck(args, { out: (s) => void (out += s), err: (s) => void (err += s) })
  return { code, out, err }
}

const parseError = (t: ExecutionContext, f: () => unknown, line: number, message: RegExp) => {
  const e = t.throws(f, { instanceOf: HistoryParseError })
  t.is(e?.line, line)
  t.regex(e?.message ?? "", message)
}

const TXN = `{"version":1,"model":"txn","operations":[
{"client":0,"call":0,"return":2,"status":"committed","ops":[{"op":"write","key":"a","value":"x"},{"op":"read","key":"a","value":"x"}]},
{"client":1,"call":1,"return":null,"status":"unknown","ops":[{"op":"read","key":"b"},{"op":"swap","key":"a","with":"b"}]},
{"client":2,"call":1,"return":5,"status":"aborted","ops":[{"op":"write","key":"b","value":null}]}
]}`

test("transactions round-trip through the writer, with their lines", async (t) => {
  const doc = parseJsonDocument(TXN)
  if (doc.model !== "txn") return t.fail()
  t.deepEqual(doc.transactions.map((x) => [x.line, x.status, x.reads]), [
    [2, "committed", ["x"]],
    [3, "unknown", null],
    [4, "aborted", null],
  ])
  const again = parseJsonDocument(formatJsonTransactions(doc.transactions))
  t.deepEqual(again, doc)
  parseError(t, () => parseJsonHistory(TXN), 1, /"model": "kv" or "register"/)
  t.is(loadHistory(TXN).history.length, 3)
  parseError(t, () => loadHistory(TXN, "kv"), 1, /"model": "kv" \(as asked\)/)
})

test("a malformed transaction is reported at its line", (t) => {
  const lines = TXN.split("\n")
  const withLine = (i: number, text: string) => lines.map((l, j) => (j === i ? text : l)).join("\n")
  const at = (i: number, text: string, message: RegExp) => parseError(t, () => parseJsonDocument(withLine(i, text)), i + 1, message)
  at(1, `{"client":0,"call":0,"return":null,"status":"committed","ops":[]},`, /"return" a number not before "call" \(the transaction committed\)/)
  at(1, `{"client":0,"call":0,"return":2,"status":"done","ops":[]},`, /"status" one of committed, aborted, unknown/)
  at(1, `{"client":0,"call":0,"return":2,"status":"committed","ops":[{"op":"read","key":"a"}]},`, /ops\[0\] a read with the "value" read/)
  at(2, `{"client":1,"call":1,"return":null,"status":"unknown","ops":[{"op":"incr","key":"a"}]},`, /ops\[0\] "op" one of read, write, swap/)
  at(2, `{"client":1,"call":1,"return":null,"status":"unknown","ops":[{"op":"swap","key":"a"}]},`, /a swap with a string "with"/)
  at(3, `{"client":2,"call":1,"return":5,"status":"aborted","ops":[{"op":"write","key":"b"}]}`, /a write with "value" a string, or null to delete/)
  at(3, `{"client":2,"call":1,"return":5,"status":"aborted","ops":[],"input":{}}`, /only "client", "call", "return", "status" and "ops"/)
})

test("lincheck --model txn: exit 1, the smallest failing set and a page for write skew", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "lincheck-txn-"))
  const html = join(dir, "out.html")
  const { code, out } = await run(WRITE_SKEW, "--model", "txn", "--html", html)
  t.is(code, 1)
  t.regex(out, /not strictly serializable .*keys "alice,bob".*line [34]\) cannot be serialised.*smallest failing set: 3 of 3 transactions \(line 2, line 3, line 4\)/s)
  const page = await readFile(html, "utf8")
  t.regex(page, /Smallest failing sub-history \(3 of 3 transactions\)/)
  t.is((page.match(/<rect /g) ?? []).length, 6)
  const json = JSON.parse((await run(WRITE_SKEW, "--json")).out) as { failure: { failingSet: Array<{ line: number }>; smallest: boolean } }
  t.deepEqual(json.failure.failingSet.map((x) => x.line), [2, 3, 4])
  t.true(json.failure.smallest)
})

test("lincheck --model txn: exit 0 and a witness order for a strictly serializable history", async (t) => {
  const { code, out } = await run(OK, "--json")
  t.is(code, 0)
  const json = JSON.parse(out) as { verdict: string; witness: Array<{ line: number }> }
  t.is(json.verdict, "strictly-serializable")
  // Line 5 (unknown outcome, its write never read) need not take effect.
  t.deepEqual(json.witness.map((x) => x.line), [2, 3, 4, 6])
  t.regex((await run(OK)).out, /strictly serializable .*witness order: line 2, line 3, line 4, line 6\n/s)
})

test("lincheck --model txn: exit 3 when the budget runs out, exit 2 with its line for a malformed file", async (t) => {
  t.is((await run(OK, "--timeout", "0")).code, 3)
  const dir = await mkdtemp(join(tmpdir(), "lincheck-txn-"))
  const bad = join(dir, "bad.json")
  await writeFile(bad, TXN.replace(`"status":"aborted"`, `"status":"maybe"`))
  const { code, out, err } = await run(bad, "--model", "txn")
  t.is(code, 2)
  t.is(out, "")
  t.regex(err, /^tla-ts: .*bad\.json: line 4: expected in operations\[2\], "status" one of committed, aborted, unknown, found "maybe"\n$/)
  t.is((await run(join(histories, "..", "..", "..", "README.md"), "--model", "txn")).code, 2)
})
