/**
 * A refusal that arrives after the acknowledgement that made it stale (session 16): a new leader's
 * first AppendEntries to a follower whose log is shorter than its own is refused (prevLogIndex past the
 * follower's last entry); the leader backs nextIndex up, the follower takes the entry and acknowledges
 * it; then the refusal is delivered again (a duplicating network, or a heartbeat's refusal sent before
 * the repair). Its hint now points below what the follower is known to hold, and the leader's nextIndex
 * must stay above matchIndex (NEXT_INDEX_BOUNDS, checked in every raft search).
 *
 * s1 leads term 1 and replicates the client's put to s2 alone (s3 cut off); with s1 cut off, s2 wins
 * term 2 with s3's vote (its log is longer) and sends s3 AppendEntries after index 1; healed, BFS on
 * until both followers hold the entry and s2 knows it. Repairing s3 takes four steps and s1's
 * acknowledgement two more, so a search reaches the late refusal (a fifth step) before the goal.
 *
 * Designed after next-index-below-match (bench/mutants/raft/catalogue.ts) was caught only by
 * staged-figure-8, in 19 steps (bench/mutants/rpb-session15.json).
 */
import type { NamedTest } from "../../checker/model.ts"
import { staged } from "../../checker/staged.ts"
import { goal } from "../../checker/transition-system.ts"
import type { ProtocolState } from "../../core/compile.ts"
import { at, holds, termsSystem } from "./figure-eight.ts"

const BUDGET = { maxStates: 100_000 } as const

const lateRefusal = () => {
  const sys = termsSystem("raft staged late refusal", 2)
  return staged(
    [
      { system: sys([0]), goal: goal<ProtocolState>("S1_LEADS_TERM_1", (w) => at(w)[0]?.role === "leader") },
      { system: sys([0], [["s1", "s2", "client1"], ["s3"]]), goal: goal<ProtocolState>("S2_HOLDS_S1_PUT", (w) => holds(1, 1, 1)(w) && holds(2, 0, 0)(w)) },
      { system: sys([1], [["s1", "client1"], ["s2", "s3"]]), goal: goal<ProtocolState>("S2_LEADS_TERM_2", (w) => at(w)[1]?.role === "leader" && at(w)[1]?.term === 2) },
    ],
    {
      system: sys([1]),
      goal: goal<ProtocolState>("S2_KNOWS_BOTH_HOLD_1", (w) => {
        const s2 = at(w)[1]
        return s2?.role === "leader" && s2.term === 2 && holds(0, 1, 1)(w) && holds(2, 1, 1)(w) && s2.match!.get("s1/log") === 1 && s2.match!.get("s3/log") === 1
      }),
    },
    BUDGET
  )
}

export const LATE_REFUSAL_TESTS = {
  "staged-late-refusal": {
    description:
      "staged search over two terms: s1 leads term 1 and replicates the client's put to s2 only; cut off, it is replaced by s2 in term 2 with s3's vote; healed, BFS on until s2 knows both followers hold the put: s3 first refuses s2's AppendEntries (its log is shorter), and that refusal, delivered again after s3's acknowledgement, must not move s2's nextIndex below its matchIndex (NEXT_INDEX_BOUNDS)",
    build: lateRefusal,
    options: { strategy: "bfs", ...BUDGET },
    expect: "goal-found",
  },
} satisfies Record<string, NamedTest>
