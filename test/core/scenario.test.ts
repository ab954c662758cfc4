/** Scenario stories over the simulator: faults strike when the story says, aimed at roles. */
import test from "ava"
import { workload } from "../../src/core/config.ts"
import { put, putOk } from "../../src/core/kv.ts"
import { allClientsDone } from "../../src/core/properties.ts"
import { scenario, ScenarioError } from "../../src/core/scenario.ts"
import type { TimedState } from "../../src/core/timed.ts"
import { serverStates } from "../../src/protocols/raft/properties.ts"
import { agreedLeader, allCaughtUp, leaderOf, serverNames, simulated } from "../../src/protocols/raft/scenarios.ts"

const N = 3
const names = serverNames(N)
const leader = (w: TimedState) => {
  const l = leaderOf(w, N)
  return l && names[l.index]
}

for (const seed of [1, 2, 3])
  test(`raft story (seed ${seed}): the leader crashes, a new one takes over, the old one restarts and catches up`, (t) => {
    const system = simulated({ servers: N, workloads: [workload([[put("k", "a"), putOk()]])], sim: { stopWhenDone: false, maxTime: 20_000 } }, seed)
    const story = scenario(system).runUntil("a leader", (w) => leader(w) !== undefined)
    const first = leader(story.state)!
    const term = leaderOf(story.state, N)!.term
    story
      .crash(leader)
      .runUntil("a new leader of a later term", (w) => (leaderOf(w, N)?.term ?? 0) > term, 2000)
      .expect("the old leader is down", (w) => serverStates(w, N)[names.indexOf(first)] === null)
      .runUntil("the client's put done", allClientsDone)
      .restart(first)
      .runUntil("one agreed leader and every log caught up", (w) => agreedLeader(w, N) && allCaughtUp(w, N, 1), 3000)
    t.log(story.labels.filter((l) => / (crash|restart) /.test(l)).join("\n"))
    t.not(leader(story.state), undefined)
  })

test("a story that cannot happen fails with the step it waited for", (t) => {
  const system = simulated({ servers: N, sim: { stopWhenDone: false, maxTime: 5000 } }, 1)
  // Every server alone: no majority, so no leader can ever be elected.
  const story = scenario(system).partition(...names.map((n) => [n]))
  const e = t.throws(() => story.runUntil("a leader", (w) => leader(w) !== undefined, 3000), { instanceOf: ScenarioError })
  t.regex(e!.message, /never reached "a leader"/)
})
