import test from "ava"
import { checkPinned } from "./state-counts.ts"
import { fastNamedTest } from "./slow-named-tests.ts"
import { PropertySet } from "../../src/checker/properties.ts"
import { consensusInit, consensusIsStep } from "../../spec/consensus.ts"
import { explore } from "../../src/checker/explore.ts"
import { lastState, replayLabels } from "../../src/checker/path.ts"
import type { CheckResult } from "../../src/checker/result.ts"
import type { ProtocolState } from "../../src/core/compile.ts"
import { simReport, type TimedState } from "../../src/core/timed.ts"
import { paxosCluster, paxosModel } from "../../src/protocols/paxos/model.ts"
import { commandsExecuted } from "../../src/protocols/paxos/properties.ts"
import { slotStatus } from "../../src/protocols/paxos/server.ts"

const SEED = 1
const results = new Map<string, CheckResult<any, any>>()
const run = (name: string) => {
  let r = results.get(name)
  if (!r) {
    const t = paxosModel.tests[name]!
    r = explore(t.build({}, SEED), { ...t.options, seed: SEED })
    results.set(name, r)
  }
  return r
}
const { servers } = paxosCluster({ servers: 5, workloads: [] })
/** Server i, typed through its role (up in every state these tests read). */
const server = (w: ProtocolState, i: number) => servers[i]!.state(w)!

// hunt-* tests are long bounded searches: bench/mutants runs them, paxos-hunt.test.ts a fast few.
// The slow ones of slow-named-tests.ts run in named-tests.slow.test.ts (npm run test:slow).
for (const [name, t] of Object.entries(paxosModel.tests).filter(([n]) => !n.startsWith("hunt-") && fastNamedTest("paxos", n)))
  test.serial(`paxos ${name}: ${t.expect}`, (tt) => {
    const t0 = performance.now()
    const r = run(name)
    tt.log(`${r.verdict} ${r.property ?? ""} ${r.detail ?? ""} distinct=${r.distinct} depth=${r.depth} ${((performance.now() - t0) / 1000).toFixed(1)}s`)
    tt.not(t.expect, undefined)
    tt.is(r.verdict, t.expect!)
    checkPinned(tt, `paxos/${name}`, r)
  })

test.serial("paxos planted bug: bfs gives a shortest trace that replays to the same violation, at its last step only", (t) => {
  const r = run("bug-accept-below-promise")
  // Accepting below a promise lets a second value be chosen for a slot: the chosen log stops refining
  // spec/consensus at that step, and the servers' logs disagree.
  t.true(r.property === "REFINES_CONSENSUS" || r.property === "LOGS_CONSISTENT", r.property)
  const labels = r.path!.steps.map((s) => s.text)
  t.log(labels.join("\n"))
  t.true(labels.length <= 12, `trace of ${labels.length} steps`)
  const system = paxosModel.tests["bug-accept-below-promise"]!.build({}, SEED)
  const props = new PropertySet(system)
  const path = replayLabels(system, r.path!.initialIndex, labels)
  const hits = path.steps.map((step, i) => {
    const from = i === 0 ? path.initial : path.steps[i - 1]!.state
    return (props.checkStep(from, step.label, step.state) ?? props.checkState(step.state))?.property
  })
  t.deepEqual(hits, [...labels.slice(1).map(() => undefined), r.property])
  // Without the bug, the same schedule breaks nothing (or is not even possible).
  const correct = paxosModel.tests["bounded-two-clients"]!.build({}, SEED)
  const ok = new PropertySet(correct)
  try {
    const p = replayLabels(correct, r.path!.initialIndex, labels)
    t.true(p.steps.every((step, i) => (ok.checkStep(i === 0 ? p.initial : p.steps[i - 1]!.state, step.label, step.state) ?? ok.checkState(step.state)) === undefined))
  } catch {
    t.pass("the schedule is impossible without the bug")
  }
})

test.serial("paxos goal: one server alone has executed 3 commands", (t) => {
  const r = run("goal-one-server-3")
  const w = lastState(r.path!) as ProtocolState
  const counts = [0, 1, 2].map((i) => commandsExecuted(server(w, i).app))
  t.log(`executed per server: ${counts.join(", ")}; trace of ${r.path!.steps.length} steps`)
  t.is(counts.filter((c) => c >= 3).length, 1)
  const leader = counts.findIndex((c) => c >= 3)
  t.is(slotStatus(server(w, leader).log, 2).status, "chosen")
})

test.serial("paxos minority partition: the minority makes no progress while the majority does, then heals", (t) => {
  const r = run("minority-partition")
  const states = r.path!.steps.map((s) => s.state as TimedState)
  const at = (time: number) => states.filter((s) => s.now <= time).at(-1)!
  const early = at(400)
  const late = at(1990)
  // client1 and server1 are cut off from 200 to 2000 (in-flight answers may land until ~300).
  t.is(late.nodes[3]!.client!.next, early.nodes[3]!.client!.next, "client1 progressed inside the minority")
  t.is(server(late, 0).log.slotOut, server(early, 0).log.slotOut, "the minority server executed something")
  t.true(late.nodes[4]!.client!.next > early.nodes[4]!.client!.next + 10, "client2 made no progress with the majority")
  const end = lastState(r.path!) as TimedState
  t.true(end.now > 2000)
  t.is(simReport(end).unanswered, 0)
  t.log(simReport(end))
})

test.serial("paxos log compaction: 1,000 operations (log-compaction-10000 at ops=500), logs stay short", (t) => {
  // 1,000 operations are 20 times LOG_BOUNDED's 50 slots: a replica that stops compacting fails here too.
  const named = paxosModel.tests["log-compaction-10000"]!
  const r = explore(named.build({ ops: "500" }, SEED), { ...named.options, seed: SEED })
  t.is(r.verdict, named.expect!, `${r.property ?? ""} ${r.detail ?? ""}`)
  const end = lastState(r.path!) as TimedState
  const report = simReport(end)
  t.is(report.completed, 1_000)
  for (let i = 0; i < 3; i++) {
    const s = server(end, i).log
    t.true(s.cleared > 900, `server${i + 1} cleared only below ${s.cleared}`)
    t.true(s.log.size <= 50)
    t.is(slotStatus(s, 0).status, "cleared")
  }
})

test.serial("paxos leader crash: a new leader takes over and the old one catches up", (t) => {
  const r = run("leader-crash-recovery")
  const end = lastState(r.path!) as TimedState
  t.is(simReport(end).unanswered, 0)
  const leaders = new Set(r.path!.steps.map((s) => servers.slice(0, 3).findIndex((r) => r.state(s.state as TimedState)?.log.active)))
  t.true(leaders.size >= 2, "leadership never moved")
})

test.serial("paxos constant repartitioning: longest client wait reported", (t) => {
  const r = run("constant-repartitioning")
  const report = simReport(lastState(r.path!) as TimedState)
  t.log(`maxLatency ${report.maxLatency}, p99 ${report.p99Latency}, median ${report.medianLatency}`)
  t.is(report.unanswered, 0)
  t.true(report.maxLatency! > report.medianLatency!)
})

test("consensus spec: a chosen value never changes and never disappears unless compacted", (t) => {
  const a = { base: 0, chosen: new Map([[0, "x"]]) }
  t.true(consensusIsStep(consensusInit(), a))
  t.false(consensusIsStep(a, { base: 0, chosen: new Map([[0, "y"]]) }))
  t.false(consensusIsStep(a, consensusInit()))
  t.true(consensusIsStep(a, { base: 1, chosen: new Map() }))
  t.false(consensusIsStep({ base: 1, chosen: new Map() }, consensusInit()))
})
