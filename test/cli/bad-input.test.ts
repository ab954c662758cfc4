/**
 * Bad input, found by trying (issue 13 item 7), by class: each gives one line on stderr and exit 2
 * before any run, or the documented exit code; an internal crash is exit 70 with its stack.
 * Runs the CLI in-process (main) to stay fast; the spawned CLI is covered by cli.test.ts.
 */
import test from "ava"
import { spawnSync } from "node:child_process"
import { mkdtempSync, truncateSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { main } from "../../src/cli/main.ts"
import { FIXTURES } from "./run-cli.ts"

const dir = mkdtempSync(join(tmpdir(), "tla-ts-bad-input-"))
const BUG = ["twophase", "--test", "bug-commit-without-all-prepared"]

/** Runs main with console output captured (serial tests only: console is global). */
const cli = async (args: string[]) => {
  const out: string[] = []
  const err: string[] = []
  const { log, error } = console
  const writeErr = process.stderr.write
  const writeOut = process.stdout.write
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write
  console.log = (...a: unknown[]) => void out.push(a.join(" "))
  console.error = (...a: unknown[]) => void err.push(a.join(" "))
  process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write
  const cwd = process.cwd()
  process.chdir(dir)
  try {
    return { code: await main(args), stdout: out.join("\n"), stderr: err.join("\n") }
  } finally {
    process.chdir(cwd)
    Object.assign(console, { log, error })
    process.stderr.write = writeErr
    process.stdout.write = writeOut
  }
}

const BAD: Array<[string, string[], RegExp]> = [
  ["non-numeric parameter a test does not read", ["check", "paxos", "--param", "clients=abc"], /clients must be a whole number, got "abc"/],
  ["out-of-range parameter", ["check", "paxos", "--param", "clients=0"], /clients must be between 1 and 10, got 0/],
  ["parameter with no effect on the test", ["check", "paxos", "--test", "one-client-3", "--param", "clients=2"], /clients has no effect on paxos --test one-client-3/],
  ["toString as a model", ["check", "toString"], /unknown model "toString"/],
  ["toString as a command", ["toString"], /unknown command "toString"/],
  ["constructor as a test", ["check", "twophase", "--test", "constructor"], /has no test "constructor"/],
  ["__proto__ as a parameter", ["check", "twophase", "--param", "__proto__=1"], /has no parameter "__proto__"/],
  ["toString as a parameter", ["check", "twophase", "--param", "toString=1"], /has no parameter "toString"/],
  ["more workers than cores", ["check", "twophase", "--workers", "64"], /--workers must be between 1 and \d+/],
  ["unwritable --trace-out", ["check", ...BUG, "--trace-out", "/nonexistent/t.json"], /--trace-out \/nonexistent\/t\.json: cannot write \(ENOENT\)/],
  ["unwritable --history-out", ["check", "pingpong", "--history-out", "/nonexistent/h.json"], /--history-out .*cannot write/],
  ["unwritable prove --out", ["prove", "twophase", "--out", "/nonexistent/p.json"], /--out .*cannot write/],
  ["unwritable test --junit", ["test", "twophase", "--junit", "/nonexistent/j.xml"], /--junit .*cannot write/],
  ["a directory as --trace-out", ["check", ...BUG, "--trace-out", "/tmp"], /--trace-out \/tmp: is a directory/],
  ["replay of an endless file", ["replay", "/dev/zero"], /\/dev\/zero is not a regular file/],
  ["replay of a huge file", ["replay", "huge.json"], /huge\.json is 300 MiB; at most 256 MiB are read/],
  ["etcd integer beyond 2^53", ["lincheck", "big.log", "--model", "etcd"], /big\.log: line 1: expected an integer within ±\(2\^53 - 1\), found "9007199254740993"/],
  ["JSON history number beyond 2^53", ["lincheck", "big.json"], /a number within ±2\^53/],
  ["--symmetry where no symmetry is declared", ["check", "pingpong", "--symmetry"], /declares no symmetry/],
  ["--symmetry with a sampled strategy", ["check", "pingpong", "--symmetry", "--strategy", "random"], /--symmetry applies to bfs and dfs/],
  ["--por with step properties", ["check", "clientserver", "--test", "exhaustive-one-client", "--por"], /--por keeps state properties only/],
  ["--por with --symmetry", ["check", "clientserver", "--test", "exhaustive-appends", "--por", "--symmetry"], /--por and --symmetry do not combine/],
  // A negative number after a value-taking option is its value, range-checked (parseArgs alone calls it "ambiguous").
  ["negative --max-states", ["check", "pingpong", "--max-states", "-5"], /--max-states must be a non-negative whole number, got "-5"/],
  ["negative kv bench --seconds", ["kv", "bench", "--cluster", "127.0.0.1:1", "--seconds", "-1"], /--seconds must be a non-negative number, got "-1"/],
  ["negative kv bench --clients", ["kv", "bench", "--cluster", "127.0.0.1:1", "--clients", "-3"], /--clients must be a non-negative whole number, got "-3"/],
]

test.serial("bad input: one line on stderr, exit 2, nothing run", async (t) => {
  writeFileSync(join(dir, "huge.json"), "")
  truncateSync(join(dir, "huge.json"), 300 * 2 ** 20) // sparse: no disk used
  writeFileSync(join(dir, "big.log"), "INFO  jepsen.util - 0 :invoke :write 9007199254740993\nINFO  jepsen.util - 0 :ok :write 9007199254740993\n")
  writeFileSync(join(dir, "big.json"), JSON.stringify({ version: 1, model: "register", operations: [{ client: 0, call: 0, return: 1, input: { op: "write", value: 2 ** 60 }, output: {} }] }))
  for (const [what, args, message] of BAD) {
    const r = await cli(args)
    t.is(r.code, 2, what)
    t.regex(r.stderr, message, what)
    t.is(r.stderr.trim().split("\n").length, 1, `${what}: one line`)
    t.is(r.stdout, "", `${what}: no run`)
  }
})

test.serial("an unwritable trace file stops before the run; a writable one gets the trace", async (t) => {
  const ok = await cli(["check", ...BUG, "--trace-out", "ok.trace.json", "--quiet"])
  t.is(ok.code, 1)
  t.regex(ok.stdout, /trace written to ok\.trace\.json/)
})

test.serial("lincheck --timeout covers parsing and set-up: a zero budget answers unknown (exit 3)", async (t) => {
  writeFileSync(join(dir, "small.log"), "INFO  jepsen.util - 0 :invoke :write 1\nINFO  jepsen.util - 0 :ok :write 1\n")
  const r = await cli(["lincheck", "small.log", "--model", "etcd", "--timeout", "0"])
  t.is(r.code, 3, r.stdout + r.stderr)
})

test.serial("an internal crash (stack overflow) is exit 70 with its stack, not bad input", async (t) => {
  const r = await cli(["check", join(FIXTURES, "overflow.ts")])
  t.is(r.code, 70)
  t.regex(r.stderr, /internal error.*Maximum call stack size exceeded/)
  t.regex(r.stderr, /\n\s+at /)
})

test.serial("--help lists every exit code", async (t) => {
  const r = await cli(["--help"])
  t.is(r.code, 0)
  for (const code of ["0 ", "1 ", "2 ", "3 ", "70"]) t.regex(r.stdout, new RegExp(`^  ${code}`, "m"))
})

test("a run that fills the heap stops as an internal error (exit 70) before V8 aborts the process", async (t) => {
  // The guard the strategies call on each progress tick, called here after every allocation, in a node with a 64 MiB heap.
  const script = `
    import { guardHeap } from ${JSON.stringify(new URL("../../src/cli/run.ts", import.meta.url).href)}
    const guard = guardHeap()
    const keep = []
    try {
      for (let i = 0; ; i++) { keep.push(new Array(200).fill(i)); if (i % 100 === 0) guard({ generated: i, distinct: i, queue: 0, depth: 0, seconds: 1, statesPerSecond: i }) }
    } catch (e) { console.log(e._tag, keep.length > 1000) }`
  const r = spawnSync(process.execPath, ["--max-old-space-size=64", "--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 })
  t.is(r.stdout.trim(), "OutOfMemoryError true", r.stderr)
})
