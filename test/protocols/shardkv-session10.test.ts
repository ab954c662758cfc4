/**
 * The groups' system (system.ts) turns a migration that never finishes into a short trace
 * (progress.ts), each shown firing on a planted bug of the kind of a session 10 mutant
 * (bench/mutants/shardkv): a receiver that ignores a resent copy of a handoff it has installed
 * (InstalledHandoffsAcknowledged), and a holder that never applies the configuration giving away a
 * shard parked when every group left (StuckOnlyWhenFinished). The shipped groups pass both in the
 * named groups-* tests (state counts unchanged).
 */
import test from "ava"
import { bfs } from "../../src/checker/explore.ts"
import { settled } from "../../src/protocols/shardkv/group.ts"
import { Ignored } from "../../src/protocols/shardkv/messages.ts"
import { scenarios } from "../../src/protocols/shardkv/model.ts"
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
