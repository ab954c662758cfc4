import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { replayLabels } from "../../src/checker/path.ts"
import { PropertySet } from "../../src/checker/properties.ts"
import { hunt } from "../../src/protocols/paxos/model.ts"

test("ACCEPTOR_DURABLE: a promise of another leader's ballot in the same round that is not written (planted) is caught where the write is skipped, in at most 6 steps, no crash needed; the trace replays", (t) => {
  const system = hunt(2, { plant: "promise-not-persisted" })
  const r = explore(system, { strategy: "bfs", maxStates: 5_000 })
  t.is(r.verdict, "violation")
  t.is(r.property, "ACCEPTOR_DURABLE")
  const labels = r.path!.steps.map((s) => s.text)
  t.log(labels.join("\n"))
  t.true(labels.length <= 6, `trace of ${labels.length} steps`)
  const again = replayLabels(hunt(2, { plant: "promise-not-persisted" }), r.path!.initialIndex, labels)
  t.is(new PropertySet(system).checkState(again.steps.at(-1)!.state)?.property, "ACCEPTOR_DURABLE")
})

test("ACCEPTOR_DURABLE holds on the shipped server's hunt system within the same budget", (t) => {
  const r = explore(hunt(2), { strategy: "bfs", maxStates: 5_000 })
  t.is(r.verdict, "budget-exhausted")
})
