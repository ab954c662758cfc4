/**
 * APPLIED_NOT_BEHIND_SNAPSHOT: a group server's applied state is never behind the snapshot its own
 * storage holds. The log persists the group's application state as its snapshot (with the log after
 * it); a server that restarts, or a follower brought up by its leader's snapshot, must take that state
 * as its applied state before it applies anything after it, so the configuration it has applied is at
 * least the snapshot's. A server that replays only the entries after the snapshot onto a fresh state
 * forgets its shards, their exactly-once tables and its configuration (and may acknowledge, serve or
 * hand off from that empty state).
 */
import { invariant, type StateProperty } from "../../checker/transition-system.ts"
import type { Role } from "../../core/roles.ts"
import type { World } from "../../core/world.ts"
import { ShardGroupState } from "./messages.ts"
import type { GroupServerState } from "./server.ts"

/** The configuration number of a group application's state: the shard group's, or one wrapping it in `base` (shardtxn). */
const configNum = (app: unknown): number | undefined => {
  const g = app instanceof ShardGroupState ? app : (app as { base?: unknown } | undefined)?.base
  return g instanceof ShardGroupState ? (g.config?.num ?? 0) : undefined
}

export const appliedNotBehindSnapshot = <W extends World>(servers: ReadonlyArray<Role<GroupServerState<unknown, unknown>>>): StateProperty<W> => {
  const problem = (w: W): string | undefined => {
    for (const r of servers) {
      const s = r.state(w)
      if (s === undefined) continue
      const snap = (r.stored(w, "log") as { snap?: unknown } | undefined)?.snap
      const stored = configNum(snap)
      const applied = configNum(s.app)
      if (stored !== undefined && applied !== undefined && applied < stored)
        return `${r.address} has applied configuration ${applied}, behind the snapshot in its storage (configuration ${stored})`
    }
    return undefined
  }
  return invariant<W>("APPLIED_NOT_BEHIND_SNAPSHOT", (w) => problem(w) === undefined, problem)
}
