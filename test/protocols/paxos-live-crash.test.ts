import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { checkLasso } from "../../src/checker/liveness.ts"
import { replayLabels } from "../../src/checker/path.ts"
import type { NamedTest } from "../../src/checker/model.ts"
import { PAXOS_TESTS } from "../../src/protocols/paxos/model.ts"

const build = (name: string) => (PAXOS_TESTS as Record<string, NamedTest>)[name]!.build({}, 1)

// live-leader-crash itself (verdict ok) runs with every named test in paxos.test.ts.
test("paxos planted liveness bug (a follower's election timer lapses once it heard the leader): a lasso of at most 8 steps where the leader crashes and no one stands, which replays", (t) => {
  const r = explore(build("bug-live-election-timer-lapses"), { strategy: "bfs" })
  t.like(r, { verdict: "violation", property: "LiveLeader" })
  const labels = r.path!.steps.map((s) => s.text)
  t.log(labels.join("\n"))
  t.true(labels.length <= 8, `lasso prefix and cycle of ${labels.length} steps`)
  t.true(labels.some((l) => l.startsWith("crash server1")), labels.join("\n"))
  const system = build("bug-live-election-timer-lapses")
  const again = { ...replayLabels(system, r.path!.initialIndex, labels), loop: r.path!.loop! }
  t.like(checkLasso(system, again), { kind: "violation", property: "LiveLeader" })
})
