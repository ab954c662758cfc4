/**
 * Raft's staged stale-snapshot search: its stages are reached in a short trace, and the stale
 * InstallSnapshot does reach the follower that committed past it (the situation a follower that
 * installs any snapshot past its own would get wrong; bench/mutants/raft: stale-snapshot-installed).
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { raftModel } from "../../src/protocols/raft/model.ts"

test("raft staged stale snapshot: s2 commits past a snapshot still in flight to it, answers it when it arrives, and all catch up, in under 30 steps", (t) => {
  const named = raftModel.tests["staged-stale-snapshot"]!
  const r = explore(named.build({}, 1), { strategy: "bfs", maxStates: 100_000 })
  t.is(r.verdict, "goal-found")
  t.is(r.property, "STALE_SNAPSHOT_ANSWERED_ALL_CAUGHT_UP")
  const labels = r.path!.steps.map((s) => s.text)
  t.log(labels.join("\n"))
  t.true(labels.length < 30, `trace of ${labels.length} steps`)
  const commit4 = labels.findIndex((l) => l.includes("-> s2/log: AppendEntries") && l.includes("commit=4"))
  const snapshot = labels.findIndex((l) => l.includes("-> s2/log: InstallSnapshot"))
  t.true(commit4 >= 0 && snapshot > commit4, "the snapshot reaches s2 after it committed 4")
})
