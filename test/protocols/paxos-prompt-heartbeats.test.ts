import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { replayLabels } from "../../src/checker/path.ts"
import { promptHeartbeatsStable, stableLeaderSystem } from "../../src/protocols/paxos/model.ts"
import { checkPinned } from "./state-counts.ts"

test("paxos hunt-prompt-heartbeats: when every follower hears a heartbeat between two firings of its election timer, no ballot changes (the whole space)", (t) => {
  const r = explore(promptHeartbeatsStable(), { strategy: "bfs" })
  t.is(r.verdict, "ok")
  checkPinned(t, "paxos/hunt-prompt-heartbeats", r)
})

test("paxos hunt-prompt-heartbeats: without the prompt schedule a follower's first timeout already stands (1 step), so the schedule is what the property rests on", (t) => {
  const r = explore(stableLeaderSystem(), { strategy: "bfs" })
  t.like(r, { verdict: "violation", property: "STABLE_LEADER" })
  t.is(r.path!.steps.length, 1)
})

test("paxos planted bug (a follower stands although it heard the leader): STABLE_LEADER broken in 3 steps (heartbeat sent, delivered, election timer), which replay", (t) => {
  const r = explore(promptHeartbeatsStable("election-ignores-heard"), { strategy: "bfs" })
  t.like(r, { verdict: "violation", property: "STABLE_LEADER" })
  const labels = r.path!.steps.map((s) => s.text)
  t.log(labels.join("\n"))
  t.is(labels.length, 3)
  t.regex(labels[0]!, /HeartbeatTimer/)
  t.regex(labels[1]!, /deliver server1\/log -> (server\d)\/log: Heartbeat/)
  const follower = /-> (server\d)\/log/.exec(labels[1]!)![1]!
  t.regex(labels[2]!, new RegExp(`timer ${follower}: log: ElectionTimer`))
  const again = replayLabels(promptHeartbeatsStable("election-ignores-heard"), r.path!.initialIndex, labels)
  t.is(again.steps.length, 3)
})
