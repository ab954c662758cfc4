import test from "ava"
import { execFile } from "node:child_process"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { APPS, bundle } from "../../src/viewer/bundle.ts"
import { parseLabel } from "../../src/viewer/labels.ts"
import { bundleFile } from "../../src/viewer/page.ts"
import { traceData } from "../../src/viewer/replay.ts"
import { dir, runHere, traceOf } from "./fixtures.ts"

const BIN = fileURLToPath(new URL("../../bin/tla-ts.js", import.meta.url))
const run = (args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(process.execPath, [BIN, ...args], { cwd: dir }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }))
  )

test("the committed browser bundle is what npm run build:viewer makes from the sources", async (t) => {
  for (const app of APPS) t.is(readFileSync(bundleFile(app), "utf8"), await bundle(app), `src/viewer/assets/${app}.js is stale: run npm run build:viewer`)
})

test("twophase's planted bug: the violated property, its explanation and its step", async (t) => {
  const { file, trace } = await traceOf("twophase", "bug-commit-without-all-prepared")
  const d = await traceData(trace, file)
  t.is(d.steps.length, 5)
  t.like(d.outcome, { kind: "violation", property: "TCConsistent", step: 5 })
  t.regex(d.outcome!.explanation!, /committed.*aborted/)
  t.true(d.nodes.includes("TM") && d.nodes.includes("r1"))
  t.is(d.steps[2]!.label, "TMCommit")
  t.is(d.steps[2]!.actor, "TM")
  // The diff of TMCommit is exactly tmState init -> committed plus the Commit message.
  const changed = d.steps[2]!.ops.map(([p, a, b]) => `${d.paths[p]!.join(".")}: ${a} -> ${b}`)
  t.true(changed.includes(`tmState: "init" -> "committed"`), changed.join("\n"))
})

test("clientserver's planted bug: a request delivered twice is one message with two deliveries", async (t) => {
  const { file, trace } = await traceOf("clientserver", "bug-execute-retries")
  const d = await traceData(trace, file)
  t.deepEqual(d.nodes.slice(0, 2), ["server", "client1"])
  const [first, second, reply] = d.steps
  t.is(first!.kind, "deliver")
  t.is(first!.msg, second!.msg, "the same envelope, by identity")
  t.true(second!.dup)
  const request = d.messages[first!.msg!]!
  t.like(request, { from: "client1", to: "server", sent: 0 })
  t.deepEqual(request.deliveries, [1, 2])
  // The reply to the duplicate was sent by step 2 (the server's second execution) and delivered at 3.
  const answer = d.messages[reply!.msg!]!
  t.like(answer, { from: "server", to: "client1", sent: 2 })
  t.like(d.outcome, { kind: "violation", property: "RESULTS_OK", step: 3 })
})

test("labels of the timed simulator and of the checker are read into kinds", (t) => {
  t.like(parseLabel("@12 deliver s1 -> s2: Vote(t=1)"), { kind: "deliver", time: 12, from: "s1", to: "s2", envelope: "s1 -> s2: Vote(t=1)" })
  t.like(parseLabel("deliver a -> b/log: X() [choose 1,0]"), { kind: "deliver", envelope: "a -> b/log: X()", to: "b/log" })
  t.like(parseLabel("@7 lost (partition) s1 -> s3: Ping()"), { kind: "lost", time: 7, from: "s1" })
  t.like(parseLabel("drop c -> s: Ping(value=c.0)"), { kind: "drop", to: "s" })
  t.like(parseLabel("@40 timer s2: ElectionTimer()"), { kind: "timer", node: "s2", time: 40 })
  t.like(parseLabel("crash server1"), { kind: "crash", node: "server1" })
  t.like(parseLabel("@300 crash (nobody: role vacant)"), { kind: "step" })
  t.deepEqual(parseLabel("@90 partition {s1,client1} {s2,s3}").groups, [["s1", "client1"], ["s2", "s3"]])
  t.like(parseLabel("@120 heal"), { kind: "heal" })
  t.like(parseLabel("RMPrepare(r1)"), { kind: "step" })
})

test("tla-ts view writes one self-contained page: no request leaves it", async (t) => {
  const { file } = await traceOf("twophase", "bug-commit-without-all-prepared")
  const out = join(dir, "tp.html")
  const r = await run(["view", file, "--out", out])
  t.is(r.code, 0, r.stderr)
  const html = readFileSync(out, "utf8")
  t.false(/<(script|link|img)[^>]+(src|href)=/i.test(html), "no external script, stylesheet or image")
  t.false(/https?:\/\//.test(html.replace(/https?:\/\/(www\.w3\.org|react\.dev|preactjs\.com)[^"'\s]*/g, "")), "no URL the page could fetch")
  t.true(html.includes('"TCConsistent"'))
})

test("a trace that no longer replays is shown from its stored states, with a note saying so", async (t) => {
  const { file, trace } = await traceOf("twophase", "bug-commit-without-all-prepared")
  const edited = join(dir, "edited.trace.json")
  writeFileSync(edited, JSON.stringify({ ...trace, steps: trace.steps.map((s, i) => (i === 1 ? "TMRcvPrepared(r9)" : s)) }))
  const r = await run(["view", edited])
  t.is(r.code, 0, r.stderr)
  const html = readFileSync(edited.replace(/\.json$/, ".html"), "utf8")
  t.true(html.includes("does not replay on the current model"))
  t.truthy(file)
})

test.serial("bad input to view: one line on stderr, exit 2", async (t) => {
  const notTrace = join(dir, "not-a-trace.json")
  writeFileSync(notTrace, JSON.stringify({ hello: 1 }))
  const broken = join(dir, "broken.trace.json")
  writeFileSync(broken, '{"format": "tla-ts-trace", "vers')
  const unknownModel = join(dir, "unknown-model.trace.json")
  const { trace } = await traceOf("twophase", "bug-commit-without-all-prepared")
  writeFileSync(unknownModel, JSON.stringify({ ...trace, model: "nosuchmodel", states: undefined }))
  const cases: Array<[string[], RegExp]> = [
    [["view"], /exactly one trace file/],
    [["view", join(dir, "missing.json")], /cannot read trace file .*ENOENT/],
    [["view", notTrace], /not a tla-ts trace/],
    [["view", broken], /not valid JSON/],
    [["view", unknownModel], /does not replay \(unknown model "nosuchmodel"/],
    [["view", notTrace, "--out", "x.txt"], /--out must name an \.html file/],
    [["view", notTrace, "--bogus"], /Unknown option '--bogus'/],
  ]
  // In this process (the exit code main returns), and one of them as a real process.
  const results = []
  for (const [args] of cases) results.push(await runHere(args))
  const real = await run(cases[1]![0])
  t.is(real.code, 2)
  t.is(real.stderr, results[1]!.stderr + "\n")
  for (const [k, [args, message]] of cases.entries()) {
    const r = results[k]!
    t.is(r.code, 2, args.join(" "))
    t.regex(r.stderr, message)
    t.is(r.stderr.trim().split("\n").length, 1, `one line for ${args.join(" ")}: ${r.stderr}`)
  }
})
