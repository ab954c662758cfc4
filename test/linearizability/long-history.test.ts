/**
 * A sequential history of 100,000 operations parses and checks in near-linear time (the search used to
 * copy its whole path at every new depth: minutes on such a history), and a stale read planted at its
 * end is still found.
 */
import test from "ava"
import { checkHistory } from "../../src/linearizability/check.ts"
import { loadHistory } from "../../src/linearizability/formats.ts"
import { sequentialKvHistory } from "../../src/linearizability/sequential.ts"

const N = 100_000

const timed = <T>(f: () => T): [T, number] => {
  const start = performance.now()
  const r = f()
  return [r, (performance.now() - start) / 1000]
}

test("100,000 sequential operations: linearizable, parse and search in seconds", (t) => {
  const [loaded, parse] = timed(() => loadHistory(sequentialKvHistory(N)))
  t.is(loaded.history.length, N)
  const [result, check] = timed(() => checkHistory(loaded.model, loaded.history, { minimise: false }))
  t.is(result.verdict, "linearizable")
  t.is(result.steps, N)
  // Quadratic work (5e9 copies) takes minutes; linear takes well under a second on a shared core.
  t.true(parse + check < 15, `parse ${parse.toFixed(2)} s, check ${check.toFixed(2)} s`)
})

test("a stale read planted near the end of 100,000 sequential operations: not linearizable, found at once", (t) => {
  const at = N - 3
  const loaded = loadHistory(sequentialKvHistory(N, { staleReadAt: at }))
  const [result, check] = timed(() => checkHistory(loaded.model, loaded.history, { minimise: false }))
  t.is(result.verdict, "not-linearizable")
  t.is(result.failure!.blocking, at)
  t.true(check < 15, `check ${check.toFixed(2)} s`)
})
