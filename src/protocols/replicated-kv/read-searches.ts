/**
 * Searches for leader-confirmed reads on Raft (core/read-index.ts with raft/read-index.ts's read
 * point, epoch and applied index) across a leader change. The simulated tests of reads
 * (deposed-leader-reads, test/protocols/read-index.test.ts) partition a whole leader away, so no probe
 * of a deposed leader ever meets a server of the next term, and no new leader ever serves a read
 * before it has committed an entry of its own term: read points and epochs could be wrong unseen.
 *
 * - `reads-new-leader`: BFS over terms 1 and 2 with timers on, one client's put then get: a leader
 *   elected in term 2 whose commit index still lags the put that term 1 committed and acknowledged
 *   must not serve the get at that commit index (Raft §8: its read point waits for an entry of its
 *   own term).
 * - `staged-reads-deposed-leader`: s1 commits a first put in term 1 (a read point of its own term);
 *   s2 elected in term 2 by s3 while s1 still leads term 1 unaware; then BFS on until the client has
 *   put again and read back and s1 has stepped down: s1's probes reach
 *   servers of term 2, whose acknowledgements must not confirm s1's leadership (epochs compared).
 */
import type { NamedTest } from "../../checker/model.ts"
import { staged } from "../../checker/staged.ts"
import { goal } from "../../checker/transition-system.ts"
import type { ProtocolState } from "../../core/compile.ts"
import { workload } from "../../core/config.ts"
import { get, getResult, put, putOk } from "../../core/kv.ts"
import { allClientsDone } from "../../core/properties.ts"
import type { World } from "../../core/world.ts"
import type { RaftState } from "../raft/server.ts"
import { checked, kvCluster, type Setup } from "./model.ts"

const raftReads = (commands: Parameters<typeof workload>[0]): Setup => ({ log: "raft", servers: 3, maxTerm: 2, reads: {}, workloads: [workload(commands)] })
const putThenGet = raftReads([[put("a", "1"), putOk()], [get("a"), getResult("1")]])
/** Two puts then a get: the first committed in term 1 gives s1 a read point, the second goes through term 2. */
const twoPutsThenGet = raftReads([[put("a", "1"), putOk()], [put("a", "2"), putOk()], [get("a"), getResult("2")]])

/** The servers' typed handles, made on first use (model.ts imports this module's tests). */
let servers: ReturnType<typeof kvCluster>["servers"] | undefined
/** Server i's Raft state (the log component of its replicated service). */
const raftOf = (w: World, i: number): RaftState | undefined => (servers ??= kvCluster(putThenGet).servers)[i]!.state(w)?.log as RaftState | undefined
const leads = (w: World, i: number, term: number): boolean => raftOf(w, i)?.role === "leader" && raftOf(w, i)?.term === term

export const readsNewLeader = () => checked(putThenGet)

export const readsDeposedLeader = () =>
  staged(
    [
      {
        system: checked(twoPutsThenGet),
        goal: goal<ProtocolState>("S1_COMMITTED_THE_FIRST_PUT_EVERY_SERVER_HOLDS_IT", (w) => (raftOf(w, 0)?.commitIndex ?? 0) >= 1 && [0, 1, 2].every((i) => (raftOf(w, i)?.log.length ?? 0) >= 1)),
      },
      { system: checked(twoPutsThenGet), goal: goal<ProtocolState>("S2_LEADS_TERM_2_WHILE_S1_LEADS_TERM_1", (w) => leads(w, 1, 2) && leads(w, 0, 1)) },
    ],
    {
      system: checked(twoPutsThenGet),
      goal: goal<ProtocolState>("CLIENT_DONE_AND_S1_DEPOSED", (w) => allClientsDone(w) && raftOf(w, 0)?.role === "follower" && raftOf(w, 0)?.term === 2),
    },
    { maxStates: 100_000 }
  )

export const READ_SEARCH_TESTS = {
  "reads-new-leader": {
    description:
      "bfs on Raft with leader-confirmed reads, terms up to 2 (timers on), one client's put then get (150,000 states): a leader of term 2 whose commit index lags what term 1 committed must not serve the get at it (RESULTS_OK, linearizable)",
    build: () => readsNewLeader(),
    options: { strategy: "bfs", maxStates: 150_000 },
    expect: "budget-exhausted",
  },
  "staged-reads-deposed-leader": {
    description:
      "staged search on Raft with leader-confirmed reads, a client's two puts then a get: s1 commits the first put in term 1 and every server holds it; s2 elected in term 2 by s3 while s1 still leads term 1; BFS on until the client has put and read back and s1 stepped down: acknowledgements of term-2 servers never confirm s1's reads",
    build: () => readsDeposedLeader(),
    options: { strategy: "bfs", maxStates: 200_000 },
    expect: "goal-found",
  },
} satisfies Record<string, NamedTest>
