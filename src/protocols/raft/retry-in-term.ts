/**
 * A client's request at a new leader (issue 14 item 5, session 8). A leader commits by counting only
 * entries of its own term (Figure 8), so a command it holds only in an entry of an older term commits
 * only once some later entry of its term does: a leader asked for a command it has not executed must
 * hold it in an entry of its current term after that step (the log's `propose`: appended, or already
 * appended in this term). PROPOSED_IN_TERM (receiver-rules.ts, in every raft search) checks that
 * step; the staged search below reaches a new leader that holds the client's command as an uncommitted entry of the old term, and searches on
 * until the client's retry is answered.
 *
 * Written after retry-dedup-any-term (bench/mutants/raft/catalogue.ts), a leader that took any
 * uncommitted copy as appended, was caught only as a lasso of 41 steps by live-retry-new-leader.
 */
import type { NamedTest } from "../../checker/model.ts"
import { staged } from "../../checker/staged.ts"
import { goal } from "../../checker/transition-system.ts"
import type { ProtocolState } from "../../core/compile.ts"
import { allClientsDone } from "../../core/properties.ts"
import { privateKeyWorkload } from "../../core/workloads.ts"
import type { World } from "../../core/world.ts"
import { serverStates } from "./properties.ts"
import { checkedSystem, type RaftSetup } from "./scenarios.ts"
import { lastIndex, type ServerOptions } from "./server.ts"
import { onlyCampaigner } from "./targeted.ts"

/**
 * s1 leads term 1 and replicates the client's put to s2 without committing it; cut off, it is replaced
 * by s2 in term 2; BFS on (s1 still cut off) until the client's retry, sent to s2, is answered.
 * `server`: every server's options (a planted bug, in tests).
 */
export const retryAtNewLeader = (server: ServerOptions = {}) => {
  const setup: RaftSetup = { servers: 3, workloads: [privateKeyWorkload("client1", 1)], server: { maxTerm: 2, ...server } }
  const sys = (campaigner: number, partition?: ReadonlyArray<ReadonlyArray<string>>) =>
    checkedSystem({ ...setup, ...(partition ? { network: { partition } } : {}) }, [onlyCampaigner(campaigner)], "raft staged, retry at a new leader")
  const at = (w: World) => serverStates(w, 3)
  const cut = [["s2", "s3", "client1"], ["s1"]]
  return staged(
    [
      {
        system: sys(0),
        goal: goal<ProtocolState>("S2_HOLDS_S1_ENTRY_UNCOMMITTED", (w) => {
          const [s1, s2] = at(w)
          return s1?.role === "leader" && s1.commitIndex === 0 && s2 != null && lastIndex(s2) === 1
        }),
      },
      { system: sys(1, cut), goal: goal<ProtocolState>("S2_LEADS_TERM_2", (w) => at(w)[1]?.role === "leader" && at(w)[1]?.term === 2) },
    ],
    { system: sys(1, cut), goal: goal<ProtocolState>("RETRY_ANSWERED", allClientsDone) },
    { maxStates: 100_000 }
  )
}

export const RETRY_IN_TERM_TESTS = {
  "staged-retry-new-leader": {
    description:
      "staged search: s1 leads term 1 and replicates the client's put to s2 uncommitted; cut off, s1 is replaced by s2 in term 2; BFS on until the client's retry is answered: s2 must append the retried command in term 2 (PROPOSED_IN_TERM), not take its copy of term 1, which it may never commit, as appended",
    build: () => retryAtNewLeader(),
    options: { strategy: "bfs", maxStates: 100_000 },
    expect: "goal-found",
  },
} satisfies Record<string, NamedTest>
