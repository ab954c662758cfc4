/**
 * The shipped protocols' named liveness tests: every client request completes under fair delivery
 * (strong fairness of each delivery, weak fairness of each timer) with a stable leader, on a network
 * that reorders and drops; and the planted liveness bug (a client that never re-sends after a loss)
 * caught as a lasso that is written as a trace file, read back, replayed by label and re-checked as
 * `tla-ts replay` does (checkLasso: it closes its cycle, is fair, and violates ClientsDone).
 */
import test from "ava"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { explore } from "../../src/checker/explore.ts"
import { checkLasso } from "../../src/checker/liveness.ts"
import type { NamedTest } from "../../src/checker/model.ts"
import { replayLabels } from "../../src/checker/path.ts"
import { readTraceFile, toTraceFile, writeTraceFile } from "../../src/checker/trace-file.ts"
import { PAXOS_TESTS } from "../../src/protocols/paxos/model.ts"
import { PRIMARYBACKUP_TESTS } from "../../src/protocols/primarybackup/model.ts"
import { RAFT_TESTS } from "../../src/protocols/raft/model.ts"
import { labelsOf } from "../helpers.ts"

const run = (t: NamedTest) => {
  const system = t.build({}, 1)
  return { system, result: explore(system, { ...t.options, seed: 1 }) }
}

/** The lasso through a trace file and back, replayed by label, re-checked: the property it violates, or why it is no lasso. */
const replayedLasso = (model: string, name: string, t: NamedTest): string => {
  const { system, result } = run(t)
  const file = join(mkdtempSync(join(tmpdir(), "live-")), `${model}-${name}.trace.json`)
  writeTraceFile(file, toTraceFile(system, result, { model, params: {}, test: name }))
  const trace = readTraceFile(file)
  const path = { ...replayLabels(system, trace.initial, trace.steps), loop: trace.loop! }
  const hit = checkLasso(system, path)
  return typeof hit === "string" ? hit : hit.property
}

// `ok`: the distinct states of "live-requests-complete" (its verdict is also run by each protocol's own
// test file, which runs every named test, Paxos's in named-tests.slow.test.ts; Raft's 96,719-state one
// only there, to keep npm test quick).
// `steps`: the most the planted bug's lasso may take (a small fair cycle, not a walk through its whole
// component: before short lassos these were 40, 54 and 33 steps; bench/lasso-lengths.ts).
const cases = [
  { model: "paxos", tests: PAXOS_TESTS as Record<string, NamedTest>, ok: 207_472, steps: 8 },
  { model: "raft", tests: RAFT_TESTS as Record<string, NamedTest>, ok: undefined, steps: 18 },
  { model: "primarybackup", tests: PRIMARYBACKUP_TESTS as Record<string, NamedTest>, ok: 7_458, steps: 10 },
]

for (const { model, tests, ok, steps } of cases) {
  if (ok !== undefined)
    test(`${model}: every client request completes under fair delivery with a stable leader (complete bfs, then liveness)`, (t) => {
      const { result } = run(tests["live-requests-complete"]!)
      t.like(result, { verdict: "ok", complete: true, distinct: ok })
    })

  test(`${model} planted liveness bug (a client that never re-sends after a loss): a lasso that replays`, (t) => {
    const bug = tests["bug-live-no-client-retry"]!
    const { result } = run(bug)
    t.like(result, { verdict: "violation", property: "ClientsDone" })
    const labels = labelsOf(result.path)
    // The request is lost, and the cycle is the cluster going on without it: a real cycle, not stuttering.
    t.true(labels.some((l) => l.startsWith("drop client1 ->")), labels.join("\n"))
    t.true(result.path!.loop! < labels.length)
    t.true(labels.length <= steps, `a lasso of ${labels.length} steps`)
    t.false(labels.slice(result.path!.loop!).some((l) => l.includes("client1")), labels.join("\n"))
    t.is(replayedLasso(model, "bug-live-no-client-retry", bug), "ClientsDone")
  })
}

test("paxos: the buggy client's lasso is no counterexample for the retrying client (its retry timer is enabled and never fires)", (t) => {
  const { result } = run(PAXOS_TESTS["bug-live-no-client-retry"] as NamedTest)
  const fixed = (PAXOS_TESTS["live-requests-complete"] as NamedTest).build({}, 1)
  const replayed = { ...replayLabels(fixed, result.path!.initialIndex, labelsOf(result.path)), loop: result.path!.loop! }
  t.regex(checkLasso(fixed, replayed) as string, /not fair: weakly fair class "timer client1: ClientTimer/)
})
