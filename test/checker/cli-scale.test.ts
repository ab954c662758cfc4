/**
 * The command line of long and split runs: --checkpoint / --resume, --shard with `tla-ts merge`, and
 * one-line errors (exit 2) for bad flags, incomplete shard sets and missing checkpoints.
 */
import test from "ava"
import { execFile } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const BIN = fileURLToPath(new URL("../../bin/tla-ts.js", import.meta.url))
const dir = mkdtempSync(join(tmpdir(), "tla-ts-cli-scale-"))

const run = (args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: dir }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })
    )
  })
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split("\n").at(-1)!)

test("check --checkpoint stops at a budget, --resume finishes with TLC's count", async (t) => {
  const cp = join(dir, "cp")
  const first = await run(["check", "twophase", "--param", "rm=6", "--max-states", "20000", "--checkpoint", cp, "--json"])
  t.is(first.code, 0)
  t.like(lastJson(first.stdout), { result: "budget-exhausted" })
  const second = await run(["check", "twophase", "--param", "rm=6", "--resume", cp, "--json"])
  t.is(second.code, 0, second.stderr)
  t.like(lastJson(second.stdout), { result: "ok", distinct: 50816, depth: 20, complete: true })
})

test("three shards of a swarm search, merged: the planted bug is found in one of them", async (t) => {
  const files: string[] = []
  for (const i of [1, 2, 3]) {
    const args = ["check", "twophase", "--test", "bug-commit-without-all-prepared", "--param", "rm=4", "--strategy", "swarm"]
    const r = await run([...args, "--samples", "30", "--max-depth", "12", "--seed", "7", "--shard", `${i}/3`, "--trace-out", join(dir, `shard${i}.trace.json`), "--json"])
    t.true(r.code === 0 || r.code === 1, r.stderr)
    t.like(lastJson(r.stdout), { shard: `${i}/3`, strategy: "swarm" })
    files.push(join(dir, `shard${i}.json`))
    writeFileSync(files.at(-1)!, r.stdout)
  }
  const m = await run(["merge", ...files, "--json"])
  t.is(m.code, 1)
  t.like(lastJson(m.stdout), { result: "violation", property: "TCConsistent", shards: 3, expected: "violation", asExpected: true })
  const missing = await run(["merge", files[0]!, files[2]!])
  t.is(missing.code, 2)
  t.is(missing.stderr.trim(), "tla-ts: missing shard 2/3")
})

test("bad scale flags: one line on stderr, exit 2", async (t) => {
  const cases = [
    [["check", "twophase", "--strategy", "random", "--shard", "4/3"], /--shard must be I\/N/],
    [["check", "twophase", "--shard", "1/2"], /--shard applies to the sampled strategies/],
    [["check", "twophase", "--strategy", "dfs", "--checkpoint", join(dir, "x")], /apply to single-threaded bfs only/],
    [["check", "twophase", "--memory", "3"], /--memory is in MiB and must be at least 16/],
    [["check", "twophase", "--resume", join(dir, "nothing")], /no checkpoint in/],
    [["merge", join(dir, "nope.json")], /cannot read/],
  ] as const
  const results = await Promise.all(cases.map(([args]) => run([...args])))
  for (const [i, [args, message]] of cases.entries()) {
    const r = results[i]!
    t.is(r.code, 2, args.join(" "))
    t.regex(r.stderr, message)
    t.is(r.stderr.trim().split("\n").length, 1)
  }
})
