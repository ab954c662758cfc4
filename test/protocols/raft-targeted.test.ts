/**
 * Raft's invariants beyond Figure 3 on hand-made replica states (each fails on the state a bug leaves
 * and holds on the correct one), and a staged search: it reaches its stages and its traces replay on
 * the unstaged system.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { replayLabels } from "../../src/checker/path.ts"
import type { World } from "../../src/core/world.ts"
import { privateKeyWorkload } from "../../src/core/workloads.ts"
import { checkedSystem } from "../../src/protocols/raft/scenarios.ts"
import { raftModel } from "../../src/protocols/raft/model.ts"
import { commitIndexMonotone, committedOnQuorum, logTermsMonotone, matchIndexTrue, type RaftReplica, snapshotMatching } from "../../src/protocols/raft/properties.ts"
import type { Entry, RaftState } from "../../src/protocols/raft/server.ts"

const w = {} as World
const entries = (...terms: number[]): Entry[] => terms.map((term, i) => ({ term, command: { _tag: "Noop", i } }))
const replica = (name: string, s: Partial<RaftState>): RaftReplica => ({
  name,
  log: () => ({ role: "follower", term: 2, votedFor: null, log: [], snapIndex: 0, snapTerm: 0, snap: undefined, commitIndex: 0, votes: null, next: null, match: null, leader: null, ...s }),
  app: () => undefined,
})

test("LOG_TERMS_MONOTONE: a stale entry kept after a newer one fails; a log whose terms never fall holds", (t) => {
  t.false(logTermsMonotone([replica("s1", { log: entries(2, 1) })]).holds(w))
  t.false(logTermsMonotone([replica("s1", { snapIndex: 1, snapTerm: 2, log: entries(1) })]).holds(w))
  t.false(logTermsMonotone([replica("s1", { term: 1, log: entries(1, 2) })]).holds(w))
  t.true(logTermsMonotone([replica("s1", { snapIndex: 1, snapTerm: 1, log: entries(1, 2, 2) })]).holds(w))
})

test("SNAPSHOT_MATCHING: a snapshot whose last term differs from the committed entry there fails", (t) => {
  const s2 = replica("s2", { log: entries(1, 2), commitIndex: 1 })
  t.false(snapshotMatching([replica("s1", { snapIndex: 1, snapTerm: 2, commitIndex: 1 }), s2]).holds(w))
  t.true(snapshotMatching([replica("s1", { snapIndex: 1, snapTerm: 1, commitIndex: 1 }), s2]).holds(w))
  // Not committed there: the other server's entry may still be replaced.
  t.true(snapshotMatching([replica("s1", { snapIndex: 1, snapTerm: 2, commitIndex: 1 }), replica("s2", { log: entries(1) })]).holds(w))
})

test("COMMITTED_ON_QUORUM: an entry committed on a minority fails; a crashed server counts by its durable log, a snapshot as holding", (t) => {
  const down = (name: string, d: Partial<RaftState>): RaftReplica => ({ name, log: () => undefined, app: () => undefined, stored: () => ({ term: 2, votedFor: null, log: [], snapIndex: 0, snapTerm: 0, snap: undefined, commitIndex: 0, ...d }) })
  const s1 = replica("s1", { log: entries(1, 2), commitIndex: 2 })
  t.false(committedOnQuorum([s1, replica("s2", { log: entries(1, 1) }), replica("s3", { log: entries(1) })]).holds(w))
  t.true(committedOnQuorum([s1, replica("s2", { log: entries(1, 1) }), down("s3", { log: entries(1, 2) })]).holds(w))
  t.true(committedOnQuorum([s1, replica("s2", { snapIndex: 2, snapTerm: 2 }), replica("s3", {})]).holds(w))
})

test("MATCH_INDEX_TRUE: a matchIndex past the follower's agreement, or from a follower still in an older term, fails", (t) => {
  const leader = (m: number) => replica("s1", { role: "leader", log: entries(1, 2), match: new Map([["s2", m]]), next: new Map([["s2", m + 1]]) })
  t.true(matchIndexTrue([leader(2), replica("s2", { log: entries(1, 2, 1) })]).holds(w))
  // Counted past the leader's own log (a follower reporting its own last index).
  t.false(matchIndexTrue([leader(3), replica("s2", { log: entries(1, 2, 1) })]).holds(w))
  t.false(matchIndexTrue([leader(2), replica("s2", { log: entries(1, 1) })]).holds(w))
  // A reply of an earlier term counted: the follower never joined this term.
  t.false(matchIndexTrue([leader(1), replica("s2", { term: 1, log: entries(1) })]).holds(w))
  // A follower of a newer term: the leader is stale, nothing to check.
  t.true(matchIndexTrue([leader(2), replica("s2", { term: 3, log: entries(1, 3) })]).holds(w))
})

test("COMMIT_INDEX_MONOTONE: an up server's commit index going back fails; a crash may lose it", (t) => {
  const a = {} as World
  const b = {} as World
  const step = (from: number, to: number | undefined) =>
    commitIndexMonotone<string>([
      { name: "s1", log: (x) => (x === a ? replica("s1", { commitIndex: from }).log(x) : to === undefined ? undefined : replica("s1", { commitIndex: to }).log(x)), app: () => undefined },
    ]).check(a, "step", b)
  t.truthy(step(3, 2))
  t.is(step(2, 3), undefined)
  t.is(step(3, undefined), undefined)
})

test("staged-old-term-compacted: the staged path and the goal replay on the unpartitioned system", (t) => {
  const nt = raftModel.tests["staged-old-term-compacted"]!
  const r = explore(nt.build({}, 1), nt.options)
  t.is(r.verdict, "goal-found")
  t.is(r.property, "S3_LEARNS_COMMIT_IN_TERM_2")
  // Stages cut servers off; their steps are steps of the healed configuration too.
  const plain = checkedSystem({ servers: 3, workloads: [privateKeyWorkload("client1", 1)], server: { maxTerm: 2, snapshotThreshold: 0 } })
  t.notThrows(() => replayLabels(plain, 0, r.path!.steps.map((s) => s.text)))
})
