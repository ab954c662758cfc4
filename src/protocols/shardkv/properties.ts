/**
 * The shard store's invariants, over the groups and the ghost abstract store (system.ts):
 *
 * - ResultsMatchSpec: every reply is what the abstract store gives for that operation, once.
 * - AtMostOneServer: no shard is served by two groups at once (whatever their configurations).
 * - ServedDataMatchesSpec: a served shard holds exactly the abstract store's keys of that shard.
 * - NoShardLost: a shard with data is served, or held by its sender with the data intact.
 * - ConfigurationsWellFormed: every configuration the master released gives every shard one owner.
 * - ShardsFollowConfiguration: each group holds its shards as its configuration says (follows-config.ts).
 * - AnsweredByOwner: a group answered a client only for a shard it owns and serves (follows-config.ts).
 * - HandoffAckedOnlyOnceInstalled: every acknowledgement sent names a configuration its group has passed,
 *   or has reached with the shard served (the atomic groups' form of the replicated store's
 *   HandoffAckedOnlyOnceApplied): an acknowledgement lets the sender delete the shard.
 */
import { invariant, type StateProperty } from "../../checker/transition-system.ts"
import type { Configuration } from "../shardmaster/messages.ts"
import { configurationProblem } from "../shardmaster/properties.ts"
import { shardsFollowConfiguration } from "./follows-config.ts"
import { keyShard } from "./keys.ts"
import type { ShardStoreWorld } from "./system.ts"

const sameMap = (a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v)

const copies = (w: ShardStoreWorld, shard: number, tag: "Serving" | "Sending") =>
  w.groups.flatMap((g) => {
    const x = g.shards.get(shard)
    return x !== undefined && x._tag === tag ? [{ group: g.group, kv: x.data.kv }] : []
  })

export const shardStoreInvariants = (shards: number, configs: ReadonlyArray<Configuration>): ReadonlyArray<StateProperty<ShardStoreWorld>> => {
  const range = Array.from({ length: shards }, (_, s) => s)
  const expected = (w: ShardStoreWorld, shard: number) => new Map([...w.ghost].filter(([k]) => keyShard(k, shards) === shard))
  const twoServers = (w: ShardStoreWorld) => range.find((s) => copies(w, s, "Serving").length > 1)
  const badData = (w: ShardStoreWorld) => range.flatMap((s) => copies(w, s, "Serving").filter((c) => !sameMap(c.kv, expected(w, s))).map((c) => ({ s, ...c })))[0]
  const lost = (w: ShardStoreWorld) =>
    range.find((s) => {
      const want = expected(w, s)
      return want.size > 0 && copies(w, s, "Serving").length === 0 && !copies(w, s, "Sending").some((c) => sameMap(c.kv, want))
    })
  // Judged on every state: a loop over the acks, no array of them.
  const unappliedAck = (w: ShardStoreWorld) => {
    for (const { ack } of w.acks.values()) {
      const g = w.groups.find((x) => x.group === ack.from)
      const at = g?.config?.num ?? 0
      if (!(at > ack.num || (at === ack.num && g?.shards.get(ack.shard)?._tag === "Serving"))) return ack
    }
    return undefined
  }
  const problems = configs.map((c) => configurationProblem(c, shards))
  const firstBad = problems.findIndex((p) => p !== undefined)
  return [
    invariant("ResultsMatchSpec", (w) => w.error === null, (w) => w.error ?? undefined),
    invariant("AtMostOneServer", (w) => twoServers(w) === undefined, (w) => {
      const s = twoServers(w)!
      return `shard ${s} is served by groups ${copies(w, s, "Serving").map((c) => c.group).join(" and ")}`
    }),
    invariant("ServedDataMatchesSpec", (w) => badData(w) === undefined, (w) => {
      const b = badData(w)!
      return `group ${b.group} serves shard ${b.s} as ${JSON.stringify([...b.kv])}, the store has ${JSON.stringify([...expected(w, b.s)])}`
    }),
    invariant("NoShardLost", (w) => lost(w) === undefined, (w) => `shard ${lost(w)}'s data is held by no group`),
    invariant("ConfigurationsWellFormed", (w) => firstBad < 0 || w.released <= firstBad, () => problems[firstBad]),
    invariant("ShardsFollowConfiguration", (w) => w.groups.every((g) => shardsFollowConfiguration(g) === undefined), (w) => w.groups.map(shardsFollowConfiguration).find((p) => p !== undefined)),
    invariant("AnsweredByOwner", (w) => w.misserved === undefined, (w) => w.misserved),
    invariant("HandoffAckedOnlyOnceInstalled", (w) => unappliedAck(w) === undefined, (w) => {
      const a = unappliedAck(w)!
      return `group ${a.from} acknowledges shard ${a.shard} of configuration ${a.num} without having installed it`
    }),
  ]
}
