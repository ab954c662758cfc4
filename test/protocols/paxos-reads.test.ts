/**
 * Leader-confirmed reads on Multi-Paxos (read-index.ts) searched across ballot changes: the staged
 * deposed-leader-reads search (targeted.ts) brings a deposed leader, unaware, a read after another
 * leader of the same round completed a write; a read is answered only with the write (paxos.test.ts runs
 * it with the other named tests). A leader that serves reads unconfirmed is caught there with a short trace.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { PAXOS_TESTS } from "../../src/protocols/paxos/model.ts"

test("paxos planted bug (reads served unconfirmed): deposed-leader-reads finds the deposed leader answering without the write (RESULTS_OK) in at most 20 steps", (t) => {
  const named = PAXOS_TESTS["bug-deposed-leader-reads-unconfirmed"]
  const r = explore(named.build(), named.options)
  t.like(r, { verdict: "violation", property: "RESULTS_OK" })
  const labels = r.path!.steps.map((s) => s.text)
  t.log(labels.join("\n"))
  t.true(labels.length <= 20, `${labels.length} steps`)
  t.regex(labels.at(-1)!, /deliver server2 -> client1: Reply\(.*KeyNotFound/)
  t.false(labels.some((l) => l.includes("ReadProbeAck")), "answered before any confirmation")
})
