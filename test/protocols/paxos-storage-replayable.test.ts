/**
 * STORAGE_REPLAYABLE (properties-durable.ts): what a persisting Paxos replica stored replays, from its
 * snapshot over the chosen slots after it, past its compaction point. hunt-noop-compaction (targeted.ts)
 * drives a cluster to compaction right after a no-op filled a hole (a no-op takes no snapshot); a
 * replica that writes no snapshot is caught at the write, before any crash would show it.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { PAXOS_TESTS } from "../../src/protocols/paxos/model.ts"

test("paxos planted bug (writes leave out the snapshot): STORAGE_REPLAYABLE broken at the first write after a compaction, no crash needed, within 21 steps", (t) => {
  const named = PAXOS_TESTS["hunt-bug-snapshot-not-persisted"]
  const r = explore(named.build(), named.options)
  t.like(r, { verdict: "violation", property: "STORAGE_REPLAYABLE" })
  const labels = r.path!.steps.map((s) => s.text)
  t.log(labels.join("\n"))
  t.true(labels.length <= 21, `${labels.length} steps`)
  t.false(labels.some((l) => /crash|restart/.test(l)))
  t.true(labels.some((l) => l.includes("P2a(command=Noop()")), "the hole was filled with a no-op")
})
