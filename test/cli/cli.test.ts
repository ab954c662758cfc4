import test from "ava"
import { execFile } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const BIN = fileURLToPath(new URL("../../bin/tla-ts.js", import.meta.url))
const dir = mkdtempSync(join(tmpdir(), "tla-ts-cli-"))

const run = (args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: dir }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })
    )
  })
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split("\n").at(-1)!)

test("check twophase rm=5 --json reports TLC's 8,832 states at depth 17", async (t) => {
  const r = await run(["check", "twophase", "--param", "rm=5", "--json"])
  t.is(r.code, 0)
  const j = lastJson(r.stdout)
  t.like(j, { model: "twophase", strategy: "bfs", result: "ok", distinct: 8832, depth: 17 })
  t.true(j.generated > j.distinct)
  t.is(typeof j.seconds, "number")
})

test("list --json maps each model to its test names", async (t) => {
  const r = await run(["list", "--json"])
  t.is(r.code, 0)
  const j = lastJson(r.stdout)
  t.deepEqual(j.twophase, ["exhaustive", "bug-commit-without-all-prepared"])
  t.true(Array.isArray(j.clientserver) && j.clientserver.includes("bug-drop-seq"))
})

test("a violation writes a trace that replays to the same violation", async (t) => {
  const trace = join(dir, "bug.trace.json")
  const r = await run(["check", "twophase", "--test", "bug-commit-without-all-prepared", "--trace-out", trace, "--json"])
  t.is(r.code, 1)
  const j = lastJson(r.stdout)
  t.like(j, { result: "violation", property: "TCConsistent", traceFile: trace, traceLength: 5 })
  const replay = await run(["replay", trace, "--json"])
  t.is(replay.code, 1)
  t.like(lastJson(replay.stdout), { reproduced: true, found: { property: "TCConsistent", atStep: 5 } })
})

test("bad input: one line on stderr, exit code 2, no stack trace", async (t) => {
  const good = join(dir, "good.trace.json")
  await run(["check", "twophase", "--test", "bug-commit-without-all-prepared", "--trace-out", good, "--quiet"])
  const text = readFileSync(good, "utf8")
  writeFileSync(join(dir, "truncated.json"), text.slice(0, text.length / 2))
  writeFileSync(join(dir, "old.json"), text.replace(/"version": \d+/, '"version": 0'))
  writeFileSync(join(dir, "edited.json"), text.replace('"TMCommit"', '"TMAbort"'))
  writeFileSync(join(dir, "notrace.json"), "[1,2,3]")
  const cases: Array<[string[], RegExp]> = [
    [["check", "nosuch"], /unknown model "nosuch"/],
    [["check", "twophase", "--test", "nope"], /no test "nope"/],
    [["check", "twophase", "--param", "rm=x"], /rm must be a whole number/],
    [["check", "twophase", "--param", "rm=99"], /between 1 and 10/],
    [["check", "twophase", "--param", "bogus=1"], /no parameter "bogus"/],
    [["check", "twophase", "--param", "rm"], /key=value/],
    [["check", "twophase", "--strategy", "magic"], /--strategy must be one of/],
    [["check", "twophase", "--max-states", "lots"], /--max-states must be/],
    [["check", "twophase", "--frobnicate"], /Unknown option '--frobnicate'/],
    [["frobnicate"], /unknown command/],
    [["replay", join(dir, "missing.json")], /cannot read trace file/],
    [["replay", join(dir, "truncated.json")], /not valid JSON/],
    [["replay", join(dir, "old.json")], /version 0 is not supported/],
    [["replay", join(dir, "notrace.json")], /expected a JSON object/],
  ]
  // A trace the current model no longer follows is "not reproduced" (exit 3), not bad input.
  const edited = await run(["replay", join(dir, "edited.json")])
  t.is(edited.code, 3)
  t.regex(edited.stdout, /NOT reproduced: trace .* does not replay/)
  for (const [args, message] of cases) {
    const r = await run(args)
    t.is(r.code, 2, args.join(" "))
    t.regex(r.stderr, message, args.join(" "))
    t.is(r.stderr.trim().split("\n").length, 1, `one line for ${args.join(" ")}`)
    t.notRegex(r.stderr, /\n\s+at /, "no stack trace")
  }
})

test("a simulation's client history is written in the JSON format and checked by lincheck", async (t) => {
  const file = join(dir, "history.json")
  const r = await run(["check", "clientserver", "--test", "unreliable-20", "--seed", "5", "--history-out", file, "--json"])
  t.is(r.code, 0)
  t.like(lastJson(r.stdout), { result: "goal-found", historyFile: file, report: { operations: 100, completed: 100, unanswered: 0 } })
  const lin = await run(["lincheck", file, "--model", "kv", "--json"])
  t.is(lin.code, 0)
  t.like(lastJson(lin.stdout), { verdict: "linearizable", operations: 100 })
})

test("a transactional protocol's client history is written as transactions and checked by lincheck --model txn", async (t) => {
  // shardtxn's clients run transactions, which a KV history cannot hold: --history-out writes them in
  // the txn form (it failed with an internal error before).
  const file = join(dir, "txn-history.json")
  const r = await run(["check", "shardtxn", "--test", "single-group-simple", "--seed", "3", "--history-out", file, "--json"])
  t.is(r.code, 0, r.stderr)
  t.like(lastJson(r.stdout), { result: "goal-found", historyFile: file })
  t.like(JSON.parse(readFileSync(file, "utf8")), { version: 1, model: "txn" })
  const lin = await run(["lincheck", file, "--model", "txn", "--json"])
  t.is(lin.code, 0, lin.stderr)
  t.like(lastJson(lin.stdout), { verdict: "strictly-serializable" })
})

test("prove writes a JSON report with, per obligation, states, depth and result", async (t) => {
  const out = join(dir, "proof.json")
  const r = await run(["prove", "twophase", "--out", out, "--json"])
  t.is(r.code, 0)
  const report = JSON.parse(readFileSync(out, "utf8"))
  t.like(report, { obligations: 4, discharged: 4, failed: 0 })
  t.deepEqual(
    report.report.map((e: { states: number; depth: number; result: string }) => [e.states, e.depth, e.result]),
    [[288, 11, "ok"], [1568, 14, "ok"], [8832, 17, "ok"], [50816, 20, "ok"]]
  )
  const bad = await run(["prove", "nosuch"])
  t.is(bad.code, 2)
  t.regex(bad.stderr, /no proofs for "nosuch"/)
})
