import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { replayLabels } from "../../src/checker/path.ts"
import { PropertySet } from "../../src/checker/properties.ts"
import { huntScripted, huntScriptedExplained, huntSim, scriptedInterleaved } from "../../src/protocols/paxos/model.ts"

const SEED = 1

test("paxos swarm simulation: a few runs of the correct protocol finish, catch up and break nothing", (t) => {
  const r = explore(huntSim(3, SEED), { strategy: "bfs" })
  t.is(r.verdict, "ok")
  t.true(r.complete)
})

test("paxos swarm simulation: a follower reporting the leader's progress lets the leader compact past it; caught in under 60 events (the unbounded simulations need about 1000), and the trace replays", (t) => {
  const system = huntSim(6, SEED, { plant: "reply-leader-progress" })
  const r = explore(system, { strategy: "bfs" })
  t.is(r.verdict, "violation")
  t.is(r.property, "CATCH_UP_POSSIBLE")
  const labels = r.path!.steps.map((s) => s.text)
  t.log(labels.join("\n"))
  t.true(labels.length <= 60, `trace of ${labels.length} steps`)
  const again = replayLabels(huntSim(6, SEED, { plant: "reply-leader-progress" }), r.path!.initialIndex, labels)
  t.is(new PropertySet(system).checkState(again.steps.at(-1)!.state)?.property, "CATCH_UP_POSSIBLE")
})

test("paxos scripted fault schedules: ten runs of the correct protocol (every schedule at least once) finish and break nothing", (t) => {
  const r = explore(huntScripted(10, SEED), { strategy: "bfs" })
  t.is(r.verdict, "ok")
  t.true(r.complete)
})

test("paxos scripted fault schedules: a new leader that ignores the promises' values chooses a second value for a slot once the cut-off leader rejoins another server; the run is lifted to the interleaving model and minimised to at most 60 steps, which replay there", (t) => {
  const r = explore(huntScriptedExplained(25, SEED, "promises-ignored"), { strategy: "bfs" })
  t.is(r.verdict, "violation")
  t.is(r.property, "LOGS_CONSISTENT")
  const labels = r.path!.steps.map((s) => s.text)
  t.log(labels.join("\n"))
  t.true(labels.length <= 60, `trace of ${labels.length} steps`)
  t.false(labels.some((l) => l.startsWith("@")), "the steps are the interleaving model's, not timed events")
  const model = scriptedInterleaved("promises-ignored")
  const again = replayLabels(model, 0, labels)
  t.is(new PropertySet(model).checkState(again.steps.at(-1)!.state)?.property, "LOGS_CONSISTENT")
})
