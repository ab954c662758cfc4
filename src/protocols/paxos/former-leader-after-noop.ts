/**
 * A deposed leader comes back after its successor filled its hole with a no-op, staged as targeted.ts's
 * searches are (session 16, issue 14 wave 14: two leader changes). The first leader holds its own
 * proposal for a slot that the second leader, whose quorum never saw it, chose a no-op for; when the
 * first one wins a third ballot with a replica that accepted the no-op, the no-op (the later ballot's
 * value) must win its merge over the stale proposal, else the slot is chosen twice.
 */
import type { ProtocolState } from "../../core/compile.ts"
import type { Address } from "../../core/node.ts"
import { staged } from "../../checker/staged.ts"
import { goal } from "../../checker/transition-system.ts"
import type { CheckOptions } from "../../checker/result.ts"
import type { Replica } from "./properties.ts"
import { chosenAt, leads, type StageSystem } from "./targeted.ts"

/**
 * Staged on 3 servers (s1-s3) and two clients appending once: (1) s2 cut off, s1 (the ballot-0 leader)
 * proposes both commands and s3 accepts the second slot but not the first; (2) s1 cut off, s2 wins
 * ballot 1 with s3, fills slot 0 with a no-op and has it chosen, s3 holding it accepted only; (3) s2 cut
 * off, s1 wins ballot 2 with s3, whose promise reports the no-op at (1, s2) beside s1's own proposal at
 * (0, s1); (4) the full network, only s1 campaigning, on until s1 has slot 0 chosen (LOGS_CONSISTENT,
 * CHOSEN_BY_MAJORITY and the refinement on the way: it must be the no-op).
 */
export const formerLeaderAfterNoop = (sys: StageSystem, group: ReadonlyArray<Replica>, budget: CheckOptions) => {
  const [s1, s2, s3] = group.map((r) => r.name) as [Address, Address, Address]
  const log = (w: ProtocolState, i: number) => group[i]!.log(w)
  const noop = (w: ProtocolState, i: number, chosen: boolean) => {
    const e = log(w, i)?.log.get(0)
    return e !== undefined && e.chosen === chosen && e.command._tag === "Noop"
  }
  return staged(
    [
      {
        system: sys([], [[s1, s3, "client1", "client2"], [s2]]),
        goal: goal<ProtocolState>("S3_HOLE_BELOW_ACCEPTED", (w) => {
          const s = log(w, 2)
          return s !== undefined && !s.log.has(0) && s.log.get(1)?.chosen === false && log(w, 0)?.log.has(0) === true
        }),
      },
      {
        system: sys([1], [[s2, s3, "client1", "client2"], [s1]]),
        goal: goal<ProtocolState>("S2_CHOSE_NOOP_S3_ACCEPTED", (w) => leads(group, 1).holds(w) && noop(w, 1, true) && noop(w, 2, false)),
      },
      { system: sys([0], [[s1, s3, "client1", "client2"], [s2]]), goal: leads(group, 0, 2) },
    ],
    { system: sys([0]), goal: chosenAt(group, 0, 0) },
    budget
  )
}
