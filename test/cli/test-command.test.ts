/** `tla-ts test`: one line per named test, a summary, JUnit XML a JUnit parser reads, exit 1 on an unexpected verdict. */
import test from "ava"
import { XMLParser } from "fast-xml-parser"
import { existsSync, mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { FIXTURES, oneLine, runCli } from "./run-cli.ts"

const dir = mkdtempSync(join(tmpdir(), "tla-ts-test-cmd-"))
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => ["testsuite", "testcase"].includes(name) })

test("all as expected: exit 0, one line per test, a summary, JUnit with every testcase", async (t) => {
  const r = await runCli(["test", "twophase", join(FIXTURES, "counters.ts"), "--seed", "5", "--junit", "ok.xml"], dir)
  t.is(r.code, 0, r.stderr)
  const lines = r.stdout.trim().split("\n")
  t.deepEqual(lines.filter((l) => l.startsWith("ok   ")).length, 4)
  t.regex(lines.at(-1)!, /^4 passed, 0 failed \(.*seed 5\)/)
  const doc = xml.parse(readFileSync(join(dir, "ok.xml"), "utf8"))
  t.is(doc.testsuites.tests, "4")
  t.is(doc.testsuites.failures, "0")
  t.deepEqual(doc.testsuites.testsuite.map((s: { name: string }) => s.name), ["twophase", "counters"])
  t.deepEqual(doc.testsuites.testsuite[1].testcase.map((c: { name: string }) => c.name), ["exhaustive", "bug-overflow"])
})

test("an unexpected verdict: exit 1, FAIL line with trace and replay command, JUnit failure carrying them", async (t) => {
  const r = await runCli(["test", join(FIXTURES, "wrong-expectation.ts"), "--junit", "bad.xml", "--trace-dir", "traces"], dir)
  t.is(r.code, 1, r.stderr)
  t.regex(r.stdout, /^ok   wrong\/fine: ok/m)
  t.regex(r.stdout, /^FAIL wrong\/bug-expected-ok: violation A_AT_MOST_MAX \(expected ok\)/m)
  t.regex(r.stdout, /replay: tla-ts replay traces\/wrong-bug-expected-ok\.trace\.json/)
  t.regex(r.stdout, /1 passed, 1 failed/)
  t.true(existsSync(join(dir, "traces/wrong-bug-expected-ok.trace.json")))
  const suite = xml.parse(readFileSync(join(dir, "bad.xml"), "utf8")).testsuites.testsuite[0]
  t.is(suite.failures, "1")
  const failure = suite.testcase.find((c: { name: string }) => c.name === "bug-expected-ok").failure
  t.is(failure.message, "violation of A_AT_MOST_MAX, expected ok")
  t.regex(failure["#text"], /property: A_AT_MOST_MAX/)
  t.regex(failure["#text"], /replay: tla-ts replay traces\/wrong-bug-expected-ok\.trace\.json/)
  // The replay command it prints works.
  const replay = await runCli(["replay", "traces/wrong-bug-expected-ok.trace.json", "--quiet"], dir)
  t.is(replay.code, 1)
  t.regex(replay.stdout, /reproduced/)
})

test("--test selects, --search / --no-search split search from simulation, bad selections are one line", async (t) => {
  const one = await runCli(["test", "twophase", "--test", "exhaustive", "--json"], dir)
  t.is(one.code, 0, one.stderr)
  t.like(JSON.parse(one.stdout.trim()), { model: "twophase", test: "exhaustive", passed: true, verdict: "ok", states: 288 })
  const none = await runCli(["test", "twophase", "--no-search"], dir)
  t.is(none.code, 2)
  t.regex(none.stderr, /no test matched/)
  const unknown = await runCli(["test", "twophase", "--test", "nope"], dir)
  t.is(unknown.code, 2)
  t.true(oneLine(unknown.stderr))
})
