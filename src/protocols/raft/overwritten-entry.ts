/**
 * An uncommitted entry overwritten by one of a later term, the log no longer (issue 14, session 9).
 * A follower that truncates a conflicting suffix and appends the leader's entries may end with a log
 * as long as before; storage must still get the new log (STORAGE_CURRENT), or a crash brings back the
 * entry the leader counted as replaced. The blind mutant log-persisted-on-length-change
 * (bench/mutants/raft/catalogue.ts), whose persistence hook compared the logs' lengths, was caught
 * only by staged-figure-8 with 22 steps: the other searches replace a suffix by a longer one.
 *
 * staged-overwritten-entry: s1 leads term 1 and appends the client's put, sending it to no one; then
 * s2 leads term 2, gets the client's retry and sends its own entry 1 of term 2 to s1, which replaces
 * its entry 1 of term 1 with it, having learnt term 2 from s2's RequestVote before.
 */
import type { NamedTest } from "../../checker/model.ts"
import { staged } from "../../checker/staged.ts"
import { goal, prune, type StateProperty } from "../../checker/transition-system.ts"
import type { ProtocolState } from "../../core/compile.ts"
import { privateKeyWorkload } from "../../core/workloads.ts"
import type { World } from "../../core/world.ts"
import { serverStates } from "./properties.ts"
import { checkedSystem, type RaftSetup } from "./scenarios.ts"
import { entryAt, lastIndex } from "./server.ts"
import { onlyCampaigner } from "./targeted.ts"

const setup: RaftSetup = { servers: 3, workloads: [privateKeyWorkload("client1", 1)], server: { maxTerm: 2 } }
const at = (w: World) => serverStates(w, 3)
const system = (campaigner: number, extra: ReadonlyArray<StateProperty<ProtocolState>> = []) =>
  checkedSystem(setup, [onlyCampaigner(campaigner), ...extra], "raft staged, an entry overwritten")

/**
 * Pruned in the last stage: s2 leads while s1 is still in term 1. s1 must have learnt term 2 (from
 * s2's RequestVote, which it refuses) before s2's AppendEntries arrives, so that the overwrite is the
 * only durable change of that step (a step that also adopts the term writes storage anyway).
 */
const s1BehindLeader = prune<ProtocolState>("S1_IN_TERM_1_UNDER_S2", (w) => at(w)[1]?.role === "leader" && (at(w)[0]?.term ?? 2) < 2)

export const overwrittenEntry = () =>
  staged(
    [
      {
        system: system(0),
        goal: goal<ProtocolState>("S1_ALONE_HOLDS_ENTRY_1", (w) => {
          const [s1, s2, s3] = at(w)
          return s1?.role === "leader" && lastIndex(s1) === 1 && s2 != null && lastIndex(s2) === 0 && s3 != null && lastIndex(s3) === 0
        }),
      },
    ],
    { system: system(1, [s1BehindLeader]), goal: goal<ProtocolState>("S1_ENTRY_1_OF_TERM_2", (w) => entryAt(at(w)[0] ?? { snapIndex: 0, log: [] }, 1)?.term === 2) },
    { maxStates: 100_000 }
  )

export const OVERWRITTEN_ENTRY_TESTS = {
  "staged-overwritten-entry": {
    description:
      "staged search (3 servers, one client's put with retries, terms up to 2): s1 leads term 1 and appends the put, sending it to no one; then BFS until s2, leading term 2 with the client's retry, has replaced s1's entry 1 with its own of term 2 (s1 in term 2 before, from s2's RequestVote): the log is as long as before, and storage must follow it (STORAGE_CURRENT)",
    build: overwrittenEntry,
    options: { strategy: "bfs", maxStates: 100_000 },
    expect: "goal-found",
  },
} satisfies Record<string, NamedTest>
