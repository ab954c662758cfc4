/**
 * What keeps Multi-Paxos live when a leader fails (server.ts's header: "a follower that heard nothing
 * from a leader during one election timeout starts phase 1"): every live replica has a timer pending
 * that acts for it. An active leader's heartbeat timer sends its heartbeats and reproposals; any other
 * replica (a follower, a candidate, a recovered server) watches its leader with an election timer, or
 * is a leader that stepped down whose heartbeat timer is still pending and, firing, starts one. A
 * replica without such a timer never stands again: the cluster loses a candidate for good, which a
 * liveness search shows only after enough such replicas and a leader crash; as a state invariant a
 * search catches it at the step that left the replica without a timer (a restart, a step-down).
 */
import { invariant, type StateProperty } from "../../checker/transition-system.ts"
import type { World } from "../../core/world.ts"
import type { PaxosState } from "./server.ts"

/** A server node of the configuration (its index in `w.nodes`) and its live log replica. */
export interface TimedReplica {
  readonly name: string
  readonly index: number
  readonly live: (w: World) => PaxosState | undefined
}

const hasTimer = (w: World, index: number, tag: string): boolean => w.nodes[index]!.timers.some((t) => t.timer._tag === tag)

/**
 * TIMERS_ARMED: every live replica that leads has its heartbeat timer pending, and every other live
 * replica an election timer (or, a leader that stepped down, the heartbeat timer that starts one).
 * Only for configurations whose timers fire.
 */
export const timersArmed = <W extends World>(group: ReadonlyArray<TimedReplica>): StateProperty<W> => {
  const check = (w: World): string | undefined => {
    for (const r of group) {
      const s = r.live(w)
      if (!s) continue
      if (s.active) {
        if (!hasTimer(w, r.index, "HeartbeatTimer")) return `${r.name} leads ballot (${s.round}, ${s.leader}) with no heartbeat timer pending`
      } else if (!hasTimer(w, r.index, "ElectionTimer") && !hasTimer(w, r.index, "HeartbeatTimer"))
        return `${r.name} follows ballot (${s.round}, ${s.leader}) with no election timer pending: it never stands`
    }
    return undefined
  }
  return invariant<W>("TIMERS_ARMED", (w) => check(w) === undefined, check)
}
