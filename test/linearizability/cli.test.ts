import { mkdtemp, readFile, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import test from "ava"
import { runLincheck } from "../../src/cli/lincheck.ts"
import { porcupineDir } from "./data.ts"

const run = async (...args: string[]) => {
  let out = ""
  let err = ""
  const code = await runLincheck(args, { out: (s) => void (out += s), err: (s) => void (err += s) })
  return { code, out, err }
}
const lastJson = (out: string) => JSON.parse(out.trim().split("\n").at(-1)!) as Record<string, unknown>

test("exit 0 and a JSON record for a linearizable history", async (t) => {
  const { code, out } = await run(join(porcupineDir, "jepsen/etcd_002.log"), "--model", "etcd", "--json")
  t.is(code, 0)
  t.like(lastJson(out), { model: "etcd", verdict: "linearizable", operations: 77 })
  t.is(typeof lastJson(out).seconds, "number")
})

test("exit 1, a summary and an HTML page for a violation", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "lincheck-"))
  const html = join(dir, "out.html")
  const { code, out } = await run(join(porcupineDir, "kv/c01-bad.txt"), "--model", "kv", "--html", html)
  t.is(code, 1)
  t.regex(out, /not linearizable .* cannot be linearised/s)
  t.regex(await readFile(html, "utf8"), /<svg/)
})

test("exit 3 when the time budget runs out", async (t) => {
  const { code, out } = await run(join(porcupineDir, "jepsen/etcd_000.log"), "--timeout", "0", "--json")
  t.is(code, 3)
  t.like(lastJson(out), { verdict: "unknown" })
})

test("exit 2 with one line on stderr for bad usage and bad input", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "lincheck-"))
  const bad = join(dir, "bad.json")
  await writeFile(bad, `{"version":1,"model":"register","operations":[\n{"client":0,"call":1,"return":0,"input":{"op":"read"},"output":null}\n]}`)
  for (const args of [["--nope"], [], ["a", "b"], ["x.log", "--model", "paxos"], ["x.log", "--timeout", "soon"], [join(dir, "missing.log")], [bad]]) {
    const { code, err, out } = await run(...args)
    t.is(code, 2, args.join(" "))
    t.is(out, "")
    t.regex(err, /^tla-ts: [^\n]+\n$/)
  }
  t.regex((await run(bad)).err, /line 2: expected in operations\[0\], "return" null or a number not before "call"/)
})

test("a JSON history is checked against the model it names", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "lincheck-"))
  const file = join(dir, "h.json")
  await writeFile(
    file,
    `{"version":1,"model":"register","operations":[
{"client":0,"call":0,"return":10,"input":{"op":"write","value":1},"output":{}},
{"client":1,"call":20,"return":30,"input":{"op":"read"},"output":{"value":null}}
]}`
  )
  t.is((await run(file)).code, 1)
  t.is((await run(file, "--model", "kv")).code, 2)
})
