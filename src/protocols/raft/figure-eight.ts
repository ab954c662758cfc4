/**
 * Figure 8 of the Raft paper as a staged search over four terms (issue 14 item 5, session 7), where
 * the swarm needed about 40 steps: s1 leads term 1 and, cut off with the client, appends its put;
 * s2 leads term 2 (with s3) and appends the client's retry, which s3 does not get; s1 leads term 3
 * (with s3) and copies its entry of term 1 to s3, so a majority stores it; from there, s2 may campaign
 * again (terms up to 4) and must win term 4 with every server following it. A leader that commits the
 * term-1 entry by counting replicas (not an entry of its own term) has committed what s2, more up to
 * date, overwrites: LEADER_COMPLETENESS fails when s2 wins.
 *
 * Designed after commit-old-term-by-counting (bench/mutants/raft/catalogue.ts) was caught only by a
 * 40-step swarm trace; the scripted schedule of test/protocols/raft-figure8.test.ts is one path of it.
 */
import type { NamedTest } from "../../checker/model.ts"
import { staged } from "../../checker/staged.ts"
import { goal, type StepProperty } from "../../checker/transition-system.ts"
import type { ProtocolState } from "../../core/compile.ts"
import { privateKeyWorkload } from "../../core/workloads.ts"
import type { World } from "../../core/world.ts"
import { serverStates } from "./properties.ts"
import { checkedSystem, type RaftSetup } from "./scenarios.ts"
import { lastIndex, type ServerOptions, termAt } from "./server.ts"
import { onlyCampaigner } from "./targeted.ts"

const BUDGET = { maxStates: 100_000 } as const

/** Three servers, one client's put, terms up to `maxTerm`: the systems of a stage, by who may campaign and the partition. */
export const termsSystem = (name: string, maxTerm: number, server: ServerOptions = {}, steps: ReadonlyArray<StepProperty<ProtocolState, any>> = []) => {
  const setup: RaftSetup = { servers: 3, workloads: [privateKeyWorkload("client1", 1)], server: { maxTerm, ...server } }
  return (campaigners: ReadonlyArray<number>, partition?: ReadonlyArray<ReadonlyArray<string>>) =>
    checkedSystem({ ...setup, ...(partition ? { network: { partition } } : {}) }, [onlyCampaigner(...campaigners)], name, steps)
}

export const at = (w: World) => serverStates(w, 3)
/** Server `i`'s log ends at `index` with an entry of `term`. */
export const holds = (i: number, index: number, term: number) => (w: World) => {
  const s = at(w)[i]
  return s != null && lastIndex(s) === index && termAt(s, index) === term
}

/** The first stages: s1 leads term 1 and, cut off with the client, appends its put. */
export const s1AppendsCutOff = (sys: ReturnType<typeof termsSystem>) => [
  { system: sys([0]), goal: goal<ProtocolState>("S1_LEADS_TERM_1", (w) => at(w)[0]?.role === "leader") },
  { system: sys([0], [["s1", "client1"], ["s2", "s3"]]), goal: goal<ProtocolState>("S1_HOLDS_ITS_PUT", holds(0, 1, 1)) },
]

/** s2 leads term 4 and every server follows it. */
const allFollowS2 = goal<ProtocolState>("ALL_FOLLOW_S2_TERM_4", (w) => {
  const [s1, s2, s3] = at(w)
  return s2?.role === "leader" && s2.term === 4 && [s1, s3].every((s) => s?.role === "follower" && s.term === 4)
})

/**
 * s2 leads term 4 and both followers' logs end where s2's does, with its entry there, and s2 knows it:
 * s3's entry 1 (term 1, from s1 in term 3) sat under s2's first AppendEntries of term 4 (prevLogIndex
 * 1, prevLogTerm 2), so it was refused (RECEIVER_RULES, checked in every raft search) and repaired.
 */
const s2RepairedAll = goal<ProtocolState>("S2_REPAIRED_ALL_TERM_4", (w) => {
  const [s1, s2, s3] = at(w)
  if (s2?.role !== "leader" || s2.term !== 4) return false
  const last = lastIndex(s2)
  return [s1, s3].every((s) => s != null && lastIndex(s) === last && termAt(s, last) === termAt(s2, last)) && [...s2.match!.values()].every((m) => m === last)
})

/**
 * The staged system; `server`: every server's options (a planted bug, in tests). `repair`: one stage
 * more, from the first state where all follow s2 in term 4 on until s2 has repaired both logs.
 */
export const figureEight = (server: ServerOptions = {}, repair = false) => {
  const sys = termsSystem("raft staged figure 8", 4, server)
  return staged(
    [
      ...s1AppendsCutOff(sys),
      {
        system: sys([1], [["s2", "s3", "client1"], ["s1"]]),
        goal: goal<ProtocolState>("S2_LEADS_TERM_2_HOLDS_RETRY", (w) => at(w)[1]?.role === "leader" && holds(1, 1, 2)(w) && lastIndex(at(w)[2]!) === 0),
      },
      {
        system: sys([0], [["s1", "s3"], ["s2", "client1"]]),
        goal: goal<ProtocolState>("S1_LEADS_TERM_3_S3_HOLDS_TERM_1", (w) => at(w)[0]?.role === "leader" && at(w)[0]?.term === 3 && at(w)[0]!.match!.get("s3/log") === 1),
      },
      ...(repair ? [{ system: sys([1]), goal: allFollowS2 }] : []),
    ],
    { system: sys([1]), goal: repair ? s2RepairedAll : allFollowS2 },
    BUDGET
  )
}

export const FIGURE_EIGHT_TESTS = {
  "staged-figure-8": {
    description:
      "staged search over four terms (Figure 8): s1 leads term 1 and appends the client's put cut off; s2 leads term 2 and appends the retry, s3 not getting it; s1 leads term 3 and copies its term-1 entry to s3; BFS on until s2 wins term 4 and all follow it (an entry of term 1 committed by counting replicas in term 3 breaks LEADER_COMPLETENESS there)",
    build: () => figureEight(),
    options: { strategy: "bfs", ...BUDGET },
    expect: "goal-found",
  },
  "staged-figure-8-repair": {
    description:
      "staged-figure-8 with one stage more: from the first state where all follow s2 in term 4, BFS on until s2 has repaired both followers' logs: its first AppendEntries of term 4 (prevLogIndex 1, prevLogTerm 2) meets s3's entry 1 of term 1, which must be refused (RECEIVER_RULES), not built on",
    build: () => figureEight({}, true),
    options: { strategy: "bfs", ...BUDGET },
    expect: "goal-found",
  },
} satisfies Record<string, NamedTest>
