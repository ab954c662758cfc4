/**
 * Group servers on Raft crash and restart: the restarted server rebuilds its applied state (shards,
 * configuration) from its log's storage in the restart step itself, and catches up on the
 * configurations it missed while down.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import type { NamedTest } from "../../src/checker/model.ts"
import { role } from "../../src/core/roles.ts"
import type { World } from "../../src/core/world.ts"
import { SHARDKV_TESTS } from "../../src/protocols/shardkv/model.ts"
import type { GroupServerState } from "../../src/protocols/shardkv/server.ts"

const SEED = 1
/** Node index of server s of group g (the 3 masters first, then groups of 3). */
const server = (g: number, s: number) => role<GroupServerState<unknown>>(3 + (g - 1) * 3 + (s - 1), `g${g}s${s}`)

const states = (name: keyof typeof SHARDKV_TESTS) => {
  const t: NamedTest = SHARDKV_TESTS[name]
  const r = explore(t.build({}, SEED), { ...t.options, seed: SEED })
  return { r, worlds: r.path ? [r.path.initial, ...r.path.steps.map((s) => s.state)].map((w) => w as World) : [] }
}

test("servers down while configurations change: each restarted server recovers its configuration from storage and catches up on the missed ones", (t) => {
  const { r, worlds } = states("servers-down-during-config-changes")
  t.is(r.verdict, "goal-found", r.property)
  for (const g of [1, 2, 3]) {
    const s3 = server(g, 3)
    const down = worlds.findIndex((w) => !s3.up(w))
    t.true(down > 0, `g${g}s3 crashes`)
    const back = worlds.findIndex((w, i) => i > down && s3.up(w))
    t.true(back > down, `g${g}s3 restarts`)
    const before = worlds[down - 1]!
    const recovered = s3.state(worlds[back]!)!.app
    // In the restart step itself (no message yet), the applied state is the one it had when it crashed.
    t.true((s3.state(before)!.app.config?.num ?? 0) > 0, `g${g}s3 had applied a configuration when it crashed`)
    t.is(recovered.config?.num, s3.state(before)!.app.config?.num, `g${g}s3 recovers its configuration`)
    const last = worlds[worlds.length - 1]!
    const latest = Math.max(...[1, 2, 3].map((s) => server(g, s).state(last)?.app.config?.num ?? 0))
    t.true(latest > (s3.state(before)!.app.config?.num ?? 0), `group ${g} moved on while g${g}s3 was down`)
    t.is(s3.state(last)!.app.config?.num, latest, `g${g}s3 caught up on the configurations it missed`)
  }
})

test("a group server restarts from its log's storage: its first leader crashes and comes back, all clients finish", (t) => {
  const { r, worlds } = states("group-server-restart")
  t.is(r.verdict, "goal-found", r.property)
  const s1 = server(1, 1)
  const down = worlds.findIndex((w) => !s1.up(w))
  const back = worlds.findIndex((w, i) => i > down && s1.up(w))
  t.true(down > 0 && back > down, `down at step ${down}, back at ${back}, of ${worlds.length} (time ${(worlds[worlds.length - 1] as unknown as { now: number }).now})`)
  t.true((s1.state(worlds[back]!)!.app.config?.num ?? 0) > 0, "the restarted server's applied state is rebuilt from the log's storage")
})
