/**
 * A stale InstallSnapshot in fewer steps than staged-stale-snapshot (issue 14 item 5, session 8). For
 * a snapshot to reach a follower that has committed past it while its own snapshot is behind it, the
 * follower must have compacted on its own before the leader did (past the leader's snapshot point
 * then), and committed later entries without compacting again. With one client each entry waits for
 * the one before it (staged-stale-snapshot needs four appends, 23 steps); two clients let the leader
 * hold three entries while only the first is committed:
 *
 * a bootstrapped leader s1 of term 1 (no election), compaction once a log holds more than 2 entries;
 * client1's first put commits alone, then client2's put and client1's second are appended; s3 takes all
 * three with the commit point 1 and compacts through 1; s1 commits 2 and compacts through 2, sends s3
 * InstallSnapshot(2) before s3's reply moves its nextIndex on, and s3 learns 3 committed, the snapshot
 * in flight. Searching on, the snapshot reaches s3, which answers it: its commit point must not go back
 * (COMMIT_INDEX_MONOTONE), and every server catches up.
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
import { InstallSnapshot, InstallSnapshotReply, lastIndex } from "./server.ts"

const BUDGET = { maxStates: 100_000 } as const

const staleSnapshotShort = () => {
  const sys = checkedSystem(
    {
      servers: 3,
      workloads: [privateKeyWorkload("client1", 2), privateKeyWorkload("client2", 1)],
      server: { bootstrapLeader: true, maxTerm: 1, snapshotThreshold: 2 },
      client: { retry: false },
    },
    [],
    "raft staged stale snapshot, two clients"
  )
  const at = (w: World) => serverStates(w, 3)
  const snapshotTo = (w: World, to: string, index: number) => w.net.some((e) => e.to === to && e.msg instanceof InstallSnapshot && e.msg.lastIncludedIndex === index)
  return staged(
    [
      {
        system: sys,
        goal: goal<ProtocolState>("S3_COMPACTED_1_HOLDS_3", (w) => {
          const [s1, , s3] = at(w)
          return s1 != null && s1.snapIndex === 0 && s3 != null && s3.snapIndex === 1 && lastIndex(s3) === 3
        }),
      },
      {
        system: sys,
        goal: goal<ProtocolState>("S3_COMMITS_3_SNAPSHOT_2_IN_FLIGHT", (w) => {
          const s3 = at(w)[2]
          return s3 != null && s3.commitIndex === 3 && s3.snapIndex === 1 && snapshotTo(w, "s3/log", 2)
        }),
      },
    ],
    {
      system: sys,
      goal: goal<ProtocolState>(
        "STALE_SNAPSHOT_ANSWERED_ALL_CAUGHT_UP",
        (w) => allClientsDone(w) && allCaughtUp(w, 3, 3) && w.net.some((e) => e.from === "s3/log" && e.msg instanceof InstallSnapshotReply)
      ),
    },
    BUDGET
  )
}

export const STALE_SNAPSHOT_SHORT_TESTS = {
  "staged-stale-snapshot-two-clients": {
    description:
      "staged search (a bootstrapped leader, two clients' three puts, compaction once a log holds more than 2 entries): s3 takes all three entries with the commit point 1 and compacts through 1; then the leader compacts through 2 and sends s3 InstallSnapshot(2), and s3 commits 3 by AppendEntries, the snapshot in flight; BFS on until s3 has answered the stale snapshot and every server caught up (s3's commit point must not go back: COMMIT_INDEX_MONOTONE)",
    build: staleSnapshotShort,
    options: { strategy: "bfs", ...BUDGET },
    expect: "goal-found",
  },
} satisfies Record<string, NamedTest>
