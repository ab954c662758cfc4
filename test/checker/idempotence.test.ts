/**
 * `--checks`: re-delivering a message the system claims to tolerate duplicates of must not change the
 * outcome. A counter that remembers which increments it applied passes; one that does not is caught,
 * though no invariant of it fails.
 */
import test from "ava"
import { bfs } from "../../src/checker/explore.ts"
import { DUPLICATE_TOLERANCE } from "../../src/checker/idempotence.ts"
import { plainFingerprint } from "../../src/checker/plain.ts"
import { prune, type TransitionSystem } from "../../src/checker/transition-system.ts"

interface Counter {
  readonly sent: ReadonlySet<number>
  readonly applied: ReadonlySet<number>
  readonly total: number
}

/** Clients send inc(1..3) once each; the network keeps every sent message deliverable (duplicating). */
const counter = (dedup: boolean): TransitionSystem<Counter, string> => ({
  name: `counter(dedup=${dedup})`,
  initial: () => [{ sent: new Set(), applied: new Set(), total: 0 }],
  successors: (s, emit) => {
    for (const i of [1, 2, 3]) {
      if (!s.sent.has(i)) emit(`send inc(${i})`, { ...s, sent: new Set(s.sent).add(i) })
      else if (!dedup || !s.applied.has(i)) emit(`deliver inc(${i})`, { ...s, applied: new Set(s.applied).add(i), total: s.total + 1 })
      else emit(`deliver inc(${i})`, s)
    }
  },
  fingerprint: plainFingerprint,
  formatLabel: (l) => l,
  view: (s) => ({ sent: [...s.sent], applied: [...s.applied], total: s.total }),
  properties: [prune("TotalAtMost6", (s) => s.total > 6)],
  redelivery: { redeliverable: (l) => l.startsWith("deliver"), outcome: (s) => ({ applied: s.applied, total: s.total }) },
})

test("a counter that deduplicates increments passes --checks", (t) => {
  t.like(bfs(counter(true), { checks: true }), { verdict: "ok", complete: true })
})

test("a counter that applies a duplicate twice: no invariant fails, --checks catches it", (t) => {
  t.like(bfs(counter(false)), { verdict: "ok" })
  const r = bfs(counter(false), { checks: true })
  t.like(r, { verdict: "violation", property: DUPLICATE_TOLERANCE })
  t.regex(r.detail!, /delivering "deliver inc\(\d\)" a second time changes the outcome/)
})
