/**
 * The ported TLA+ specs against TLC's figures (distinct states, depth as TLC counts it), and the
 * planted TwoPhase bug found by BFS with a shortest trace that replays.
 *
 * Why 5 steps is the shortest counterexample to TCConsistent under the planted bug (the BFS bound
 * test below checks the same mechanically): a committed RM needs RMRcvCommitMsg, which needs the Commit
 * message, so TMCommit, which (even with the bug) needs some RM in tmPrepared, so TMRcvPrepared(r),
 * which needs the Prepared(r) message, so RMPrepare(r): 4 steps, none of which aborts an RM. An aborted
 * RM needs RMChooseToAbort or RMRcvAbortMsg; the latter needs TMAbort, which is disabled once the TM
 * committed (and TMCommit once it aborted). So one more step: at least 5.
 */
import test from "ava"
import { bfs } from "../../src/checker/explore.ts"
import { lastState, replayLabels } from "../../src/checker/path.ts"
import { loadModel } from "../../src/registry/index.ts"

const twophase = await loadModel("twophase")
import { tCommit } from "../../spec/tcommit.ts"
import { twoPhase } from "../../spec/twophase.ts"
import { labelsOf } from "../helpers.ts"

const tcConsistent = (rm: number) => twoPhase({ rm }).properties.find((p) => p.name === "TCConsistent")!

test("TCommit RM=3: 34 distinct states, depth 7", (t) => {
  const r = bfs(tCommit({ rm: 3 }))
  t.like(r, { verdict: "ok", complete: true, distinct: 34, depth: 7 })
})

for (const [rm, distinct, depth] of [
  [3, 288, 11],
  [4, 1568, 14],
  [5, 8832, 17],
] as const) {
  test(`TwoPhase RM=${rm}: ${distinct} distinct states, depth ${depth}`, (t) => {
    const r = bfs(twophase.tests["exhaustive"]!.build({ rm: String(rm) }, 0))
    t.like(r, { verdict: "ok", complete: true, distinct, depth })
  })
}

for (const rm of [2, 3]) {
  const buggy = () => twophase.tests["bug-commit-without-all-prepared"]!.build({ rm: String(rm) }, 0)

  test(`planted bug, RM=${rm}: bfs finds TCConsistent violated after 5 steps, and the trace replays`, (t) => {
    const system = buggy()
    const r = bfs(system)
    t.is(r.verdict, "violation")
    t.is(r.property, "TCConsistent")
    t.is(r.path!.steps.length, 5, labelsOf(r.path).join(", "))
    const replayed = replayLabels(system, r.path!.initialIndex, labelsOf(r.path))
    t.false(tcConsistent(rm).holds(lastState(replayed)))
  })

  test(`planted bug, RM=${rm}: no trace of 4 steps or fewer violates TCConsistent`, (t) => {
    // Depth budget 4: every state within 4 steps is generated and checked, none beyond.
    const r = bfs(buggy(), { maxDepth: 4 })
    t.is(r.verdict, "budget-exhausted")
    t.is(r.property, undefined)
  })

  test(`without the planted bug, RM=${rm}: TCConsistent holds everywhere`, (t) => {
    t.like(bfs(twoPhase({ rm })), { verdict: "ok", complete: true })
  })
}
