/**
 * Targeted searches (issue 14 item 5): small configurations that reach the situations where Raft's
 * subtler bugs live, which the whole-space searches (one term, one client) and the simulations (rare
 * interleavings) miss:
 *
 * - two terms: a candidate times out into a second term while replies of the first are in flight
 *   (stale votes, a term adopted and not yet on disk);
 * - a follower left behind the leader's snapshot, by a staged search (reach the situation with one
 *   BFS, then search on from it: the follower must still catch up);
 * - a follower whose conflicting suffix is longer than what the new leader sends, and a follower that
 *   learns in a new term that an entry of an older term committed (and compacts it).
 */
import type { NamedTest } from "../../checker/model.ts"
import { goal, prune } from "../../checker/transition-system.ts"
import type { ProtocolState } from "../../core/compile.ts"
import { appendWorkload, privateKeyWorkload } from "../../core/workloads.ts"
import { resultsOf, type World } from "../../core/world.ts"
import { serverStates } from "./properties.ts"
import { allCaughtUp, checkedSystem, type RaftSetup } from "./scenarios.ts"
import { InstallSnapshot, InstallSnapshotReply, lastIndex, termAt } from "./server.ts"
import { staged } from "../../checker/staged.ts"

/** Every client has the answers to its first `ops` commands. */
const answered = (w: World, ops: number): boolean => w.nodes.every((n) => !n.client || resultsOf(n.client).length >= ops)

/** Only servers `ks` (0-based) campaign (another candidate is pruned): a stage needs one leader, not every election order. */
export const onlyCampaigner = (...ks: number[]) => prune<ProtocolState>("ANOTHER_CANDIDATE", (w) => serverStates(w, 3).some((s, i) => !ks.includes(i) && s !== null && s.role === "candidate"))
const onlyFirstCampaigns = onlyCampaigner(0)

/** 3 servers, one client's 3 puts, snapshots once the log holds 2 entries, one term, only server 1 campaigns. */
export const laggingSetup: RaftSetup = {
  servers: 3,
  workloads: [privateKeyWorkload("client1", 3)],
  server: { snapshotThreshold: 1, maxTerm: 1 },
  client: { retry: false },
}
const lagging = (network: RaftSetup["network"]) => checkedSystem({ ...laggingSetup, ...(network ? { network } : {}) }, [onlyFirstCampaigns], "raft staged snapshot catch-up")

/** The leader's first entry is committed, every server has it and the leader knows they do. */
export const firstEntryEverywhere = goal<ProtocolState>("FIRST_ENTRY_EVERYWHERE", (w) => {
  const ss = serverStates(w, 3)
  const leader = ss.find((s) => s?.role === "leader")
  return answered(w, 1) && leader != null && leader.commitIndex === 1 && [...leader.match!.values()].every((m) => m === 1) && ss.every((s) => s !== null && lastIndex(s) === 1)
})

/** All three puts answered; the leader has compacted through index 2 and holds entry 3 after its snapshot. */
export const compactedPast = goal<ProtocolState>("LEADER_COMPACTED", (w) => {
  const leader = serverStates(w, 3).find((s) => s?.role === "leader")
  return answered(w, 3) && leader != null && leader.snapIndex === 2 && leader.commitIndex === 3 && lastIndex(leader) === 3
})

/**
 * A follower with a conflicting suffix longer than what the new leader sends: s1 leads term 1 and,
 * cut off with both clients, appends their two puts, which it cannot commit; s2 and s3 elect s2 in
 * term 2, to which a client retries its put, and commit it; healed, s2's one entry (or its snapshot)
 * meets s1's two.
 */
const conflictingSuffix = (server: RaftSetup["server"]) => {
  const setup: RaftSetup = { servers: 3, workloads: [privateKeyWorkload("client1", 1), privateKeyWorkload("client2", 1)], server: { maxTerm: 2, ...server } }
  const sys = (campaigner: number, partition?: ReadonlyArray<ReadonlyArray<string>>) =>
    checkedSystem({ ...setup, ...(partition ? { network: { partition } } : {}) }, [onlyCampaigner(campaigner)], "raft staged conflicting suffix")
  return staged(
    [
      { system: sys(0), goal: goal<ProtocolState>("S1_LEADS", (w) => serverStates(w, 3)[0]?.role === "leader") },
      { system: sys(0, [["s1", "client1", "client2"], ["s2", "s3"]]), goal: goal<ProtocolState>("S1_HOLDS_TWO", (w) => lastIndex(serverStates(w, 3)[0] ?? { snapIndex: 0, log: [] }) === 2) },
      {
        system: sys(1, [["s1"], ["s2", "s3", "client1", "client2"]]),
        goal: goal<ProtocolState>("S2_COMMITS_ONE_IN_TERM_2", (w) => {
          const s2 = serverStates(w, 3)[1]
          return s2?.role === "leader" && s2.term === 2 && lastIndex(s2) === 1 && s2.commitIndex === 1
        }),
      },
    ],
    {
      system: sys(1),
      goal: goal<ProtocolState>("S1_REPAIRED", (w) => {
        const [s1, s2] = serverStates(w, 3)
        return s1?.role === "follower" && s2?.role === "leader" && s1.term === 2 && lastIndex(s1) === lastIndex(s2) && termAt(s1, lastIndex(s1)) === termAt(s2, lastIndex(s2))
      }),
    },
    { maxStates: 100_000 }
  )
}

/** 3 servers, one client's `ops` puts, terms up to 2; a stage's system: only `campaigners` campaign, `partition` if given. */
const twoTerms = (ops: number, server: RaftSetup["server"] = {}) => {
  const setup: RaftSetup = { servers: 3, workloads: ops > 0 ? [privateKeyWorkload("client1", ops)] : [], server: { maxTerm: 2, ...server } }
  return (campaigners: ReadonlyArray<number>, partition?: ReadonlyArray<ReadonlyArray<string>>) =>
    checkedSystem({ ...setup, ...(partition ? { network: { partition } } : {}) }, [onlyCampaigner(...campaigners)], "raft staged, two terms")
}

/**
 * Two elections in one term window: s1 campaigns in term 1 and s2's grant is still in flight when s1
 * times out into term 2; then s3 wins term 2 (s2 never campaigns). Searching on, s1 and s2
 * must both end up following s3, while s2's old grant can still reach s1.
 */
const staleGrant = () => {
  const sys = twoTerms(0)
  const at = (w: World) => serverStates(w, 3)
  return staged(
    [
      { system: sys([0]), goal: goal<ProtocolState>("S2_GRANTS_S1_TERM_1", (w) => at(w)[0]?.role === "candidate" && at(w)[1]?.term === 1 && at(w)[1]?.votedFor === "s1/log") },
      { system: sys([0]), goal: goal<ProtocolState>("S1_CANDIDATE_TERM_2", (w) => at(w)[0]?.role === "candidate" && at(w)[0]?.term === 2) },
      { system: sys([0, 2]), goal: goal<ProtocolState>("S3_LEADS_TERM_2", (w) => at(w)[2]?.role === "leader" && at(w)[2]?.term === 2) },
    ],
    { system: sys([0, 2]), goal: goal<ProtocolState>("ALL_FOLLOW_S3", (w) => at(w).every((s, i) => i === 2 || (s?.role === "follower" && s.leader === "s3/log"))) },
    { maxStates: 100_000 }
  )
}

/**
 * A follower learns in a new term that an entry of the old term committed, and compacts it: s1 leads
 * term 1 and commits the client's put on all three; s2 learns the commit, s3 (cut off) does not; s2
 * wins term 2 with s3 and tells it. Compaction at every commit.
 */
const oldTermCompacted = () => {
  const sys = twoTerms(1, { snapshotThreshold: 0 })
  const at = (w: World) => serverStates(w, 3)
  return staged(
    [
      {
        system: sys([0]),
        goal: goal<ProtocolState>("S1_COMMITS_ON_ALL", (w) => {
          const [s1, s2, s3] = at(w)
          return s1?.commitIndex === 1 && [s2, s3].every((s) => s != null && lastIndex(s) === 1 && s.commitIndex === 0)
        }),
      },
      { system: sys([0], [["s1", "s2", "client1"], ["s3"]]), goal: goal<ProtocolState>("S2_LEARNS_COMMIT", (w) => at(w)[1]?.commitIndex === 1) },
    ],
    {
      system: sys([1], [["s2", "s3"], ["s1", "client1"]]),
      goal: goal<ProtocolState>("S3_LEARNS_COMMIT_IN_TERM_2", (w) => {
        const [, s2, s3] = at(w)
        return s2?.role === "leader" && s2.term === 2 && s2.match!.get("s3/log") === 1 && s3?.commitIndex === 1
      }),
    },
    { maxStates: 100_000 }
  )
}

/**
 * One server leads twice: s1 leads term 1 and s2 takes its put (s2's reply of term 1, with its match
 * index, stays in the network); s3 campaigns in term 2 with s2 cut off, and s1 steps down; healed, s1
 * wins term 3. Searching on, every server must follow s1 in term 3, while s2's reply of term 1 can
 * still reach the leader of term 3 (it must not count: its match index is of another term's log).
 */
const leaderAgain = () => {
  const setup: RaftSetup = { servers: 3, workloads: [privateKeyWorkload("client1", 1)], server: { maxTerm: 3 } }
  const sys = (campaigners: ReadonlyArray<number>, partition?: ReadonlyArray<ReadonlyArray<string>>) =>
    checkedSystem({ ...setup, ...(partition ? { network: { partition } } : {}) }, [onlyCampaigner(...campaigners)], "raft staged, one leader twice")
  const at = (w: World) => serverStates(w, 3)
  return staged(
    [
      {
        system: sys([0]),
        goal: goal<ProtocolState>("S2_TAKES_S1_ENTRY_TERM_1", (w) => {
          const [s1, s2] = at(w)
          return s1?.role === "leader" && s1.term === 1 && s2 != null && s2.term === 1 && lastIndex(s2) === 1
        }),
      },
      { system: sys([2], [["s1", "s3"], ["s2", "client1"]]), goal: goal<ProtocolState>("S1_FOLLOWS_TERM_2", (w) => at(w)[0]?.role === "follower" && at(w)[0]?.term === 2) },
    ],
    {
      system: sys([0, 2]),
      goal: goal<ProtocolState>("ALL_FOLLOW_S1_TERM_3", (w) => {
        const [s1, s2, s3] = at(w)
        return s1?.role === "leader" && s1.term === 3 && [s2, s3].every((s) => s?.role === "follower" && s.term === 3 && s.leader === "s1/log")
      }),
    },
    { maxStates: 100_000 }
  )
}

/**
 * A stale snapshot: compaction once the log holds 3 entries, one client's 4 appends, one term. s1 leads
 * and commits 2 entries while s2 holds both but has not learned the commit; s2 takes entry 3 with the
 * leader's commit point 2 and compacts through 2 (its log held 3), while s1 commits 3 and compacts
 * through 3, then, s2's reply not yet in, sends s2 InstallSnapshot(3); s2 learns entries 3 and 4
 * committed by AppendEntries, the snapshot still in flight. Searching on, the snapshot reaches s2,
 * which has committed past it and answers it: its commit point must not go back (COMMIT_INDEX_MONOTONE),
 * and every server catches up.
 */
const staleSnapshot = () => {
  const sys = checkedSystem(
    { servers: 3, workloads: [appendWorkload("client1", 4)], server: { snapshotThreshold: 2, maxTerm: 1 }, client: { retry: false } },
    [onlyFirstCampaigns],
    "raft staged stale snapshot"
  )
  const at = (w: World) => serverStates(w, 3)
  const snapshotTo = (w: World, to: string, index: number) => w.net.some((e) => e.to === to && e.msg instanceof InstallSnapshot && e.msg.lastIncludedIndex === index)
  return staged(
    [
      {
        system: sys,
        goal: goal<ProtocolState>("S1_COMMITS_2_S2_HOLDS_2", (w) => {
          const [s1, s2] = at(w)
          return s1?.role === "leader" && s1.commitIndex === 2 && s2 != null && lastIndex(s2) === 2 && s2.commitIndex < 2
        }),
      },
      {
        system: sys,
        goal: goal<ProtocolState>("S2_COMPACTED_2_SNAPSHOT_3_SENT", (w) => {
          const [s1, s2] = at(w)
          return s1?.snapIndex === 3 && s2?.snapIndex === 2 && lastIndex(s2) === 3 && snapshotTo(w, "s2/log", 3)
        }),
      },
      { system: sys, goal: goal<ProtocolState>("S2_COMMITS_4_BEHIND_ITS_SNAPSHOT", (w) => at(w)[1]?.commitIndex === 4 && at(w)[1]?.snapIndex === 2) },
    ],
    {
      system: sys,
      goal: goal<ProtocolState>("STALE_SNAPSHOT_ANSWERED_ALL_CAUGHT_UP", (w) => allCaughtUp(w, 3, 4) && w.net.some((e) => e.from === "s2/log" && e.msg instanceof InstallSnapshotReply)),
    },
    { maxStates: 100_000 }
  )
}

export const TARGETED_TESTS = {
  "staged-stale-snapshot": {
    description:
      "staged search (3 servers, one client's 4 appends, compaction once the log holds 3 entries): s2 compacts through 2 while the leader compacts through 3 and sends s2 InstallSnapshot(3); s2 commits 4 by AppendEntries, the snapshot in flight; BFS on until s2 has answered the stale snapshot and every server caught up: it must not take s2's commit point back (COMMIT_INDEX_MONOTONE)",
    build: staleSnapshot,
    options: { strategy: "bfs", maxStates: 100_000 },
    expect: "goal-found",
  },
  "staged-leader-again": {
    description:
      "staged search over three terms: s1 leads term 1 and s2 takes its put; s3 campaigns in term 2 (s2 cut off) and s1 steps down; healed, BFS on: s1 wins term 3 and every server follows it (s2's reply of term 1 is still deliverable and must not count as a match in term 3)",
    build: leaderAgain,
    options: { strategy: "bfs", maxStates: 100_000 },
    expect: "goal-found",
  },
  "staged-stale-grant": {
    description:
      "staged search over two terms (no clients): s2's term-1 grant to s1 is in flight when s1 times out into term 2, and s3 wins term 2; BFS on: s1 and s2 follow s3 (a stale grant must not make s1 a second leader of term 2)",
    build: staleGrant,
    options: { strategy: "bfs", maxStates: 100_000 },
    expect: "goal-found",
  },
  "staged-old-term-compacted": {
    description:
      "staged search over two terms, compaction at every commit: s1 commits a put of term 1 on all three servers, s2 learns it, s3 (cut off) does not; s2 wins term 2 with s3 and tells it: s3 compacts an entry of term 1 in term 2 (its snapshot's last term must be 1)",
    build: oldTermCompacted,
    options: { strategy: "bfs", maxStates: 100_000 },
    expect: "goal-found",
  },
  "staged-snapshot-catch-up": {
    description:
      "staged search (3 servers, one client's 3 puts, compaction at 2 entries): BFS until every server has entry 1; then, s3 cut off, until the leader has compacted through 2 and committed 3; then, healed, BFS on: s3, one entry behind the snapshot, catches up (InstallSnapshot, then the entry after it)",
    build: () =>
      staged(
        [
          { system: lagging(undefined), goal: firstEntryEverywhere },
          { system: lagging({ partition: [["s1", "s2", "client1"], ["s3"]] }), goal: compactedPast },
        ],
        { system: lagging(undefined), goal: goal<ProtocolState>("ALL_CAUGHT_UP", (w) => allCaughtUp(w, 3, 3)) },
        { maxStates: 100_000 }
      ),
    options: { strategy: "bfs", maxStates: 100_000 },
    expect: "goal-found",
  },
  "staged-conflicting-suffix": {
    description:
      "staged search: s1 leads term 1 and, cut off with both clients, appends their two puts; s2 leads term 2 and commits one client's retry with s3; healed, BFS on: s1's longer conflicting suffix is replaced by s2's log",
    build: () => conflictingSuffix({}),
    options: { strategy: "bfs", maxStates: 100_000 },
    expect: "goal-found",
  },
  "staged-conflicting-suffix-snapshot": {
    description:
      "staged-conflicting-suffix with compaction at every commit: healed, s1 is behind s2's snapshot and gets InstallSnapshot, whose last term conflicts with s1's entry there; s1 ends with s2's log",
    build: () => conflictingSuffix({ snapshotThreshold: 0 }),
    options: { strategy: "bfs", maxStates: 100_000 },
    expect: "goal-found",
  },
} satisfies Record<string, NamedTest>
