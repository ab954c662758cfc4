/**
 * A new leader behind its followers, staged as targeted.ts's searches are (session 14, issue 14 wave
 * 11). A leader is usually the first to execute a slot, but not after an election: a slot the old
 * leader had chosen, which the new leader's quorum reported only as accepted, is executed by the
 * followers that got the old leader's decision, while the new leader re-proposes it. Its followers
 * report executing past it, and compaction must still wait for it (CATCH_UP_POSSIBLE: no replica
 * clears a slot another has not executed; this Paxos has no snapshot transfer).
 */
import type { ProtocolState } from "../../core/compile.ts"
import { rootOf } from "../../core/execute.ts"
import type { Address } from "../../core/node.ts"
import { staged } from "../../checker/staged.ts"
import { goal } from "../../checker/transition-system.ts"
import type { CheckOptions } from "../../checker/result.ts"
import type { Replica } from "./properties.ts"
import { leads, type StageSystem } from "./targeted.ts"

/**
 * Staged on 3 servers (s1-s3; model.ts runs them persisting) and one client appending once: (1) s3 cut off, s1 (the ballot-0 leader)
 * has the client's command chosen in slot 0 with s2, whose decision is still in flight; (2) s1 cut
 * off, s3 wins ballot 1 with s2, which reports slot 0 accepted only, and re-proposes it; (3) the full
 * network, only s3 campaigning, until s3 leads, still short of slot 0, having heard from both
 * followers that they executed it; (4) on, until every replica has cleared slot 0 (CATCH_UP_POSSIBLE
 * on the way: the followers may clear it only once the leader executed it too).
 */
export const leaderBehind = (sys: StageSystem, group: ReadonlyArray<Replica>, budget: CheckOptions) => {
  const [s1, s2, s3] = group.map((r) => r.name) as [Address, Address, Address]
  const log = (w: ProtocolState, i: number) => group[i]!.log(w)
  const behind = (w: ProtocolState) => {
    const s = log(w, 2)
    return s !== undefined && s.active && s.round > 0 && s.slotOut === 0
  }
  return staged(
    [
      {
        system: sys([], [[s1, s2, "client1"], [s3]]),
        goal: goal<ProtocolState>("S1_CHOSE_SLOT_0_S2_ACCEPTED", (w) => log(w, 0)?.log.get(0)?.chosen === true && log(w, 1)?.log.get(0)?.chosen === false),
      },
      { system: sys([2], [[s2, s3], [s1, "client1"]]), goal: goal<ProtocolState>("S3_LEADS_BEHIND", (w) => leads(group, 2).holds(w) && behind(w)) },
      {
        system: sys([2]),
        goal: goal<ProtocolState>("S3_HEARD_FOLLOWERS_AHEAD", (w) => behind(w) && [...log(w, 2)!.executed].filter(([a, n]) => rootOf(a) !== s3 && n >= 1).length === 2),
      },
    ],
    { system: sys([2]), goal: goal<ProtocolState>("ALL_CLEARED_SLOT_0", (w) => [0, 1, 2].every((i) => (log(w, i)?.cleared ?? 0) >= 1)) },
    budget
  )
}
