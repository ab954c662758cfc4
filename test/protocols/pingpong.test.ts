import test from "ava"
import { checkPinned } from "./state-counts.ts"
import { bfs, dfs, explore } from "../../src/checker/explore.ts"
import { lastState } from "../../src/checker/path.ts"
import { checkPbt } from "../../src/checker/pbt.ts"
import type { ProtocolState } from "../../src/core/compile.ts"
import type { Cluster } from "../../src/core/execute.ts"
import { allClientsDone, resultsOk } from "../../src/core/properties.ts"
import { simReport, type TimedState } from "../../src/core/timed.ts"
import { resultsOf } from "../../src/core/world.ts"
import { pingPongModel as model } from "../../src/protocols/pingpong/model.ts"
import { labelsOf, oneMinimal, replayHit } from "../helpers.ts"

const SEED = 42

for (const [name, nt] of Object.entries(model.tests)) {
  test(`pingpong ${name}: ${nt.expect}`, (t) => {
    const system = nt.build({}, SEED)
    const options = { seed: SEED, ...nt.options }
    const r = options.strategy === "pbt" ? checkPbt(system, options) : explore(system, options)
    t.is(r.verdict, nt.expect!, `${name}: ${r.property ?? ""} ${r.detail ?? ""}`)
    if (nt.expect === "ok") t.true(r.complete)
    checkPinned(t, `pingpong/${name}`, r)
  })
}

test("basic: the witness is the four deliveries of two pings and pongs, in order", (t) => {
  const r = bfs(model.tests.basic!.build({}, SEED), {})
  t.deepEqual(labelsOf(r.path), [
    "deliver client1 -> server: Ping(value=client1.0)",
    "deliver server -> client1: Pong(value=client1.0)",
    "deliver client1 -> server: Ping(value=client1.1)",
    "deliver server -> client1: Pong(value=client1.1)",
  ])
  t.deepEqual(resultsOf(lastState(r.path!).nodes[1]!.client!).map((p) => (p as unknown as { value: string }).value), ["client1.0", "client1.1"])
})

test("bug-no-retry: bfs, dfs and pbt all find the one-step trace (drop the ping), and it replays", (t) => {
  const system = model.tests["bug-no-retry"]!.build({}, SEED)
  for (const r of [bfs(system, {}), dfs(system, { seed: SEED }), checkPbt(system, { seed: SEED, samples: 200 })]) {
    t.is(r.verdict, "violation", r.strategy)
    t.is(r.property, "PROGRESS_POSSIBLE")
    t.deepEqual(labelsOf(r.path), ["drop client1 -> server: Ping(value=client1.0)"], r.strategy)
    t.is(replayHit(system, r)?.property, "PROGRESS_POSSIBLE")
    t.true(oneMinimal(system, r.path!, "PROGRESS_POSSIBLE"))
  }
  // The same network with the correct client: exhaustive and clean (within at most 3 messages in flight).
  const ok = bfs(model.tests["exhaustive-lossy"]!.build({}, SEED), {})
  t.is(ok.verdict, "ok")
  t.true(ok.distinct > 50, `${ok.distinct}`)
})

test("unreliable-50: the client finishes at 50% loss over several seeds, every pong right", (t) => {
  for (const seed of [1, 2, 3, 4]) {
    const nt = model.tests["unreliable-50"]!
    const system = nt.build({}, seed)
    const r = explore(system, { seed, ...nt.options })
    t.is(r.verdict, "goal-found", `seed ${seed}`)
    const last = lastState(r.path!) as TimedState
    t.true(allClientsDone(last))
    t.true(resultsOk((system as unknown as { cluster: Cluster }).cluster.config).holds(last as ProtocolState))
    const report = simReport(last)
    t.is(report.completed, 20)
    t.true(report.dropped > 5, `dropped ${report.dropped}`)
    t.true(report.timersFired > 0, "retries were needed")
  }
})

test("bug-no-retry-unreliable: without retries the run stalls with the client waiting", (t) => {
  const nt = model.tests["bug-no-retry-unreliable"]!
  for (const seed of [1, 2, 3]) {
    const r = explore(nt.build({}, seed), { seed, ...nt.options })
    t.is(r.verdict, "goal-not-found", `seed ${seed}`)
    t.true(r.generated < 60, `the run ends early: ${r.generated} steps`)
  }
})
