/**
 * What a group's shards must be in its current configuration (group.ts applies configurations one at
 * a time, and only once the previous migration is over):
 *
 * - a shard the configuration gives the group is Serving or Receiving there, and one it gives another
 *   group is not: the group holds it only as Sending, to that owner (until acknowledged), or, when no
 *   group owns it (every group left), parked (Sending to none);
 * - a group answers a client's key only for a shard it owns and serves.
 *
 * A shard its receiver acknowledged is deleted: a copy kept as parked while another group owns it is
 * stale data waiting to be served again; an answer from a shard on its way out is a stale read once
 * the new owner takes writes. Both break the first rule at once, before any stale value shows.
 */
import type { ShardGroupState } from "./messages.ts"

/** The first shard of group `g` whose state its configuration does not allow. */
export const shardsFollowConfiguration = (g: ShardGroupState): string | undefined => {
  const config = g.config
  if (config === null) return g.shards.size === 0 ? undefined : `group ${g.group} holds shards before its first configuration`
  for (let shard = 0; shard < config.shards.length; shard++) {
    const owner = config.shards[shard] ?? null
    const x = g.shards.get(shard)
    const mine = owner === g.group
    if (mine && x?._tag !== "Serving" && x?._tag !== "Receiving") return `group ${g.group} owns shard ${shard} in configuration ${config.num} but holds it as ${x?._tag ?? "nothing"}`
    if (!mine && x !== undefined && (x._tag !== "Sending" || x.to !== owner))
      return `group ${g.group} holds shard ${shard} as ${x._tag}${x._tag === "Sending" ? ` to ${x.to ?? "no group"}` : ""}, but configuration ${config.num} gives it to ${owner === null ? "no group" : `group ${owner}`}`
  }
  return undefined
}

/** Why group `g` may not answer a key of `shard` (undefined: it owns the shard and serves it). */
export const answerProblem = (g: ShardGroupState, shard: number): string | undefined => {
  const owner = g.config?.shards[shard] ?? null
  const held = g.shards.get(shard)?._tag ?? "nothing"
  return owner === g.group && held === "Serving" ? undefined : `group ${g.group} answers a key of shard ${shard}, which configuration ${g.config?.num ?? 0} gives to ${owner === null ? "no group" : `group ${owner}`}, holding it as ${held}`
}
