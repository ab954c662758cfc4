import test from "ava"
import { checkPinned } from "./state-counts.ts"
import { explore } from "../../src/checker/explore.ts"
import { lastState, ReplayError, replayLabels } from "../../src/checker/path.ts"
import { storedAt } from "../../src/core/outbox.ts"
import type { TimedState } from "../../src/core/timed.ts"
import { bugSetup, raftModel } from "../../src/protocols/raft/model.ts"
import { lastIndex, termAt } from "../../src/protocols/raft/server.ts"
import { serverStates } from "../../src/protocols/raft/properties.ts"
import { checkedSystem, raftReport, runToEnd, type SimSystem } from "../../src/protocols/raft/scenarios.ts"
import { raftScores } from "../../src/protocols/raft/scores.ts"

const SEED = 1
// One search per named test: the verdict loop and the tests that read a run's trace share it (as paxos.test.ts does).
const runs = new Map<string, { t: (typeof raftModel.tests)[string]; system: ReturnType<(typeof raftModel.tests)[string]["build"]>; result: ReturnType<typeof explore> }>()
const run = (name: string) => {
  let r = runs.get(name)
  if (!r) {
    const t = raftModel.tests[name]!
    const system = t.build({}, SEED)
    r = { t, system, result: explore(system, { seed: SEED, ...t.options }) }
    runs.set(name, r)
  }
  return r
}

// The bug hunts (hunt-*) are long searches: raft-hunt.test.ts runs them with a small budget.
for (const name of Object.keys(raftModel.tests).filter((n) => !n.startsWith("hunt-"))) {
  test(`raft ${name}: expected verdict`, (t) => {
    const { t: nt, result } = run(name)
    t.is(result.verdict, nt.expect!, `${result.property ?? ""} ${result.detail ?? ""}`)
    checkPinned(t, `raft/${name}`, result)
  })
}

test("planted bug: a short trace that replays to the same LEADER_COMPLETENESS violation", (t) => {
  const { system, result } = run("bug-vote-without-up-to-date")
  t.is(result.property, "LEADER_COMPLETENESS")
  const path = result.path!
  t.true(path.steps.length <= 14, `trace has ${path.steps.length} steps`)
  const replayed = replayLabels(system, path.initialIndex, path.steps.map((s) => s.text))
  const end = lastState(replayed)
  const broken = system.properties.filter((p) => p.kind === "invariant" && !p.holds(end)).map((p) => p.name)
  t.deepEqual(broken, ["LEADER_COMPLETENESS"])
  // The correct protocol on the same schedule: the step that elected the bad leader is refused (a
  // different label, or no step), and no invariant fails on the way.
  const correct = checkedSystem({ ...bugSetup({}), server: { maxTerm: 2 } })
  let ok = true
  try {
    const p = replayLabels(correct, path.initialIndex, path.steps.map((s) => s.text))
    ok = p.steps.every((s) => correct.properties.every((q) => q.kind !== "invariant" || q.holds(s.state)))
  } catch (e) {
    t.true(e instanceof ReplayError)
  }
  t.true(ok)
})

test("runs are reproducible: one seed, one final state", (t) => {
  const fp = (s: TimedState) => {
    const out = { hi: 0, lo: 0 }
    ;(raftModel.tests["persist-churn"]!.build({}, SEED) as SimSystem).fingerprint(s, out)
    return `${out.hi}:${out.lo}:${s.now}`
  }
  const a = runToEnd(raftModel.tests["persist-churn"]!.build({}, SEED) as SimSystem)
  const b = runToEnd(raftModel.tests["persist-churn"]!.build({}, SEED) as SimSystem)
  const c = runToEnd(raftModel.tests["persist-churn"]!.build({}, SEED + 1) as SimSystem)
  t.is(fp(a), fp(b))
  t.not(fp(a), fp(c))
})

const servers = (s: TimedState, n: number) => serverStates(s, n)

test("old leader rejoins: an entry it appended in its term is overwritten by the new leader's", (t) => {
  const { result } = run("agree-old-leader-rejoins")
  const states = result.path!.steps.map((s) => s.state as TimedState)
  // The old leader is the one whose log held an entry of its term past the final commit point... find
  // an index whose term changed on some server during the run.
  let overwritten = false
  const seen = new Map<string, number>()
  for (const s of states)
    servers(s, 3).forEach((x, i) => {
      if (!x) return
      for (let k = x.snapIndex + 1; k <= lastIndex(x); k++) {
        const key = `${i}:${k}`
        const was = seen.get(key)
        if (was !== undefined && was !== termAt(x, k)) overwritten = true
        seen.set(key, termAt(x, k))
      }
    })
  t.true(overwritten)
})

test("backup: the divergent servers are repaired in a few failed round trips each", (t) => {
  const { result } = run("agree-backup")
  const steps = result.path!.steps.map((s) => s.text)
  const heal = steps.findIndex((l) => / heal$/.test(l))
  t.true(heal > 0)
  const fails = new Map<string, number>()
  for (const l of steps.slice(heal)) {
    const m = /deliver (s\d) -> s\d: AppendEntriesReply\(t=\d+,fail/.exec(l)
    if (m) fails.set(m[1]!, (fails.get(m[1]!) ?? 0) + 1)
  }
  const worst = Math.max(0, ...fails.values())
  t.true(worst <= 3, `a server needed ${worst} failed AppendEntries`)
  const end = states(result).at(-1)!
  t.true(servers(end, 5).every((x) => x !== null && lastIndex(x) >= 60))
})

const states = (r: ReturnType<typeof run>["result"]) => r.path!.steps.map((s) => s.state as TimedState)

for (const name of ["snap-install-cut", "snap-install-crash"]) {
  test(`${name}: the lagging follower is brought up by InstallSnapshot`, (t) => {
    const { result } = run(name)
    const steps = result.path!.steps.map((s) => s.text)
    t.true(steps.some((l) => /deliver s\d\/log -> s\d\/log: InstallSnapshot\(/.test(l)))
    const end = states(result).at(-1)!
    t.true(servers(end, 3).every((x) => x !== null && x.snapIndex > 0 && x.commitIndex >= 30))
  })
}

test("snapshots keep the persisted log short", (t) => {
  const { result } = run("snap-bounded")
  const end = states(result).at(-1)!
  for (const r of end.nodes.slice(0, 3)) t.true((storedAt(r.durable, "log") as { log: unknown[] }).log.length <= 23)
})

test("scoring: simulated runs report traffic, latency, failed requests and duplicate responses", (t) => {
  const { system, result } = run("kv-unreliable")
  const end = states(result).at(-1)!
  const rep = raftReport(end, (system as SimSystem).config.servers.length)
  t.is(rep.operations, 50)
  t.is(rep.completed, 50)
  t.is(rep.unanswered, 0)
  t.true(rep.serverMessages > 0 && rep.dropped > 0)
  t.true(rep.medianLatency! > 0 && rep.p99Latency! >= rep.medianLatency!)
  t.true(rep.failedRequests > 0, "clients first ask s1, which is not always the leader")
  t.true(Number.isInteger(rep.duplicateResponses))
})

for (const name of ["kv-partition", "agree-no-majority"])
test(`${name}: operations called on the minority side finish only after the heal`, (t) => {
  const { system, result } = run(name)
  const names = system.properties.map((p) => p.name)
  t.true(names.includes("MINORITY_DOES_NOT_COMPLETE"))
  // Some operation was called while cut off and finished only after the heal.
  const end = states(result).at(-1)!
  const ops = end.aux.history
  let late = 0
  for (let c = ops; c; c = c.tail) if (c.head.result && c.head.step >= 2000) late++
  t.true(late > 0)
})

test("scores of the simulated tests", (t) => {
  const figures = raftScores() as Record<string, { verdict: string; operations: number; completed: number; unanswered: number; serverMessages: number; p99Latency: number }>
  t.true(Object.keys(figures).length >= 3)
  for (const [k, f] of Object.entries(figures)) {
    t.is(f.verdict, "goal-found", k)
    t.true(f.operations > 0 && f.completed === f.operations && f.unanswered === 0, k)
    t.true(f.serverMessages > 0 && f.p99Latency > 0, k)
  }
})
