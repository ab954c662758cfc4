/**
 * A follower behind the leader's snapshot, searched on further than staged-snapshot-catch-up does
 * (issue 14 item 5, session 7): the same two stages (every server holds entry 1; then, s3 cut off, the
 * leader compacts through 2 and commits 3), and from there, healed,
 *
 * - a term change while the leader's InstallSnapshot is in flight: s3 and s1 may campaign (terms up
 *   to 3), so the snapshot of term 1 can reach s3 as a candidate of term 2, and a new leader must
 *   still bring s3 up (a handler that adopts the older term breaks TERM_MONOTONE);
 * - liveness: every fair behaviour brings s3 up to the leader (a lasso, when InstallSnapshot is never
 *   sent or its reply never moves nextIndex on), where the catch-up search can only say that its goal
 *   was not reached, with no trace.
 *
 * Designed after the mutants install-snapshot-term-unchecked (blind, session 7), lagging-follower-off-by-one
 * and snapshot-reply-ignored (caught with no trace) in bench/mutants/raft/catalogue.ts.
 */
import type { NamedTest } from "../../checker/model.ts"
import { eventually } from "../../checker/temporal.ts"
import { goal, type TransitionSystem } from "../../checker/transition-system.ts"
import { afterPath, staged } from "../../checker/staged.ts"
import type { Path } from "../../checker/result.ts"
import { reach } from "./live-retry.ts"
import type { Event, ProtocolState } from "../../core/compile.ts"
import { inFlightAtMost, underFairDelivery } from "../../core/fair.ts"
import type { World } from "../../core/world.ts"
import { serverStates } from "./properties.ts"
import { allCaughtUp, checkedSystem, type RaftSetup } from "./scenarios.ts"
import { compactedPast, firstEntryEverywhere, laggingSetup, onlyCampaigner } from "./targeted.ts"

const BUDGET = { maxStates: 100_000 } as const

/** The lagging setup with terms up to `maxTerm`, servers `campaigners` campaigning, `extra` properties, `partition` if given. */
const system = (maxTerm: number, campaigners: ReadonlyArray<number>, partition?: ReadonlyArray<ReadonlyArray<string>>, extra: ReadonlyArray<ReturnType<typeof inFlightAtMost>> = [], delivery?: "multiset") => {
  const network = { ...(delivery ? { delivery } : {}), ...(partition ? { partition } : {}) }
  const setup: RaftSetup = { ...laggingSetup, server: { ...laggingSetup.server, maxTerm }, network }
  return checkedSystem(setup, [onlyCampaigner(...campaigners), ...extra], "raft, a follower behind the snapshot")
}

/** The two stages that leave s3 one entry behind the leader's snapshot. */
const behindStages = (maxTerm: number, delivery?: "multiset") => [
  { system: system(maxTerm, [0], undefined, [], delivery), goal: firstEntryEverywhere },
  { system: system(maxTerm, [0], [["s1", "s2", "client1"], ["s3"]], [], delivery), goal: compactedPast },
]

const at = (w: World) => serverStates(w, 3)

/** Healed, s1 and s3 may campaign up to term 3: BFS until a leader of a later term has brought every server up. */
const snapshotAcrossTerms = () =>
  staged(behindStages(3), {
    system: system(3, [0, 2]),
    goal: goal<ProtocolState>("CAUGHT_UP_UNDER_A_LATER_LEADER", (w) => allCaughtUp(w, 3, 3) && at(w).some((s) => s?.role === "leader" && s.term >= 2)),
  }, BUDGET)

/** At most this many messages in flight in the liveness search (the bound that keeps it finite). */
const IN_FLIGHT = 3

/** <>ALL_CAUGHT_UP: every server eventually holds and has committed the leader's whole log. */
const caughtUp = eventually<ProtocolState>("ALL_CAUGHT_UP", (w) => allCaughtUp(w, 3, 3))

/** The stages, then every behaviour from there under fair delivery, one term, healed: s3 must catch up. */
const snapshotCatchUpLive = (): TransitionSystem<ProtocolState, Event> => {
  let prefix: Path<ProtocolState, Event> | undefined
  for (const stage of behindStages(1, "multiset")) prefix = reach(stage.system, stage.goal, prefix)
  return underFairDelivery(afterPath(system(1, [0], undefined, [inFlightAtMost(IN_FLIGHT)], "multiset"), prefix!), [caughtUp])
}

export const BEHIND_SNAPSHOT_TESTS = {
  "staged-snapshot-new-term": {
    description:
      "staged search: s3, cut off, falls one entry behind the leader's snapshot; healed, s1 and s3 may campaign up to term 3, so the leader's InstallSnapshot of term 1 can reach s3 as a candidate of term 2: BFS on until a leader of a later term has brought every server up (no server's term may go back: TERM_MONOTONE)",
    build: snapshotAcrossTerms,
    options: { strategy: "bfs", ...BUDGET },
    expect: "goal-found",
  },
  "live-snapshot-catch-up": {
    description:
      "liveness: s3, cut off, falls one entry behind the leader's snapshot; healed, every behaviour under fair delivery (one term, at most 3 messages in flight) brings s3 up to the leader (InstallSnapshot, then the entry after it)",
    build: snapshotCatchUpLive,
    options: { strategy: "bfs" },
    expect: "ok",
  },
} satisfies Record<string, NamedTest>
