/**
 * The groups' system (system.ts) turns a migration that never finishes into a short trace
 * (progress.ts), each shown firing on a planted bug of the kind of a session 10 mutant
 * (bench/mutants/shardkv): a receiver that ignores a resent copy of a handoff it has installed
 * (InstalledHandoffsAcknowledged), and a holder that never applies the configuration giving away a
 * shard parked when every group left (StuckOnlyWhenFinished). The shipped groups pass both in the
 * named groups-* tests (state counts unchanged). And the replicated store's searches check that the
 * master answers a group's poll with a configuration the group may apply next
 * (POLLS_ANSWERED_WITH_THE_NEXT_CONFIGURATION), shown on a leader planted to poll for the latest.
 */
import test from "ava"
import { bfs, explore } from "../../src/checker/explore.ts"
import type { NamedTest } from "../../src/checker/model.ts"
import { settled } from "../../src/protocols/shardkv/group.ts"
import { Ignored } from "../../src/protocols/shardkv/messages.ts"
import { scenarios, SHARDKV_TESTS } from "../../src/protocols/shardkv/model.ts"
import { shardStoreSystem } from "../../src/protocols/shardkv/system.ts"

test("planted: a receiver answers a copy of a handoff it has installed with Ignored; InstalledHandoffsAcknowledged fails once it installs", (t) => {
  const system = shardStoreSystem({
    ...scenarios.joinLeave,
    plant: (app) => ({
      ...app,
      execute: (s, c) => (c._tag === "ShardHandoff" && s.config?.num === c.num && s.shards.get(c.shard)?._tag === "Serving" ? [new Ignored({ reason: "not-receiving" }), s] : app.execute(s, c)),
    }),
  })
  const r = bfs(system)
  t.like(r, { verdict: "violation", property: "InstalledHandoffsAcknowledged" })
  t.true(r.path!.steps.length <= 8, `trace of ${r.path!.steps.length} steps`)
  t.regex(r.path!.steps.at(-1)!.text, /hands shard/)
})

test("planted: a group holding a parked shard takes it for a migration in progress; StuckOnlyWhenFinished fails when nothing is left to do", (t) => {
  const system = shardStoreSystem({
    ...scenarios.parked,
    plant: (app) => ({
      ...app,
      execute: (s, c) => (c._tag === "ApplyConfig" && settled(s) && [...s.shards.values()].some((x) => x._tag !== "Serving") ? [new Ignored({ reason: "migration-in-progress" }), s] : app.execute(s, c)),
    }),
  })
  const r = bfs(system)
  t.like(r, { verdict: "violation", property: "StuckOnlyWhenFinished" })
  t.true(r.path!.steps.length <= 10, `trace of ${r.path!.steps.length} steps`)
})

test("planted: a leader polling for the latest configuration is answered with one its lagging group cannot apply; caught in the staged search's first steps", (t) => {
  const named: NamedTest = SHARDKV_TESTS["bug-staged-poll-latest"]
  const r = explore(named.build({}, 1), { ...named.options, seed: 1 })
  t.like(r, { verdict: "violation", property: "POLLS_ANSWERED_WITH_THE_NEXT_CONFIGURATION" })
  t.true(r.path!.steps.length <= 3, `trace of ${r.path!.steps.length} steps`)
})
