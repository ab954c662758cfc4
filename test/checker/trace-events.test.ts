/**
 * Traces as structured events (issue 8 item 4): a saved trace replays on its events, not on display
 * text, so changing a protocol's show function does not break it (while the same trace stripped to
 * version 1's labels does break: the events are what carry it); old label-only files still replay; a
 * malformed step is rejected naming its step and line, exit 2.
 */
import test from "ava"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { explore } from "../../src/checker/explore.ts"
import { toItf } from "../../src/checker/export.ts"
import { lastState, ReplayError, replaySteps } from "../../src/checker/path.ts"
import { lineOfElement, readTraceFile, recordedSteps, toTraceFile, TRACE_VERSION, type TraceFile, writeTraceFile } from "../../src/checker/trace-file.ts"
import { compile } from "../../src/core/compile.ts"
import type { Tagged } from "../../src/core/node.ts"
import { clientsDone } from "../../src/core/properties.ts"
import { pingConfig, pingPongModel, pingWorkload } from "../../src/protocols/pingpong/model.ts"
import { Session } from "../../src/viewer/session.ts"
import { dir, runHere, traceOf } from "../viewer/fixtures.ts"

const done = clientsDone()
/** Ping-pong on a network that drops (the named test lossy-done), with a show function of our own if given. */
const lossy = (show?: (x: Tagged) => string) =>
  compile({ ...pingConfig({ workloads: [pingWorkload("client1", 2)], network: { delivery: "multiset", drops: true } }), ...(show ? { show } : {}) }, {
    name: "pingpong",
    properties: [done],
  })

/** The shortest run that gets the client done, written as a trace file and read back. */
const saved = (): TraceFile => {
  const system = lossy()
  const r = explore(system)
  const file = join(dir, "ping-events.trace.json")
  writeTraceFile(file, toTraceFile(system, r, { model: "pingpong", params: {}, test: "lossy-done" }))
  return readTraceFile(file)
}

const labelOnly = (trace: TraceFile): TraceFile => {
  const { events: _events, ...rest } = trace
  return { ...rest, version: 1 }
}

test("a saved trace replays on its events after the protocol's show function changes; label text alone would not", (t) => {
  const trace = saved()
  t.is(trace.version, TRACE_VERSION)
  t.is(trace.events?.length, trace.steps.length)
  t.like(trace.events?.find((e) => (e as { kind: string }).kind === "deliver"), { kind: "deliver", to: "server", msg: { _tag: "Ping", value: "client1.0" } })

  t.deepEqual(trace.events!.map((e) => lossy().eventProblem!(e)).filter((p) => p !== undefined), [], "every event it writes is well-formed")
  const renamed = lossy((x) => `<${x._tag.toLowerCase()}>`)
  const path = replaySteps(renamed, trace.initial, recordedSteps(trace))
  t.is(path.steps.length, trace.steps.length)
  t.true(done.holds(lastState(path)), "the replayed trace still gets the client done")
  t.notDeepEqual(path.steps.map((s) => s.text), trace.steps, "the labels are the new show function's")

  // The same steps as a version 1 (label-only) file: they replay on the unchanged model, not on the renamed one.
  const old = labelOnly(trace)
  t.is(replaySteps(lossy(), old.initial, recordedSteps(old)).steps.length, trace.steps.length)
  t.throws(() => replaySteps(renamed, old.initial, recordedSteps(old)), { instanceOf: ReplayError, message: /step 1 .* is not enabled/ })
})

test("a simulated run's trace replays on its events too (with their simulated times)", (t) => {
  const named = pingPongModel.tests["unreliable-50"]!
  const system = named.build({ clients: "1", pings: "5" }, 3)
  const r = explore(system, { ...named.options, seed: 3 })
  t.is(r.verdict, "goal-found")
  const trace = toTraceFile(system, r, { model: "pingpong", params: { clients: "1", pings: "5" }, test: "unreliable-50", seed: 3 })
  t.like(trace.events?.[0], { kind: "timer", at: 10, node: "client1", timer: { _tag: "PingTimer" } })
  t.like(trace.events?.[2], { kind: "deliver", at: 30, from: "client1", to: "server", msg: { _tag: "Ping", value: "client1.0" } })
  t.deepEqual(trace.events!.map((e) => system.eventProblem!(e)).filter((p) => p !== undefined), [], "every event it writes is well-formed")
  const path = replaySteps(named.build({ clients: "1", pings: "5" }, 3), trace.initial, recordedSteps(trace))
  t.is(path.steps.length, trace.steps.length)
})

test("an event that matches no enabled step does not replay, whatever its label says", (t) => {
  const trace = saved()
  const i = trace.events!.findIndex((e) => (e as { kind: string }).kind === "deliver")
  const events = trace.events!.map((e, k) => (k === i ? { ...(e as object), msg: { _tag: "Ping", value: "client9.9" } } : e))
  t.throws(() => replaySteps(lossy(), trace.initial, recordedSteps({ ...trace, events })), { instanceOf: ReplayError, message: new RegExp(`step ${i + 1} `) })
})

test("tla-ts replay: version 2 and version 1 files both reproduce; a malformed step is rejected with its step and line, exit 2", async (t) => {
  const { file, trace } = await traceOf("pingpong", "lossy-done")
  t.true(trace.steps.length >= 2)
  t.like(JSON.parse((await runHere(["replay", file, "--json"])).stdout), { reproduced: true })
  const v1 = join(dir, "ping-v1.trace.json")
  writeFileSync(v1, JSON.stringify(labelOnly(trace), null, 1))
  const old = await runHere(["replay", v1, "--json"])
  t.is(old.code, 0)
  t.like(JSON.parse(old.stdout), { reproduced: true, found: { kind: "goal" } })

  // Each event is on a line of its own; break the second one.
  const lines = readFileSync(file, "utf8").split("\n")
  const second = lines.findIndex((l) => l.trim().startsWith('{"kind"')) + 1
  t.true(lines[second]!.trim().startsWith('{"kind"'))
  lines[second] = lines[second]!.replace(/"kind":"\w+"/, '"kind":7')
  const bad = join(dir, "ping-bad.trace.json")
  writeFileSync(bad, lines.join("\n"))
  const r = await runHere(["replay", bad])
  t.is(r.code, 2)
  t.regex(r.stderr, new RegExp(`step 2 \\(line ${second + 1}\\): the event has no "kind"`))
  t.is(r.stderr.trim().split("\n").length, 1)

  // Well-formed JSON, but not a step this protocol can take: one line, exit 2, naming step and line.
  for (const [edit, why] of [
    [(e: object) => ({ ...e, msg: 5 }), /"msg" must be an encoded message/],
    [(e: object) => ({ ...e, kind: "teleport" }), /unknown kind of step "teleport"/],
    [({ msg: _msg, ...e }: { msg?: unknown }) => e, /a deliver step needs "msg"/],
    [(e: object) => ({ ...e, choices: [-1] }), /"choices" must be a list of choices/],
  ] as const) {
    writeTraceFile(bad, { ...trace, events: trace.events!.map((e, i) => (i === 2 ? edit(e as object) : e)) })
    const lines = readFileSync(bad, "utf8").split("\n")
    const third = lines.findIndex((l) => l.trim().startsWith('{"kind"')) + 2
    const r = await runHere(["replay", bad])
    t.is(r.code, 2)
    t.regex(r.stderr, new RegExp(`step 3 \\(line ${third + 1}\\): `))
    t.regex(r.stderr, why)
  }

  writeFileSync(bad, JSON.stringify({ ...trace, events: trace.events!.slice(1) }))
  t.regex((await runHere(["replay", bad])).stderr, /"events" must be an array with one event per step/)
})

test("the explorer opens a trace by its events (showing today's labels); ITF carries each step's event", async (t) => {
  const { trace } = await traceOf("pingpong", "lossy-done")
  const session = await Session.open({ model: "pingpong", test: "lossy-done", params: {}, seed: 1 })
  const stale = { ...trace, steps: trace.steps.map((l) => l.replace("deliver", "handed over")) }
  t.deepEqual(session.labelsOf(stale), trace.steps)
  t.deepEqual(session.labelsOf(labelOnly(stale)), stale.steps, "a label-only trace that no longer matches keeps its own labels")

  const system = lossy()
  const path = replaySteps(system, trace.initial, recordedSteps(trace))
  const itf = toItf(system, path, "lossy-done") as { states: Array<{ "#meta": { event?: unknown } }> }
  t.deepEqual(itf.states.slice(1).map((s) => s["#meta"].event), trace.events)
})

test("a step's line is found in any layout of the JSON, past strings and nesting that look alike", (t) => {
  const text = '{\n "model": "events",\n "x": {"events": [9]},\n "events": [\n  {"a":"[,]"},\n  {"b":1},\n  3\n ]\n}'
  t.deepEqual([0, 1, 2, 3].map((i) => lineOfElement(text, "events", i)), [5, 6, 7, 0])
  t.is(lineOfElement('{"events":[1,\n2]}', "events", 1), 2)
})
