/**
 * TIMERS_ARMED (properties-timers.ts): every live Paxos replica has a timer pending that acts for it
 * (a leader its heartbeat timer, any other replica an election timer). A replica left without one
 * never stands again, which liveness searches show only after a leader crash; the invariant shows it
 * at the step that dropped the timer. STEPS_DOWN_ONLY_TO_HIGHER (properties-leader.ts) is its sibling for
 * leadership: a leader gives up its ballot only for a higher one.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { replayLabels } from "../../src/checker/path.ts"
import { hunt, PAXOS_TESTS } from "../../src/protocols/paxos/model.ts"

test("paxos planted bug (a deposed leader starts no election timer): TIMERS_ARMED broken by BFS in a few steps (a follower stands, the leader promises its ballot, the leader's heartbeat timer fires), which replay", (t) => {
  const named = PAXOS_TESTS["hunt-bug-timers-step-down-silent"]
  const r = explore(named.build(), { ...named.options })
  t.like(r, { verdict: "violation", property: "TIMERS_ARMED" })
  const labels = r.path!.steps.map((s) => s.text)
  t.log(labels.join("\n"))
  t.true(labels.length <= 4, `${labels.length} steps`)
  t.regex(labels.at(-1)!, /timer server1: log: HeartbeatTimer/)
  t.is(replayLabels(hunt(1, { plant: "step-down-silent" }), r.path!.initialIndex, labels).steps.length, labels.length)
})

test("paxos TIMERS_ARMED holds on the shipped server along the same BFS depth (the planted bug's trace is not a false alarm)", (t) => {
  const r = explore(hunt(1), { strategy: "bfs", maxDepth: 4 })
  t.not(r.verdict, "violation", `${r.property} ${r.detail ?? ""}`)
})

test("paxos planted bug (a heartbeat reply of the leader's own ballot deposes it): STEPS_DOWN_ONLY_TO_HIGHER broken by BFS in 3 steps (heartbeat timer, heartbeat, reply), which no state invariant sees", (t) => {
  const named = PAXOS_TESTS["hunt-bug-leader-abdicates"]
  const r = explore(named.build(), named.options)
  t.like(r, { verdict: "violation", property: "STEPS_DOWN_ONLY_TO_HIGHER" })
  const labels = r.path!.steps.map((s) => s.text)
  t.is(labels.length, 3, labels.join("\n"))
  t.regex(labels[2]!, /HeartbeatReply\(executed=0,leader=server1\/log,round=0\)/)
})
