/** User model files: checked, replayed and run on parallel workers like built-in models; broken ones rejected in one line. */
import test from "ava"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { FIXTURES, lastJson, oneLine, runCli } from "./run-cli.ts"

const dir = mkdtempSync(join(tmpdir(), "tla-ts-user-model-"))
const counters = join(FIXTURES, "counters.ts")

test("check ./model.ts: the default build, a named test with its expectation, and replay of its trace", async (t) => {
  const ok = await runCli(["check", counters, "--param", "max=4", "--json"], dir)
  t.is(ok.code, 0, ok.stderr)
  t.like(lastJson(ok.stdout), { result: "ok", distinct: 15, complete: true })
  const bug = await runCli(["check", counters, "--test", "bug-overflow", "--json"], dir)
  t.is(bug.code, 1, bug.stderr)
  const j = lastJson(bug.stdout)
  t.like(j, { result: "violation", property: "A_AT_MOST_MAX", expected: "violation", asExpected: true, traceFile: "counters-bug-overflow.trace.json" })
  const replay = await runCli(["replay", j.traceFile, "--json"], dir)
  t.is(replay.code, 1, replay.stderr)
  t.like(lastJson(replay.stdout), { reproduced: true, found: { property: "A_AT_MOST_MAX" } })
})

test("parallel workers load the model file too, with the same counts as one thread", async (t) => {
  const one = lastJson((await runCli(["check", counters, "--param", "max=6", "--json"], dir)).stdout)
  const two = await runCli(["check", counters, "--param", "max=6", "--workers", "2", "--json"], dir)
  t.is(two.code, 0, two.stderr)
  t.like(lastJson(two.stdout), { result: "ok", distinct: one.distinct, generated: one.generated, depth: one.depth })
})

test("a file that is missing, exports no model, exports a broken one or does not compile: one line naming it, exit 2", async (t) => {
  writeFileSync(join(dir, "syntax.ts"), "export default defineModel({ name: \"x\", build: () => (\n")
  const cases: Array<[string, RegExp]> = [
    ["./missing.ts", /model file \.\/missing\.ts does not exist/],
    [join(FIXTURES, "not-a-model.ts"), /not-a-model\.ts exports no model/],
    [join(FIXTURES, "broken-model.js"), /broken-model\.js: export "default" is not a model: "build" must be a function/],
    ["./syntax.ts", /model file \.\/syntax\.ts does not load: .*syntax\.ts:2/],
  ]
  for (const [file, message] of cases) {
    const r = await runCli(["check", file], dir)
    t.is(r.code, 2, file)
    t.regex(r.stderr, message)
    t.true(oneLine(r.stderr), r.stderr)
  }
})

test("typed parameters: out of range, not a number, not a choice, or unused by the test are rejected before any run", async (t) => {
  const cases = [
    [["--param", "max=99"], /max must be between 1 and 50, got 99/],
    [["--param", "max=abc"], /max must be a whole number, got "abc"/],
    [["--param", "step=three"], /step must be one of one, two, got "three"/],
    [["--test", "bug-overflow", "--param", "step=two"], /step has no effect on counters --test bug-overflow/],
  ] as const
  for (const [args, message] of cases) {
    const r = await runCli(["check", counters, ...args], dir)
    t.is(r.code, 2, args.join(" "))
    t.regex(r.stderr, message)
  }
  const two = await runCli(["check", counters, "--param", "step=two", "--param", "max=4", "--json"], dir)
  t.like(lastJson(two.stdout), { result: "ok", distinct: 9 })
})
