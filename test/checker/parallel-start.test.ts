/** Workers started before the model loads (parallel-bfs.ts startEarly), as the CLI starts them for --workers 2. */
import test from "ava"
import { tmpdir } from "node:os"
import { bfs } from "../../src/checker/explore.ts"
import { parallelBfs, type ModelRef, startEarly } from "../../src/checker/parallel-bfs.ts"
import { buildSystem } from "../../src/checker/parallel-protocol.ts"
import { REGISTRY_URL } from "../../src/registry/index.ts"
import { oneLine, runCli } from "../cli/run-cli.ts"

// Each run starts its own workers: one at a time, so that they do not fight for the cores.
test.serial("an early worker builds the system its reference names once it comes (its params)", async (t) => {
  // twophase's default rm is 3: a worker that built from the model's name alone would search another system.
  const ref: ModelRef = { loader: REGISTRY_URL, model: "twophase", params: { rm: "5" } }
  const expected = bfs(await buildSystem(ref))
  const started = startEarly(REGISTRY_URL, "twophase", 2)
  const r = await parallelBfs(ref, { workers: 2, startTogether: true, started })
  t.deepEqual([r.verdict, r.distinct, r.generated, r.depth], [expected.verdict, expected.distinct, expected.generated, expected.depth])
  // The worker searched (it generated successors) and loaded the model's modules before it was asked to.
  t.true(r.threads[1]!.generated > 0)
  if (process.platform === "linux") t.true(r.threads[1]!.startCpuSeconds > 0)
})

test.serial("early workers for another model, or another count, are refused", async (t) => {
  const started = startEarly(REGISTRY_URL, "twophase", 2)
  await t.throwsAsync(parallelBfs({ loader: REGISTRY_URL, model: "tcommit", params: {} }, { workers: 2, started }), { message: /started early load twophase/ })
  await t.throwsAsync(parallelBfs({ loader: REGISTRY_URL, model: "twophase", params: {} }, { workers: 3, started }), { message: /started early load twophase/ })
  await started.close()
})

test.serial("early workers for an unknown model: the search fails with the loader's message", async (t) => {
  const started = startEarly(REGISTRY_URL, "nope", 2)
  await t.throwsAsync(parallelBfs({ loader: REGISTRY_URL, model: "nope", params: {} }, { workers: 2, started }), { message: /unknown model "nope"/ })
})

// The CLI starts the worker before it reads the model and its parameters: bad input still ends at once, in one line, exit 2
// (the early worker holds nothing open).
test.serial("check --workers 2 with a bad parameter: one line, exit 2", async (t) => {
  const r = await runCli(["check", "twophase", "--param", "bogus=1", "--workers", "2"], tmpdir(), 30_000)
  t.is(r.code, 2)
  t.regex(r.stderr, /has no parameter "bogus"/)
  t.true(oneLine(r.stderr))
})

// `tla-ts test --workers 2` starts each test's worker while the test before it runs: every test still gets the
// system it names (twophase's tests, then tcommit's: the prefetched worker loads the next model).
test.serial("test --workers 2: each test's early worker searches its own test, the counts of one thread", async (t) => {
  const outcomes = async (workers: string) => {
    const r = await runCli(["test", "twophase", "tcommit", "--workers", workers, "--json", "--seed", "1"], tmpdir(), 60_000)
    t.is(r.code, 0, r.stderr)
    return r.stdout.trim().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as { test: string; verdict: string; states: number })
  }
  const [one, two] = [await outcomes("1"), await outcomes("2")]
  t.deepEqual(two.map((o) => [o.test, o.verdict]), one.map((o) => [o.test, o.verdict]))
  // A complete search's count (a hit's depends on which thread finds it first).
  t.deepEqual(two.filter((o) => o.verdict === "ok").map((o) => o.states), one.filter((o) => o.verdict === "ok").map((o) => o.states))
})
