import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { replayLabels } from "../../src/checker/path.ts"
import { PropertySet } from "../../src/checker/properties.ts"
import { appendWorkload } from "../../src/core/workloads.ts"
import type { World } from "../../src/core/world.ts"
import { comesBackSearch, duelSearch, laggingSearch, orphaned, paxosConfig, staleVoteSearch } from "../../src/protocols/paxos/model.ts"
import { executedOnce } from "../../src/protocols/paxos/properties.ts"

test("paxos staged orphaned command: a command chosen in two slots (two ballot changes deep) is reached in under 20 steps and executed once; the trace replays on the staged system", (t) => {
  const r = explore(orphaned(), { strategy: "bfs", maxStates: 20_000 })
  t.is(r.verdict, "goal-found")
  t.is(r.property, "EXECUTED_IN_TWO_SLOTS")
  const labels = r.path!.steps.map((s) => s.text)
  t.log(labels.join("\n"))
  t.true(labels.length <= 20, `trace of ${labels.length} steps`)
  const system = orphaned()
  const again = replayLabels(system, r.path!.initialIndex, labels)
  t.is(new PropertySet(system).checkState(again.steps.at(-1)!.state)?.property, "EXECUTED_IN_TWO_SLOTS")
})

test("EXECUTED_ONCE: a store holding one client's append twice breaks it; distinct appends, other keys and unknown tokens do not", (t) => {
  const config = paxosConfig({ servers: 3, workloads: [appendWorkload("client1", 2), appendWorkload("client2", 1)] })
  const check = (store: ReadonlyMap<string, string>) => {
    const p = executedOnce(config, [{ name: "server1", store: () => store }])
    const w = {} as World
    return p.holds(w) ? undefined : p.explain!(w)
  }
  t.is(check(new Map([["shared", "client1.0;client2.0;client1.1;"]])), undefined)
  t.is(check(new Map([["shared", "x;x;"], ["other", "client1.0;"]])), undefined)
  t.is(check(new Map([["shared", "client1.0;client2.0;client1.0;"]])), "server1 executed client1#1 twice: shared = client1.0;client2.0;client1.0;")
})

test("paxos staged stale votes: a leader deposed with a rejection in flight wins again and chooses its slot with a real majority; with stale votes counted (planted) the rejection chooses a slot only it holds, in at most 12 steps", (t) => {
  const ok = explore(staleVoteSearch(), { strategy: "bfs", maxStates: 20_000 })
  t.is(ok.verdict, "goal-found")
  t.is(ok.property, "SERVER1_CHOSE_SLOT_0")
  const bad = explore(staleVoteSearch("stale-votes-counted"), { strategy: "bfs", maxStates: 20_000 })
  t.is(bad.verdict, "violation")
  t.is(bad.property, "CHOSEN_BY_MAJORITY")
  t.log(bad.path!.steps.map((s) => s.text).join("\n"))
  t.true(bad.path!.steps.length <= 12, `trace of ${bad.path!.steps.length} steps`)
})

test("paxos staged duelling leaders: two leaders of one round, then round 2: the shipped server re-proposes the higher ballot's value; a leader that ignores the promises' values (planted) chooses its own, in at most 20 steps", (t) => {
  const ok = explore(duelSearch(), { strategy: "bfs", maxStates: 20_000 })
  t.is(ok.verdict, "goal-found")
  t.is(ok.property, "SERVER2_CHOSE_SLOT_0")
  t.true(ok.path!.steps.length <= 20, `trace of ${ok.path!.steps.length} steps`)
  const bad = explore(duelSearch("promises-ignored"), { strategy: "bfs", maxStates: 20_000 })
  t.is(bad.verdict, "violation")
  t.true(bad.path!.steps.length <= 20, `trace of ${bad.path!.steps.length} steps`)
  t.log(bad.property, bad.path!.steps.length)
})

test("paxos staged lagging follower, 5 servers: a cut-off follower catches up while the leader holds a proposal alone, in at most 12 steps", (t) => {
  const r = explore(laggingSearch(), { strategy: "bfs", maxStates: 20_000 })
  t.is(r.verdict, "goal-found")
  t.is(r.property, "SERVER4_EXECUTED_0")
  t.true(r.path!.steps.length <= 12, `trace of ${r.path!.steps.length} steps`)
})

test("paxos staged leadership comes back: after two hand-overs a former leader wins round 3 in at most 15 steps; one that never watches the new leader (planted) cannot", (t) => {
  const ok = explore(comesBackSearch(), { strategy: "bfs", maxStates: 20_000 })
  t.is(ok.verdict, "goal-found")
  t.true(ok.path!.steps.length <= 15, `trace of ${ok.path!.steps.length} steps`)
  const bad = explore(comesBackSearch("step-down-silent"), { strategy: "bfs", maxStates: 20_000 })
  t.not(bad.verdict, "goal-found")
})
