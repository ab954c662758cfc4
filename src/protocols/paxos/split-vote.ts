/**
 * A split vote on 5 servers, staged as targeted.ts's searches are (session 11, issue 14 wave 8): the
 * candidacy that fails. On 3 servers a candidate's first promise from another server completes its
 * quorum, so a candidate never stands again holding promises; on 5 it needs two, and a candidate that
 * got one and lost the race stands again at a higher ballot, for which every promise must be asked anew
 * (the old one says nothing of what that acceptor did since: it may have promised, and accepted in, a
 * ballot between the two).
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
 * Staged on 5 servers (s1-s5), no client: (1) s2 stands and counts s1's promise, no quorum yet (s2 and
 * s1 cut off from the rest); (2) s3 wins a ballot above s2's with s1 and s4 (s2 and s5 each cut off),
 * so s1's promise to s2 is out of date; (3) the full network, only s2 campaigning, until s2 leads a
 * later ballot (LEADER_PROMISED: a majority, asked for that ballot, promised it).
 */
export const splitVote = (sys: StageSystem, group: ReadonlyArray<Replica>, budget: CheckOptions) => {
  const [s1, s2, s3, s4, s5] = group.map((r) => r.name) as [Address, Address, Address, Address, Address]
  const second = (w: ProtocolState) => group[1]!.log(w)
  return staged(
    [
      {
        system: sys([1], [[s1, s2], [s3, s4, s5]]),
        goal: goal<ProtocolState>("S2_CANDIDATE_WITH_S1_PROMISE", (w) => {
          const s = second(w)
          return s !== undefined && !s.active && s.round > 0 && rootOf(s.leader) === s2 && [...s.promises].some((a) => rootOf(a) === s1)
        }),
      },
      { system: sys([1, 2], [[s1, s3, s4], [s2], [s5]]), goal: leads(group, 2) },
    ],
    { system: sys([1]), goal: leads(group, 1, 2) },
    budget
  )
}
