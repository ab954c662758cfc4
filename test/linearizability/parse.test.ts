import test from "ava"
import { HistoryParseError } from "../../src/linearizability/errors.ts"
import { loadHistory } from "../../src/linearizability/formats.ts"
import { parseEtcdLog } from "../../src/linearizability/parse-etcd.ts"
import { formatJsonHistory, parseJsonHistory } from "../../src/linearizability/parse-json.ts"
import { parseKvLog } from "../../src/linearizability/parse-kv-log.ts"

const ETCD = ["INFO  jepsen.util - 0\t:invoke\t:write\t1", "INFO  jepsen.util - 1\t:invoke\t:read\tnil", "INFO  jepsen.util - 0\t:ok\t:write\t1", "INFO  jepsen.util - 1\t:ok\t:read\t1"]

const parseError = (t: import("ava").ExecutionContext, f: () => unknown, line: number, expected: RegExp) => {
  const e = t.throws(f, { instanceOf: HistoryParseError })
  t.is(e?.line, line)
  t.regex(e?.expected ?? "", expected)
  t.regex(e?.message ?? "", new RegExp(`^line ${line}: expected `))
}

test("etcd log: operations, :info and open calls never return, a timed-out read returns unknown", (t) => {
  const text = [...ETCD, "INFO  jepsen.util - 2\t:invoke\t:cas\t[1 2]", "INFO  jepsen.util - 2\t:info\t:cas\t:timed-out", "INFO  jepsen.util - 3 :invoke :read nil", "INFO  jepsen.util - 3 :fail :read :timed-out", "INFO  jepsen.util - 4\t:invoke\t:write\t4"].join("\n")
  const ops = parseEtcdLog(text)
  t.deepEqual(
    ops.map((o) => [o.client, o.call, o.return, o.input, o.output]),
    [
      [0, 1, 3, { op: "write", value: 1 }, {}],
      [1, 2, 4, { op: "read" }, { value: 1 }],
      [2, 5, null, { op: "cas", expected: 1, value: 2 }, null],
      [3, 7, 8, { op: "read" }, null],
      [4, 9, null, { op: "write", value: 4 }, null],
    ]
  )
})

test("etcd log errors give the line and what was expected", (t) => {
  parseError(t, () => parseEtcdLog([ETCD[0], "", "garbage here"].join("\n")), 3, /INFO  jepsen.util/)
  parseError(t, () => parseEtcdLog([ETCD[0], "INFO  jepsen.util - 0\t:ok\t:read\t1"].join("\n")), 2, /return of the :write called at line 1/)
  parseError(t, () => parseEtcdLog("INFO  jepsen.util - 5\t:ok\t:read\t1"), 1, /:invoke for process 5/)
  parseError(t, () => parseEtcdLog("INFO  jepsen.util - 0\t:invoke\t:write\tx"), 1, /integer to write/)
  parseError(t, () => parseEtcdLog("INFO  jepsen.util - 0\t:invoke\t:cas\t[1]"), 1, /\[from to\]/)
  parseError(t, () => parseEtcdLog("INFO  jepsen.util - 0\t:invoke\t:delete\t1"), 1, /:read, :write or :cas/)
  parseError(t, () => parseEtcdLog([ETCD[0], ETCD[0]].join("\n")), 2, /still open/)
})

test("kv log: gets carry the value, puts and appends echo their argument", (t) => {
  const ops = parseKvLog(
    ['{:process 0, :type :invoke, :f :append, :key "k", :value "x \\"q\\""}', '{:process 1, :type :invoke, :f :get, :key "k", :value nil}', '{:process 0, :type :ok, :f :append, :key "k", :value "x \\"q\\""}', '{:process 1, :type :ok, :f :get, :key "k", :value ""}'].join("\n")
  )
  t.deepEqual(
    ops.map((o) => [o.client, o.call, o.return, o.input, o.output]),
    [
      [0, 1, 3, { op: "append", key: "k", value: 'x "q"' }, {}],
      [1, 2, 4, { op: "get", key: "k" }, { value: "" }],
    ]
  )
})

test("kv log errors give the line and what was expected", (t) => {
  parseError(t, () => parseKvLog('{:process 0, :type :invoke, :f :get, :key "k", :value nil}\n{:process 0 :type :ok}'), 2, /:process P/)
  parseError(t, () => parseKvLog('{:process 0, :type :invoke, :f :cas, :key "k", :value "v"}'), 1, /:get, :put or :append/)
  parseError(t, () => parseKvLog('{:process 0, :type :invoke, :f :put, :key "k", :value nil}'), 1, /string value/)
  parseError(t, () => parseKvLog('{:process 0, :type :invoke, :f :get, :key "k", :value nil}\n{:process 0, :type :fail, :f :get, :key "k", :value nil}'), 2, /:invoke or :ok/)
  parseError(t, () => parseKvLog('{:process 0, :type :invoke, :f :get, :key "k", :value nil}\n{:process 0, :type :ok, :f :get, :key "j", :value ""}'), 2, /return of the :get on "k"/)
})

const JSON_OK = `{"version":1,"model":"kv","operations":[
{"client":0,"call":0,"return":2,"input":{"op":"put","key":"a","value":"x"},"output":{}},
{"client":1,"call":1,"return":3,"input":{"op":"get","key":"a"},"output":{"value":"x"}},
{"client":2,"call":1,"return":null,"input":{"op":"cas","key":"a","expected":null,"value":"y"},"output":null}
]}`

test("JSON history round-trips through its writer", (t) => {
  const parsed = parseJsonHistory(JSON_OK)
  t.is(parsed.model, "kv")
  t.is(parsed.history.length, 3)
  t.deepEqual(parsed.history.map((o) => o.line), [2, 3, 4])
  const again = parseJsonHistory(formatJsonHistory(parsed.model, parsed.history))
  t.deepEqual(again.history, parsed.history)
})

test("JSON history errors give the line of the operation and what was expected", (t) => {
  const lines = JSON_OK.split("\n")
  const withLine = (i: number, text: string) => lines.map((l, j) => (j === i ? text : l)).join("\n")
  parseError(t, () => parseJsonHistory(withLine(2, `{"client":1,"call":1,,"return":3,"input":{"op":"get","key":"a"},"output":{"value":"x"}},`)), 3, /valid JSON/)
  parseError(t, () => parseJsonHistory(withLine(3, `{"client":2,"call":5,"return":4,"input":{"op":"get","key":"a"},"output":null}`)), 4, /"return" null or a number not before "call"/)
  parseError(t, () => parseJsonHistory(withLine(2, `{"client":1,"call":1,"return":3,"input":{"op":"incr","key":"a"},"output":{}},`)), 3, /"op" one of get, put/)
  parseError(t, () => parseJsonHistory(withLine(3, `{"client":2,"call":1,"return":null,"input":{"op":"get","key":"a"},"output":{"value":"x"}}`)), 4, /never returned/)
  parseError(t, () => parseJsonHistory(withLine(2, `{"client":1,"call":1,"return":3,"input":{"op":"cas","key":"a","expected":"x","value":"y"},"output":{}},`)), 3, /"ok"/)
  parseError(t, () => parseJsonHistory(JSON_OK.replace(`"version":1`, `"version":2`)), 1, /"version": 1/)
  parseError(t, () => parseJsonHistory(JSON_OK, "register"), 1, /"model": "register"/)
})

test("the format is read from the content; --model must agree with it", (t) => {
  t.is(loadHistory(ETCD.join("\n")).format, "etcd-log")
  t.is(loadHistory(JSON_OK).name, "kv")
  t.is(loadHistory("", "etcd").history.length, 0)
  parseError(t, () => loadHistory(""), 1, /give --model/)
  parseError(t, () => loadHistory(ETCD.join("\n"), "kv"), 1, /--model kv/)
})
