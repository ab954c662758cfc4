/**
 * Two mutants judged equivalent, re-checked (issue 14 item 5, session 6): the premise each judgement
 * rests on is an invariant (raft/premises.ts, primarybackup/premises.ts) that fails on a state that
 * breaks it and holds on every state the targeted searches of each protocol reach.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import type { NamedTest } from "../../src/checker/model.ts"
import { type StateProperty, withProperties } from "../../src/checker/transition-system.ts"
import type { ProtocolState } from "../../src/core/compile.ts"
import { AMOCommand } from "../../src/core/application.ts"
import { put } from "../../src/core/kv.ts"
import { raftModel } from "../../src/protocols/raft/model.ts"
import { appendCoversCommit, snapshotInNewerLogs } from "../../src/protocols/raft/premises.ts"
import { AppendEntries, InstallSnapshot } from "../../src/protocols/raft/server.ts"
import { primaryBackupModel } from "../../src/protocols/primarybackup/model.ts"
import { forwardOnlyToReady } from "../../src/protocols/primarybackup/premises.ts"
import { Forward } from "../../src/protocols/primarybackup/server.ts"

const world = (net: Array<{ from: string; to: string; msg: unknown }>, nodes: unknown[] = []) => ({ nodes, net }) as unknown as ProtocolState

test("APPEND_COVERS_COMMIT fails on an AppendEntries short of its leaderCommit, holds on one that reaches it", (t) => {
  const ae = (prev: number, n: number, commit: number) =>
    new AppendEntries({ term: 1, prevLogIndex: prev, prevLogTerm: 1, entries: Array.from({ length: n }, () => ({ term: 1, command: put("k", "v") })), leaderCommit: commit })
  t.false(appendCoversCommit().holds(world([{ from: "s1/log", to: "s2/log", msg: ae(1, 0, 2) }])))
  t.true(appendCoversCommit().holds(world([{ from: "s1/log", to: "s2/log", msg: ae(1, 1, 2) }])))
})

test("FORWARD_ONLY_TO_READY fails on a Forward to a backup of that view without the state", (t) => {
  const fwd = new Forward({ num: 2, command: new AMOCommand({ command: put("k", "v"), client: "client1", seq: 1 }) })
  const backup = (ready: boolean, num: number) => [{ up: true }, { up: true }, { up: true, state: { view: { num }, ready } }]
  t.false(forwardOnlyToReady().holds(world([{ from: "server1", to: "server2", msg: fwd }], backup(false, 2))))
  t.true(forwardOnlyToReady().holds(world([{ from: "server1", to: "server2", msg: fwd }], backup(true, 2))))
  t.true(forwardOnlyToReady().holds(world([{ from: "server1", to: "server2", msg: fwd }], backup(false, 3))))
})

test("SNAPSHOT_IN_NEWER_LOGS fails on a log past a snapshot's index, of a term at least its own, without its entry there", (t) => {
  const entries = (...terms: number[]) => terms.map((term) => ({ term, command: put("k", "v") }))
  const server = (terms: number[], snapIndex = 0, snapTerm = 0) => ({ up: true, state: { log: { log: entries(...terms), snapIndex, snapTerm } } })
  const snap = (index: number, term: number) => [{ from: "s2/log", to: "s1/log", msg: new InstallSnapshot({ term: 4, lastIncludedIndex: index, lastIncludedTerm: term, data: null }) }]
  // s1 holds (1,1) (2,3) (3,3): a snapshot through 2 of term 2 that s1 outruns in term 3 breaks it.
  t.false(snapshotInNewerLogs(1).holds(world(snap(2, 2), [server([1, 3, 3])])))
  t.false(snapshotInNewerLogs(2).holds(world([], [server([1, 3, 3]), server([], 2, 2)])))
  // Its entry at 2 has the snapshot's term, or its last term is older, or it ends at the snapshot's index.
  t.true(snapshotInNewerLogs(1).holds(world(snap(2, 3), [server([1, 3, 3])])))
  t.true(snapshotInNewerLogs(1).holds(world(snap(2, 4), [server([1, 3, 3])])))
  t.true(snapshotInNewerLogs(1).holds(world(snap(3, 2), [server([1, 3, 3])])))
})

/** The named test with `premise` checked on every state it reaches: its verdict is unchanged. */
const withPremise = (nt: NamedTest, premise: StateProperty<ProtocolState>) => {
  const sys = nt.build({}, 1) as Parameters<typeof withProperties<ProtocolState, unknown>>[0]
  return explore(withProperties(sys, [...sys.properties, premise]), { seed: 1, ...nt.options })
}

for (const name of ["staged-conflicting-suffix-snapshot", "staged-stale-snapshot", "staged-leader-again", "staged-snapshot-catch-up"]) {
  test(`APPEND_COVERS_COMMIT holds on raft ${name}`, (t) => {
    const r = withPremise(raftModel.tests[name]!, appendCoversCommit())
    t.is(r.verdict, raftModel.tests[name]!.expect!, `${r.property ?? ""} ${r.detail ?? ""}`)
  })
}

// Searches and simulations where snapshots are taken and installed: staged ones (a conflicting entry at
// the snapshot's index, a follower behind the snapshot, a stale snapshot, the next leader's snapshot) and
// simulated elections, partitions and crashes with compaction (seeded: any seed must keep the premise).
for (const name of ["staged-conflicting-suffix-snapshot", "staged-stale-snapshot-two-clients", "staged-next-leader-appends", "staged-append-over-snapshot", "snap-install-cut", "snap-install-crash", "kv-restarts"]) {
  test(`SNAPSHOT_IN_NEWER_LOGS holds on raft ${name}`, (t) => {
    const r = withPremise(raftModel.tests[name]!, snapshotInNewerLogs(3))
    t.is(r.verdict, raftModel.tests[name]!.expect!, `${r.property ?? ""} ${r.detail ?? ""}`)
  })
}

for (const name of ["stale-after-rejoin", "stale-after-swap", "stale-after-rejoin-done"]) {
  test(`FORWARD_ONLY_TO_READY holds on primarybackup ${name}`, (t) => {
    const r = withPremise(primaryBackupModel.tests[name]!, forwardOnlyToReady())
    t.is(r.verdict, primaryBackupModel.tests[name]!.expect!, `${r.property ?? ""} ${r.detail ?? ""}`)
  })
}
