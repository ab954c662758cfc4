/**
 * The runtime's Raft writes its commit index lazily (ServerOptions.lazyCommitIndex: with the next write
 * of term, vote, log or snapshot, never on its own). The configuration the runtime runs is checked
 * here: crash-restart simulations keep every committed entry and every result right, and a bounded
 * search with a client and crashes finds no violation; recovery replays only what storage says is
 * committed.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { workload } from "../../src/core/config.ts"
import { privateKeyWorkload } from "../../src/core/workloads.ts"
import { put, putOk } from "../../src/core/kv.ts"
import { SIM } from "../../src/protocols/raft/model.ts"
import { checkedSystem, committedDurably, serverNames, simulated } from "../../src/protocols/raft/scenarios.ts"

const lazy = { lazyCommitIndex: true }

const crashAll = (at: number, back: number) => serverNames(3).flatMap((node) => [{ at, k: "crash" as const, node }, { at: back, k: "restart" as const, node }])

for (const seed of [1, 2])
  test(`lazy commit index: every server crashes and restarts twice under a client (seed ${seed}); all it saw committed survives`, (t) => {
    const sys = simulated(
      { servers: 3, workloads: [privateKeyWorkload("client1", 12)], server: lazy, client: { thinkTime: 50 }, sim: { faults: [...crashAll(600, 700), ...crashAll(1200, 1300)] }, properties: [committedDurably(3)] },
      seed
    )
    const r = explore(sys, { ...SIM, seed })
    t.is(r.verdict, "goal-found", `${r.property ?? ""} ${r.detail ?? ""}`)
  })

test("lazy commit index: bounded search, one Put, one server crashed at a time: no violation", (t) => {
  const sys = checkedSystem({ servers: 3, workloads: [workload([[put("k", "a"), putOk()]])], server: { ...lazy, maxTerm: 2 }, client: { retry: false }, faults: { maxCrashed: 1 } }, [], "raft lazy commit")
  const r = explore(sys, { strategy: "bfs", maxStates: 8_000 })
  t.true(r.verdict === "ok" || r.verdict === "budget-exhausted", `${r.verdict} ${r.property ?? ""} ${r.detail ?? ""}`)
  t.true(r.distinct > 1000)
})
