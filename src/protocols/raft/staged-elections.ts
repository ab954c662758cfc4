/**
 * Staged searches over elections (issue 14 item 5, session 6), for the election restriction of
 * Figure 2 (a vote only for a candidate whose log is at least as up to date: a later last term, or the
 * same last term and at least as long a log). The whole-space searches have one term and the swarm
 * needs about 40 steps to leave a follower one entry short of a committed entry and then let it
 * campaign; a staged search gets there in about 14.
 *
 * Designed after the fact: written after seeing up-to-date-by-term-only caught only by a 43-step swarm
 * trace (bench/mutants/raft/after.json, session6).
 */
import type { NamedTest } from "../../checker/model.ts"
import { goal } from "../../checker/transition-system.ts"
import type { ProtocolState } from "../../core/compile.ts"
import { privateKeyWorkload } from "../../core/workloads.ts"
import { staged } from "../../checker/staged.ts"
import { onlyCampaigner } from "./targeted.ts"
import { checkedSystem, type RaftSetup } from "./scenarios.ts"
import { lastIndex, type ServerOptions } from "./server.ts"
import { retryAfterLeaderChange } from "./live-retry.ts"
import { at, holds, s1AppendsCutOff, termsSystem } from "./figure-eight.ts"

/**
 * A follower one entry short campaigns: s1 leads term 1 and every server takes the client's first put;
 * with s3 cut off, s1 commits the second put with s2; healed, only s3 campaigns (term 2), its last entry
 * of the same term as s2's and s1's but its log shorter. Searching on, s3 must not win before it has
 * the committed entry: the goal is s3 leading term 2 with both entries. `server`: options of every
 * server (a planted bug, in the tests).
 */
export const shorterLogCampaigns = (server: ServerOptions = {}) => {
  const setup: RaftSetup = { servers: 3, workloads: [privateKeyWorkload("client1", 2)], server: { maxTerm: 2, ...server }, client: { retry: false } }
  const sys = (campaigners: ReadonlyArray<number>, partition?: ReadonlyArray<ReadonlyArray<string>>) =>
    checkedSystem({ ...setup, ...(partition ? { network: { partition } } : {}) }, [onlyCampaigner(...campaigners)], "raft staged, shorter log campaigns")
  return staged(
    [
      { system: sys([0]), goal: goal<ProtocolState>("EVERY_SERVER_HOLDS_1", (w) => at(w)[0]?.role === "leader" && at(w).every((s) => s !== null && lastIndex(s) === 1)) },
      {
        system: sys([0], [["s1", "s2", "client1"], ["s3"]]),
        goal: goal<ProtocolState>("S1_COMMITS_2_WITHOUT_S3", (w) => at(w)[0]?.commitIndex === 2 && at(w)[2] != null && lastIndex(at(w)[2]!) === 1),
      },
    ],
    { system: sys([2]), goal: goal<ProtocolState>("S3_LEADS_TERM_2_WITH_BOTH", (w) => at(w)[2]?.role === "leader" && at(w)[2]?.term === 2 && lastIndex(at(w)[2]!) === 2) },
    { maxStates: 100_000 }
  )
}

/**
 * A candidate whose log is as long as a voter's but ends in an older term (session 11): s1 leads term 1
 * and, cut off with the client, appends its put; s2 leads term 2 with s3 and commits the client's
 * retry there (s1 cut off); then, with s2 cut off, only s1 campaigns (term 3, after s3's reply to its
 * heartbeat brings it down to term 2). s3 holds the committed entry of term 2 at index 1, s1 an entry
 * of term 1 at index 1: s3 must refuse it, and the search goes on until it has. A vote by log length
 * alone elects s1 without the committed entry (LEADER_COMPLETENESS) in six steps of the last stage.
 *
 * Designed after up-to-date-by-length-only (bench/mutants/raft/catalogue.ts) was caught only by the
 * swarm hunts, under 3 of 4 seeds (bench/mutants/rpb-seeds.json): staged-shorter-log-campaigns has the
 * candidate's log shorter, which a check by length refuses too.
 */
export const olderLogCampaigns = (server: ServerOptions = {}) => {
  const sys = termsSystem("raft staged, older log campaigns", 3, server)
  return staged(
    [
      ...s1AppendsCutOff(sys),
      {
        system: sys([1], [["s2", "s3", "client1"], ["s1"]]),
        goal: goal<ProtocolState>("S2_COMMITS_TERM_2_WITH_S3", (w) => at(w)[1]?.role === "leader" && at(w)[1]?.commitIndex === 1 && holds(1, 1, 2)(w) && holds(2, 1, 2)(w)),
      },
    ],
    {
      system: sys([0], [["s1", "s3"], ["s2", "client1"]]),
      goal: goal<ProtocolState>("S3_REFUSES_S1_TERM_3", (w) => at(w)[0]?.role === "candidate" && at(w)[0]?.term === 3 && at(w)[2]?.term === 3 && at(w)[2]?.votedFor === null),
    },
    { maxStates: 100_000 }
  )
}

export const STAGED_ELECTION_TESTS = {
  "staged-shorter-log-campaigns": {
    description:
      "staged search over two terms: every server holds the client's first put; s3 cut off, s1 commits the second with s2; healed, only s3 campaigns, its last term equal to the others' but its log one entry shorter: BFS on until s3 leads term 2 holding both entries (a vote for it before that breaks LEADER_COMPLETENESS)",
    build: () => shorterLogCampaigns(),
    options: { strategy: "bfs", maxStates: 100_000 },
    expect: "goal-found",
  },
  "staged-older-log-campaigns": {
    description:
      "staged search over three terms: s1 leads term 1 and appends the client's put cut off; s2 leads term 2 and commits the retry with s3; with s2 cut off, only s1 campaigns (term 3), its log as long as s3's but its last term older: BFS on until s3 refuses it (a vote for it breaks LEADER_COMPLETENESS)",
    build: () => olderLogCampaigns(),
    options: { strategy: "bfs", maxStates: 100_000 },
    expect: "goal-found",
  },
  "live-retry-new-leader": {
    description:
      "liveness across a leader change: s1 leads term 1 and replicates the client's put to s2 uncommitted; cut off, it is replaced by s2 in term 2; from there every behaviour under fair delivery: the client's retry completes (the new leader appends it again in its own term)",
    build: () => retryAfterLeaderChange(),
    options: { strategy: "bfs" },
    expect: "ok",
  },
} satisfies Record<string, NamedTest>
