/**
 * Liveness on the explored graph: <>P, []<>P and P ~> Q under weak and strong fairness; every
 * counterexample is a lasso that closes its cycle, is fair, and violates the property (checkLasso,
 * the same check `tla-ts replay` runs); planted liveness bugs are caught and correct systems pass.
 */
import test from "ava"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { explore } from "../../src/checker/explore.ts"
import { checkLasso, checkLiveness } from "../../src/checker/liveness.ts"
import { replayLabels } from "../../src/checker/path.ts"
import { plainFingerprint } from "../../src/checker/plain.ts"
import type { CheckResult } from "../../src/checker/result.ts"
import { readTraceFile, toTraceFile, writeTraceFile } from "../../src/checker/trace-file.ts"
import { alwaysEventually, eventually, leadsTo, strongFairness, weakFairness, weakNext, withLiveness } from "../../src/checker/temporal.ts"
import type { TransitionSystem } from "../../src/checker/transition-system.ts"
import { compile, type Event, type ProtocolState } from "../../src/core/compile.ts"
import { allClientsDone } from "../../src/core/properties.ts"
import { inFlightAtMost, pingConfig, pingWorkload } from "../../src/protocols/pingpong/model.ts"
import { twoPhasePlain, type TwoPhaseLabel, type TwoPhaseState } from "../../spec/twophase-plain.ts"
import { labelsOf } from "../helpers.ts"

/** A small spec from a table of named steps: state -> [[label, next]...]. */
const table = (name: string, steps: Record<string, ReadonlyArray<readonly [string, string]>>): TransitionSystem<string, string> => ({
  name,
  initial: () => ["a"],
  successors: (s, emit) => (steps[s] ?? []).forEach(([l, t]) => emit(l, t)),
  fingerprint: plainFingerprint,
  formatLabel: (l) => l,
  view: (s) => ({ at: s }),
  properties: [],
})

/** The lasso replays by label from its initial state and `checkLasso` confirms it (what `tla-ts replay` does). */
const lassoConfirmed = <S, L>(system: TransitionSystem<S, L>, r: CheckResult<S, L>): string | undefined => {
  const path = { ...replayLabels(system, r.path!.initialIndex, labelsOf(r.path)), loop: r.path!.loop! }
  const hit = checkLasso(system, path)
  return typeof hit === "string" ? hit : hit.property
}

// a -> b -> c (done), with a way back from b to a.
const loopy = table("loopy", { a: [["toB", "b"]], b: [["back", "a"], ["finish", "c"]] })

test("<>P without fairness: the behaviour may stutter in the initial state forever", (t) => {
  const system = withLiveness(loopy, [eventually("Done", (s) => s === "c")], [])
  const r = checkLiveness(system)
  t.like(r, { verdict: "violation", property: "Done" })
  t.deepEqual(labelsOf(r.path), [])
  t.is(r.path!.loop, 0)
  t.is(lassoConfirmed(system, r), "Done")
})

test("<>P under WF(Next): a fair cycle a -> b -> a avoids P; a lasso with that cycle", (t) => {
  const system = withLiveness(loopy, [eventually("Done", (s) => s === "c")], [weakNext()])
  const r = checkLiveness(system)
  t.like(r, { verdict: "violation", property: "Done" })
  t.deepEqual(labelsOf(r.path), ["toB", "back"])
  t.is(r.path!.loop, 0)
  t.is(lassoConfirmed(system, r), "Done")
})

test("<>P: weak fairness of finish is not enough (it is disabled in a), strong fairness is", (t) => {
  const finish = (l: string) => (l === "finish" ? l : undefined)
  const weak = checkLiveness(withLiveness(loopy, [eventually("Done", (s) => s === "c")], [weakNext(), weakFairness(finish)]))
  t.like(weak, { verdict: "violation", property: "Done" })
  const strong = checkLiveness(withLiveness(loopy, [eventually("Done", (s) => s === "c")], [weakNext(), strongFairness(finish)]))
  t.like(strong, { verdict: "ok", complete: true, distinct: 3 })
})

test("[]<>P and P ~> Q: a cycle that keeps returning passes, one that leaves for good fails", (t) => {
  const ring = table("ring", { a: [["go", "b"]], b: [["go", "a"], ["leave", "x"]], x: [["spin", "y"]], y: [["spin", "x"]] })
  const props = [alwaysEventually<string>("InfinitelyOftenA", (s) => s === "a"), leadsTo<string>("BLeadsToA", (s) => s === "b", (s) => s === "a")]
  for (const p of props) {
    const r = checkLiveness(withLiveness(ring, [p], [weakNext()]))
    t.like(r, { verdict: "violation", property: p.name })
    t.deepEqual(labelsOf(r.path), ["go", "leave", "spin", "spin"], p.name)
    t.is(r.path!.loop, 2)
    t.is(lassoConfirmed(withLiveness(ring, [p], [weakNext()]), r), p.name)
  }
  // Without the exit both hold.
  const closed = table("closed", { a: [["go", "b"]], b: [["go", "a"]] })
  t.like(checkLiveness(withLiveness(closed, props, [weakNext()])), { verdict: "ok", complete: true })
})

test("checkLasso rejects a cycle that is not fair and one that does not close", (t) => {
  const system = withLiveness(loopy, [eventually("Done", (s) => s === "c")], [weakNext(), strongFairness((l: string) => (l === "finish" ? l : undefined))])
  const unfair = { ...replayLabels(system, 0, ["toB", "back"]), loop: 0 }
  t.regex(checkLasso(system, unfair) as string, /not fair: strongly fair class "finish"/)
  const open = { ...replayLabels(system, 0, ["toB"]), loop: 0 }
  t.regex(checkLasso(system, open) as string, /does not close its cycle/)
})

// TwoPhase with weak fairness of every action of every RM and of the TM: every RM decides.
const rmAction = (l: TwoPhaseLabel) => (l.rm === undefined ? l.action : `${l.action}(${l.rm})`)
const decided = (s: TwoPhaseState) => Object.values(s.rmState).every((v) => v === "committed" || v === "aborted")

test("TwoPhase RM=3 under weak fairness of every action: every RM eventually decides, and stays decided", (t) => {
  const system = withLiveness(twoPhasePlain({ rm: 3 }), [eventually("AllDecided", decided), alwaysEventually("DecidedInfinitelyOften", decided)], [weakFairness(rmAction)])
  t.like(explore(system), { verdict: "ok", complete: true, distinct: 288 })
})

test("TwoPhase RM=3, planted liveness bug (no fairness for RMs receiving Abort): a lasso stuck with an Abort unread", (t) => {
  const unfairAbort = (l: TwoPhaseLabel) => (l.action === "RMRcvAbortMsg" ? undefined : rmAction(l))
  const system = withLiveness(twoPhasePlain({ rm: 3 }), [eventually("AllDecided", decided)], [weakFairness(unfairAbort)])
  const r = explore(system)
  t.like(r, { verdict: "violation", property: "AllDecided" })
  t.is(r.path!.loop, r.path!.steps.length) // it stutters at the end
  t.true(labelsOf(r.path).includes("TMAbort"))
  t.is(lassoConfirmed(system, r), "AllDecided")
})

// Ping-pong through the public compile API on a lossy network: strong fairness of every delivery
// (a message sent again and again is delivered at some point), weak fairness of timers, none of drops.
const pingLiveness = (bugNoRetry: boolean, fairness: "strong" | "weak" = "strong") => {
  const config = pingConfig({ workloads: [pingWorkload("client1", 1)], network: { delivery: "multiset", drops: true }, bugNoRetry })
  const system = compile(config, { name: "pingpong-liveness", properties: [inFlightAtMost(2)] })
  const delivery = (e: Event) => (e.k === "deliver" ? system.formatLabel(e) : undefined)
  const deliveries = fairness === "strong" ? strongFairness<Event>(delivery) : weakFairness<Event>(delivery)
  const timers = weakFairness<Event>((e) => (e.k === "timer" ? system.formatLabel(e) : undefined))
  return withLiveness<ProtocolState, Event>(system, [eventually("ClientsDone", allClientsDone)], [deliveries, timers])
}

test("ping-pong with retries on a lossy network: under fair delivery every client is eventually done", (t) => {
  const r = explore(pingLiveness(false))
  t.like(r, { verdict: "ok" })
})

test("ping-pong with retries, only weak fairness of delivery: every retry may be dropped, a fair lasso that never ends", (t) => {
  const system = pingLiveness(false, "weak")
  const r = explore(system)
  t.like(r, { verdict: "violation", property: "ClientsDone" })
  t.true(r.path!.loop! < r.path!.steps.length) // a real cycle, not stuttering
  t.is(lassoConfirmed(system, r), "ClientsDone")
})

test("ping-pong planted liveness bug (a client that never re-sends after a loss): caught as a lasso", (t) => {
  const system = pingLiveness(true)
  const r = explore(system)
  t.like(r, { verdict: "violation", property: "ClientsDone" })
  t.true(labelsOf(r.path).some((l) => l.startsWith("drop")), labelsOf(r.path).join(", "))
  t.is(r.path!.loop, r.path!.steps.length)
  t.is(lassoConfirmed(system, r), "ClientsDone")
})

test("a lasso's trace file keeps its cycle; a loop index outside the trace is rejected", (t) => {
  const system = pingLiveness(true)
  const r = explore(system)
  const dir = mkdtempSync(join(tmpdir(), "lasso-"))
  const file = join(dir, "lasso.trace.json")
  writeTraceFile(file, toTraceFile(system, r, { model: "pingpong", params: {} }))
  const read = readTraceFile(file)
  t.is(read.loop, r.path!.loop)
  t.deepEqual(read.steps, labelsOf(r.path))
  writeFileSync(file, JSON.stringify({ ...read, loop: read.steps.length + 1 }))
  t.throws(() => readTraceFile(file), { message: /"loop" must be a state index/ })
})
