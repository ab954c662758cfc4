/**
 * InstallSnapshot carries the sender's snapshot (issue 14, session 9): Figure 13's lastIncludedIndex
 * and lastIncludedTerm are those of the last entry the snapshot replaces, which the follower takes as
 * its own snapTerm and so compares in every later consistency check and vote. SNAPSHOT_ARGS_FROM_SNAPSHOT:
 * every InstallSnapshot a server sends carries its snapshot index, term and data after that step.
 * A leader of term 1 sends its snapshot of term-1 entries with the right term even when it writes its
 * current term instead, so only a leader of a later term shows the difference: the blind mutant
 * install-snapshot-sends-current-term (bench/mutants/raft/catalogue.ts) was caught only by the swarm
 * hunt, with a trace of 41 steps.
 *
 * staged-snapshot-next-leader: s1 leads term 1 and commits the client's put with s2 (s3 cut off);
 * s2 compacts it into its snapshot; healed, s2 campaigns and leads term 2 and must
 * bring s3, which holds nothing, up with its snapshot of term 1 (states where s3 got the entry from
 * s1 instead are pruned).
 */
import type { NamedTest } from "../../checker/model.ts"
import { staged } from "../../checker/staged.ts"
import { goal, prune } from "../../checker/transition-system.ts"
import type { ProtocolState } from "../../core/compile.ts"
import { privateKeyWorkload } from "../../core/workloads.ts"
import type { World } from "../../core/world.ts"
import { sentMessagesCheck } from "../../core/step-verdicts.ts"
import { raftServers, serverStates } from "./properties.ts"
import { checkedSystem, type RaftSetup, serverNames } from "./scenarios.ts"
import { type InstallSnapshot, lastIndex } from "./server.ts"
import { onlyCampaigner } from "./targeted.ts"

/** Every InstallSnapshot one of the first `n` nodes (Raft servers named `names`) sends carries its snapshot. Declared as reading a step's sends. */
export const snapshotArgsFromSnapshot = <L>(n: number, names: ReadonlyArray<string>) =>
  sentMessagesCheck<L>("SNAPSHOT_ARGS_FROM_SNAPSHOT", n, (src, msg, to: World) => {
    if (msg._tag !== "InstallSnapshot") return undefined
    const s = raftServers(n)[src]!.state(to)?.log
    const m = msg as InstallSnapshot
    if (!s || (m.lastIncludedIndex === s.snapIndex && m.lastIncludedTerm === s.snapTerm && m.data === s.snap)) return undefined
    return `${names[src]} sent InstallSnapshot(index ${m.lastIncludedIndex}, term ${m.lastIncludedTerm}) holding a snapshot through ${s.snapIndex} of term ${s.snapTerm}`
  })

/** One client's `ops` puts (one for staged-snapshot-next-leader; two where the next leader also appends, compaction-searches.ts). */
const setupOf = (ops: number): RaftSetup => ({ servers: 3, workloads: [privateKeyWorkload("client1", ops)], server: { snapshotThreshold: 0, maxTerm: 2 }, client: { retry: false } })
const at = (w: World) => serverStates(w, 3)

/** Pruned: s3 got entry 1 from s1 (an AppendEntries, or s1's own InstallSnapshot of term 1), not from s2 in term 2. */
const s3AppendedEntry = prune<ProtocolState>("S3_GOT_ENTRY_1_FROM_S1", (w) => {
  const s3 = at(w)[2]
  return s3 != null && ((s3.snapIndex === 0 && lastIndex(s3) >= 1) || (s3.snapIndex >= 1 && s3.term < 2))
})

/** The goal of staged-snapshot-next-leader: s2 leads term 2 and s3 has its snapshot. */
const s3HasS2Snapshot = goal<ProtocolState>("S3_HAS_S2_SNAPSHOT", (w) => at(w)[1]?.role === "leader" && at(w)[1]?.term === 2 && at(w)[2]?.term === 2 && (at(w)[2]?.snapIndex ?? 0) >= 1)

/**
 * The stages: s1 leads term 1 and s2 has compacted the put (s3 cut off); then, healed, s2 leads term 2
 * and installs its snapshot on s3 (or, with `ops` puts and another `final` goal, goes on to it).
 */
export const snapshotNextLeader = (ops = 1, final = s3HasS2Snapshot) => {
  const setup = setupOf(ops)
  const sys = (campaigner: number, partition?: ReadonlyArray<ReadonlyArray<string>>) =>
    checkedSystem({ ...setup, ...(partition ? { network: { partition } } : {}) }, [onlyCampaigner(campaigner), s3AppendedEntry], "raft staged, snapshot at the next leader", [snapshotArgsFromSnapshot(3, serverNames(3))])
  return staged(
    [{ system: sys(0, [["s1", "s2", "client1"], ["s3"]]), goal: goal<ProtocolState>("S2_COMPACTED_UNDER_S1", (w) => at(w)[0]?.role === "leader" && (at(w)[1]?.snapIndex ?? 0) >= 1) }],
    { system: sys(1), goal: final },
    { maxStates: 100_000 }
  )
}

export const SNAPSHOT_ARGS_TESTS = {
  "staged-snapshot-next-leader": {
    description:
      "staged search (3 servers, one client's put, compaction at every commit, terms up to 2): s1 leads term 1 and commits the put with s2, which compacts it (s3 cut off); then, healed, BFS until s2 leads term 2 and has installed its snapshot on s3: every InstallSnapshot carries the sender's snapshot index and term (SNAPSHOT_ARGS_FROM_SNAPSHOT), here a snapshot of term 1 sent in term 2",
    build: () => snapshotNextLeader(),
    options: { strategy: "bfs", maxStates: 100_000 },
    expect: "goal-found",
  },
} satisfies Record<string, NamedTest>
