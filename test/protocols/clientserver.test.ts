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
import { clientServerModel as model } from "../../src/protocols/clientserver/model.ts"
import { theServer } from "../../src/protocols/clientserver/refinement.ts"
import { labelsOf, oneMinimal, replayHit } from "../helpers.ts"

const SEED = 42

for (const [name, nt] of Object.entries(model.tests)) {
  test(`clientserver ${name}: ${nt.expect}`, (t) => {
    const system = nt.build({}, SEED)
    const options = { seed: SEED, ...nt.options }
    const r = options.strategy === "pbt" ? checkPbt(system, options) : explore(system, options)
    t.is(r.verdict, nt.expect!, `${name}: ${r.property ?? ""} ${r.detail ?? ""}`)
    if (nt.expect === "ok") t.true(r.complete)
    checkPinned(t, `clientserver/${name}`, r)
  })
}

for (const bug of ["bug-execute-retries", "bug-drop-seq"]) {
  test(`${bug}: bfs finds a shortest trace that replays to RESULTS_OK; dfs and pbt find minimised ones`, (t) => {
    const system = model.tests[bug]!.build({}, SEED)
    const r = bfs(system, {})
    t.is(r.verdict, "violation")
    t.is(r.property, "RESULTS_OK")
    t.is(replayHit(system, r)?.property, "RESULTS_OK")
    const n = r.path!.steps.length
    t.true(n >= 1 && n <= 6, `${n}: ${labelsOf(r.path).join(" | ")}`)
    // Shortest: with expansion stopped at depth n - 1 (paths of at most n - 1 steps), nothing violates.
    const shorter = bfs(system, { maxDepth: n - 1 })
    t.not(shorter.verdict, "violation", "no violation at depth < bfs trace length")
    for (const strategy of ["dfs", "pbt"] as const) {
      const res = strategy === "dfs" ? dfs(system, { seed: SEED }) : checkPbt(system, { seed: SEED, samples: 300, maxDepth: 30 })
      t.is(res.verdict, "violation", strategy)
      t.is(res.property, "RESULTS_OK", strategy)
      t.is(replayHit(system, res)?.property, "RESULTS_OK", strategy)
      t.true(oneMinimal(system, res.path!, "RESULTS_OK"), `${strategy}: ${labelsOf(res.path).join(" | ")}`)
      t.true(res.path!.steps.length <= n + 2, `${strategy}: ${res.path!.steps.length} vs bfs ${n}`)
    }
  })
}

test("bug-execute-retries: the retried append is executed twice (xx)", (t) => {
  const r = bfs(model.tests["bug-execute-retries"]!.build({}, SEED), {})
  t.regex(r.detail!, /AppendResult\(value=xx\)/)
  t.is(r.path!.steps.length, 3)
})

for (const [name, loss] of [
  ["unreliable-20", 0.2],
  ["unreliable-50", 0.5],
] as const)
  test(`${name}: every client done, results right, over several seeds`, (t) => {
    for (const seed of [1, 2, 3]) {
      const nt = model.tests[name]!
      const system = nt.build({}, seed)
      const r = explore(system, { seed, ...nt.options })
      t.is(r.verdict, "goal-found", `seed ${seed}`)
      const last = lastState(r.path!) as TimedState
      t.true(allClientsDone(last))
      const config = (system as unknown as { cluster: Cluster }).cluster.config
      t.true(resultsOk(config).holds(last as ProtocolState))
      const report = simReport(last)
      t.is(report.unanswered, 0)
      t.is(report.completed, 2 * 50)
      t.true(report.dropped > 0, "the network did lose messages")
      t.true(report.dropped / report.messagesSent > loss / 2 && report.dropped / report.messagesSent < loss * 1.5, `loss ${report.dropped}/${report.messagesSent}`)
      t.true(last.nodes.slice(1).every((n) => resultsOf(n.client!).length === 50))
    }
  })

test("dedup-bounded: after thousands of operations the server's AMO table has one entry per client", (t) => {
  const nt = model.tests["dedup-bounded"]!
  const system = nt.build({}, SEED)
  const r = explore(system, { seed: SEED, ...nt.options })
  t.is(r.verdict, "goal-found")
  const last = lastState(r.path!) as TimedState
  const server = theServer.state(last)!
  t.is(server.last.size, 2)
  t.deepEqual([...server.last.keys()].sort(), ["client1", "client2"])
  t.is(server.last.get("client1")!.seq, 1500)
  t.is(simReport(last).completed, 3000)
  // The application state holds just the two private keys.
  t.is(server.app.size, 2)
})

test("bug-live-silent-retries: liveness under fair delivery catches a server that does not answer retries, as a short lasso whose cycle is retries", (t) => {
  const r = explore(model.tests["bug-live-silent-retries"]!.build({}, SEED), { seed: SEED, strategy: "bfs" })
  t.like(r, { verdict: "violation", property: "ClientsDone" })
  const path = r.path!
  t.true(path.loop! < path.steps.length, "a cycle, not a stutter")
  t.true(path.steps.length <= 12, `lasso of ${path.steps.length} steps`)
  t.true(path.steps.slice(path.loop).some((s) => s.label.k === "timer"), "the client retries inside the cycle")
})
