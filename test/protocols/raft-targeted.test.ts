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
import { logTermsMonotone, type RaftReplica, snapshotMatching } from "../../src/protocols/raft/properties.ts"
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

test("staged-old-term-compacted: the staged path and the goal replay on the unpartitioned system", (t) => {
  const nt = raftModel.tests["staged-old-term-compacted"]!
  const r = explore(nt.build({}, 1), nt.options)
  t.is(r.verdict, "goal-found")
  t.is(r.property, "S3_LEARNS_COMMIT_IN_TERM_2")
  // Stages cut servers off; their steps are steps of the healed configuration too.
  const plain = checkedSystem({ servers: 3, workloads: [privateKeyWorkload("client1", 1)], server: { maxTerm: 2, snapshotThreshold: 0 } })
  t.notThrows(() => replayLabels(plain, 0, r.path!.steps.map((s) => s.text)))
})
