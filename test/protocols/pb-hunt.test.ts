/**
 * The primary-backup bug hunts (core/swarm.ts): a planted bug is found by the swarm and comes back
 * as a short interleaving trace; the correct protocol passes; a simulated test's violation is minimised.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { simHunt } from "../../src/protocols/primarybackup/model.ts"

test("planted bug (answer before the backup acks): the hunt finds the backup behind (BACKUP_MIRRORS_PRIMARY or ACKED_OPS_REPLICATED) with a short trace", (t) => {
  const r = explore(simHunt(3, 2, 8, 1500, { bugAnswerBeforeBackup: true })({ runs: "10" }, 1), { strategy: "bfs" })
  t.is(r.verdict, "violation")
  // The primary executes before its backup: the backup no longer mirrors it, before or as a client gets the answer.
  t.true(r.property === "BACKUP_MIRRORS_PRIMARY" || r.property === "ACKED_OPS_REPLICATED", r.property)
  t.true(r.path!.steps.length <= 30, `${r.path!.steps.length} steps`)
  t.true(r.path!.steps.every((s) => !s.text.startsWith("@")), "the trace is the interleaving model's, not the timed run's")
})

test("the correct protocol: a few hunt runs find nothing", (t) => {
  const r = explore(simHunt(3, 2, 8, 1500)({ runs: "10" }, 1), { strategy: "bfs" })
  t.is(r.verdict, "ok")
})
