/**
 * A leader keeps its heartbeat going (issue 14 item 5, session 8): Figure 2 has leaders "send
 * heartbeats during idle periods to prevent election timeouts", so an up leader always has its
 * heartbeat timer set. A leader that lets it lapse is deposed by the next election timeout of an idle
 * cluster; the simulations saw that only as elections past a bound (TERM_AT_MOST_3, 43 steps), the
 * whole-space searches not at all (their followers' terms are bounded). Reads the node records only.
 */
import { invariant } from "../../checker/transition-system.ts"
import type { TimerRec, World } from "../../core/world.ts"
import { raftServers } from "./properties.ts"

/** LEADER_HEARTBEAT_ARMED over the raft model's servers, the first `n` nodes, named `names`. */
export const leaderHeartbeatArmed = (n: number, names: ReadonlyArray<string>) => {
  const servers = raftServers(n)
  // Checked on every state: a follower costs one read, a leader a look through its few timers.
  const armed = (timers: ReadonlyArray<TimerRec>): boolean => {
    for (let k = 0; k < timers.length; k++) if (timers[k]!.timer._tag === "HeartbeatTimer") return true
    return false
  }
  const check = (w: World): string | undefined => {
    for (let i = 0; i < n; i++) {
      const s = servers[i]!.state(w)?.log
      if (s?.role !== "leader") continue
      if (!armed(w.nodes[i]!.timers)) return `${names[i]} leads term ${s.term} with no heartbeat timer set`
    }
    return undefined
  }
  return invariant<World>("LEADER_HEARTBEAT_ARMED", (w) => check(w) === undefined, check)
}
