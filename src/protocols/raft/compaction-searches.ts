/**
 * Searches where a compacted server meets what it must handle (issue 14, session 10; three servers,
 * staged):
 *
 * - staged-append-over-snapshot: a bootstrapped leader, three clients' puts, compaction once a log
 *   holds more than two entries: s1 appends all three and sends s3 AppendEntries of all three; s2
 *   acknowledges the first, so s1 commits it and compacts through 1, and sends s3 InstallSnapshot(1);
 *   s3 installs it, the AppendEntries of three still in flight (stage 1, seven steps). Searching on,
 *   that AppendEntries reaches s3 from below its snapshot and past it (ACK_HELD, ack-held.ts).
 * - staged-shorter-log-campaigns-compacted: staged-shorter-log-campaigns with compaction once a log
 *   holds more than one entry: the voters' logs are empty after their snapshots, so their last term is
 *   the snapshot's (a voter that reads it from its empty log as 0 grants s3, which lacks a committed
 *   entry: LEADER_COMPLETENESS).
 * - staged-next-leader-appends: a leader of term 2 whose snapshot is of term 1 appends an entry of its
 *   own term and sends it (staged-snapshot-next-leader, snapshot-args.ts, with a second put): the
 *   AppendEntries' prevLogTerm is the snapshot's term (RPC_ARGS_FROM_LOG, leader-steps.ts); one of
 *   term 1 throughout cannot tell a prevLogTerm read from the wrong entry.
 *
 * Designed after the blind mutants snapshot-skip-off-by-one (no named test caught it),
 * voter-last-term-ignores-snapshot and prev-term-ignores-snapshot-offset (caught only by the swarm,
 * 47 and 45 steps) of bench/mutants/raft/catalogue.ts.
 */
import type { NamedTest } from "../../checker/model.ts"
import { staged } from "../../checker/staged.ts"
import { goal } from "../../checker/transition-system.ts"
import type { ProtocolState } from "../../core/compile.ts"
import { allClientsDone } from "../../core/properties.ts"
import { privateKeyWorkload } from "../../core/workloads.ts"
import type { World } from "../../core/world.ts"
import { serverStates } from "./properties.ts"
import { allCaughtUp, checkedSystem } from "./scenarios.ts"
import { AppendEntries, termAt } from "./server.ts"
import { shorterLogCampaigns } from "./staged-elections.ts"
import { snapshotNextLeader } from "./snapshot-args.ts"

/** The staged search's budget per stage. */
const BUDGET = { maxStates: 100_000 } as const

/** An AppendEntries to `to` in flight from below its snapshot that reaches past the entry after it. */
const appendFromBelow = (w: World, to: string, s: { readonly snapIndex: number }) =>
  w.net.some((e) => e.to === to && e.msg instanceof AppendEntries && e.msg.prevLogIndex < s.snapIndex && e.msg.prevLogIndex + e.msg.entries.length > s.snapIndex + 1)

const appendOverSnapshot = () => {
  const sys = checkedSystem(
    {
      servers: 3,
      workloads: [1, 2, 3].map((i) => privateKeyWorkload(`client${i}`, 1)),
      server: { bootstrapLeader: true, maxTerm: 1, snapshotThreshold: 2 },
      client: { retry: false },
    },
    [],
    "raft staged append over a snapshot"
  )
  return staged(
    [
      {
        system: sys,
        goal: goal<ProtocolState>("S3_SNAPSHOT_UNDER_AN_APPEND", (w) => {
          const s3 = serverStates(w, 3)[2]
          return s3 != null && s3.snapIndex > 0 && appendFromBelow(w, "s3/log", s3)
        }),
      },
    ],
    { system: sys, goal: goal<ProtocolState>("ALL_CAUGHT_UP", (w) => allClientsDone(w) && allCaughtUp(w, 3, 3)) },
    BUDGET
  )
}

export const COMPACTION_SEARCH_TESTS = {
  "staged-append-over-snapshot": {
    description:
      "staged search (a bootstrapped leader, three clients' puts, compaction once a log holds more than two entries): s3 installs a snapshot while an AppendEntries to it from below the snapshot and reaching past the entry after it is in flight; BFS on until every client is answered and every server caught up: a follower acknowledges only entries it holds (ACK_HELD)",
    build: appendOverSnapshot,
    options: { strategy: "bfs", ...BUDGET },
    expect: "goal-found",
  },
  "staged-shorter-log-campaigns-compacted": {
    description:
      "staged-shorter-log-campaigns with compaction once a log holds more than one entry: the voters' logs are empty after their snapshots, and their last term is their snapshot's; BFS on until s3 leads term 2 holding both entries (a vote for it before that breaks LEADER_COMPLETENESS)",
    build: () => shorterLogCampaigns({ snapshotThreshold: 1 }),
    options: { strategy: "bfs", ...BUDGET },
    expect: "goal-found",
  },
  "staged-next-leader-appends": {
    description:
      "staged-snapshot-next-leader with the client's second put: s1 leads term 1 and commits the first with s2, which compacts it (s3 cut off); healed, s2 leads term 2 with a snapshot of term 1 and appends the second put; BFS on until s1 holds it (the AppendEntries of the term-2 entry carries the snapshot's term as prevLogTerm: RPC_ARGS_FROM_LOG)",
    build: () =>
      snapshotNextLeader(
        2,
        goal<ProtocolState>("S1_TAKES_S2_TERM_2_ENTRY", (w) => {
          const [s1, s2] = serverStates(w, 3)
          return s2?.role === "leader" && s2.term === 2 && s1 != null && termAt(s1, 2) === 2
        })
      ),
    options: { strategy: "bfs", ...BUDGET },
    expect: "goal-found",
  },
} satisfies Record<string, NamedTest>
