/**
 * Two checks of the groups' system (system.ts) that turn a migration that never finishes into a short
 * trace, where a bounded search would only miss a goal:
 *
 * - StuckOnlyWhenFinished: a state with no step left is the end of the script: every configuration
 *   released and applied by every group, no shard awaited or waiting for its receiver, and every client
 *   done (or waiting on a shard the last configuration gives to no group). A group that can never apply
 *   the next configuration, or a shard that never arrives, leaves a state with nothing to do before that.
 * - InstalledHandoffsAcknowledged: a receiver answers a handoff it has installed (its configuration is
 *   past the handoff's, or at it with the shard served) with an acknowledgement, whenever it arrives. In
 *   the replicated store the acknowledgement of a handoff goes only to a resent copy (the receiver's
 *   leader answers from its applied state), so a receiver that ignores copies once installed leaves its
 *   sender waiting for good.
 */
import { invariant, type StateProperty } from "../../checker/transition-system.ts"
import type { Configuration, GroupId } from "../shardmaster/messages.ts"
import type { ShardGroup } from "./group.ts"
import { keyShard } from "./keys.ts"
import type { ShardGroupState } from "./messages.ts"

interface Progress {
  readonly released: number
  readonly groups: ReadonlyArray<ShardGroupState>
  readonly clients: ReadonlyArray<number>
}

/** What is left to do in a state with no step: undefined when it is the script's end. */
export const unfinished = (w: Progress, configs: ReadonlyArray<Configuration>, apps: ReadonlyArray<ShardGroup>, clientKeys: ReadonlyArray<ReadonlyArray<string>>, shards: number): string | undefined => {
  if (w.released < configs.length) return `the master has released ${w.released} of ${configs.length} configurations`
  for (const [i, g] of w.groups.entries()) {
    if ((g.config?.num ?? 0) < configs.length) return `group ${g.group} is at configuration ${g.config?.num ?? 0} of ${configs.length}`
    if (!apps[i]!.settled(g)) return `group ${g.group}'s migration never finishes (${[...g.shards].filter(([, x]) => x._tag !== "Serving").map(([s, x]) => `shard ${s} ${x._tag}`).join(", ")})`
  }
  const last = configs.at(-1)
  for (const [c, n] of w.clients.entries()) {
    const key = clientKeys[c]![n]
    if (key !== undefined && (last?.shards[keyShard(key, shards)] ?? null) !== null) return `client c${c + 1} never completes its operation ${n + 1} (key ${key})`
  }
  return undefined
}

/** StuckOnlyWhenFinished over a system's own successors (it enumerates them again: for the small group-level systems). */
export const stuckOnlyWhenFinished = <W extends Progress>(
  successors: (w: W, emit: (label: string, next: W) => void) => void,
  left: (w: W) => string | undefined
): StateProperty<W> => {
  const stuck = (w: W) => {
    let any = false
    successors(w, () => (any = true))
    return any ? undefined : left(w)
  }
  return invariant("StuckOnlyWhenFinished", (w) => stuck(w) === undefined, (w) => `no step is left, but ${stuck(w)}`)
}

/** The first handoff a group still sends whose receiver has installed it but would not acknowledge it. */
const unanswered = (w: Progress, groups: ReadonlyArray<GroupId>, apps: ReadonlyArray<ShardGroup>): string | undefined => {
  for (const [i, g] of w.groups.entries())
    for (const { to, handoff } of apps[i]!.outbox(g)) {
      const j = groups.indexOf(to)
      const r = w.groups[j]
      if (r === undefined) continue
      const at = r.config?.num ?? 0
      if (at < handoff.num || (at === handoff.num && r.shards.get(handoff.shard)?._tag !== "Serving")) continue
      const [result] = apps[j]!.execute(r, handoff)
      if (result._tag !== "HandoffAck") return `group ${to} has installed shard ${handoff.shard} of configuration ${handoff.num}, but answers group ${g.group}'s copy with ${result._tag}`
    }
  return undefined
}

export const installedHandoffsAcknowledged = <W extends Progress>(groups: ReadonlyArray<GroupId>, apps: ReadonlyArray<ShardGroup>): StateProperty<W> =>
  invariant("InstalledHandoffsAcknowledged", (w) => unanswered(w, groups, apps) === undefined, (w) => unanswered(w, groups, apps))
