/**
 * Liveness across a leader change (issue 14 item 5, session 6): s1 leads term 1 and replicates the
 * client's put to s2 without committing it; cut off, s1 is replaced by s2 in term 2 (s2 holds the put
 * as an entry of term 1, which a leader never commits by counting, Figure 8). From there, under fair
 * delivery, the client's retry must complete: the new leader appends the retried command again in its
 * own term and commits both. Designed after the fact: written after the blind mutant
 * retry-dedup-any-term (the leader takes any uncommitted copy of a retried command, of any term, as
 * already appended) passed every test; only a behaviour that never ends shows it.
 *
 * Bounded: 3 servers, one client's put, a network that delivers in any order and loses nothing, at
 * most 3 messages in flight, terms up to 2, only s1 (term 1) and s2 (term 2) campaign; the
 * first two stages are breadth-first searches to their goals, the last every behaviour from there.
 */
import { explore } from "../../checker/explore.ts"
import type { Path } from "../../checker/result.ts"
import { afterPath } from "../../checker/staged.ts"
import { goal, type StateProperty, type TransitionSystem, withProperties } from "../../checker/transition-system.ts"
import type { Event, ProtocolState } from "../../core/compile.ts"
import { inFlightAtMost, underFairDelivery } from "../../core/fair.ts"
import { privateKeyWorkload } from "../../core/workloads.ts"
import type { World } from "../../core/world.ts"
import { serverStates } from "./properties.ts"
import { onlyCampaigner } from "./targeted.ts"
import { checkedSystem, type RaftSetup } from "./scenarios.ts"
import { lastIndex, type ServerOptions } from "./server.ts"

/** At most this many messages in flight (the bound that keeps the space finite). */
const IN_FLIGHT = 3

/** BFS in `system` with `goal` from the end of `prefix` (or the initial state); throws when the goal is not reached. */
export const reach = (system: TransitionSystem<ProtocolState, Event>, g: StateProperty<ProtocolState>, prefix?: Path<ProtocolState, Event>): Path<ProtocolState, Event> => {
  const sys = withProperties(system, [...system.properties.filter((p) => p.kind !== "goal"), g])
  const r = explore(prefix ? afterPath(sys, prefix) : sys, { strategy: "bfs", maxStates: 100_000, minimise: false, checkDeterminism: false })
  if (r.verdict !== "goal-found" || !r.path) throw new Error(`staged liveness search, stage ${g.name}: ${r.verdict}`)
  return r.path
}

/** The staged system under fair delivery; `server`: every server's options (a planted bug, in tests). */
export const retryAfterLeaderChange = (server: ServerOptions = {}) => {
  const setup: RaftSetup = { servers: 3, workloads: [privateKeyWorkload("client1", 1)], server: { maxTerm: 2, ...server } }
  const sys = (campaigner: number, partition?: ReadonlyArray<ReadonlyArray<string>>) =>
    checkedSystem({ ...setup, network: { delivery: "multiset", ...(partition ? { partition } : {}) } }, [onlyCampaigner(campaigner), inFlightAtMost(IN_FLIGHT)], "raft liveness, retry after a leader change")
  const at = (w: World) => serverStates(w, 3)
  const first = reach(
    sys(0),
    goal<ProtocolState>("S2_HOLDS_S1_ENTRY_UNCOMMITTED", (w) => {
      const [s1, s2] = at(w)
      return s1?.role === "leader" && s1.commitIndex === 0 && s2 != null && lastIndex(s2) === 1
    })
  )
  const second = reach(sys(1, [["s2", "s3", "client1"], ["s1"]]), goal<ProtocolState>("S2_LEADS_TERM_2", (w) => at(w)[1]?.role === "leader" && at(w)[1]?.term === 2), first)
  return underFairDelivery(afterPath(sys(1), second))
}
