/**
 * The shard master's application: a pure, deterministic state machine over numbered configurations,
 * replicated by running it on every replica of a consensus log.
 *
 * Join, Leave and Move each create the next configuration; Query reads one. A bad command returns
 * Rejected and changes nothing. Join and Leave rebalance with the fewest moves (placement.ts); Move
 * moves exactly one shard and may leave the assignment unbalanced until the next Join or Leave.
 */
import type { Application } from "../../core/application.ts"
import { rebalance, type PlacementOptions } from "./placement.ts"
import {
  Configuration,
  Group,
  NoConfiguration,
  Ok,
  Rejected,
  type GroupId,
  type Rejection,
  type ShardMasterCommand,
  type ShardMasterResult,
  type ShardMasterState,
} from "./messages.ts"

export interface ShardMasterOptions {
  /** Number of shards (fixed for the life of the service). */
  readonly shards: number
  /** Planted bug for tests: a Leave fills the remaining groups only to floor(n/g), so shards stay unassigned. */
  readonly bugLeaveUnassigned?: boolean
}

export const latest = (s: ShardMasterState): Configuration | undefined => s.configs[s.configs.length - 1]

/** Configuration `num` (null or beyond the latest: the latest); undefined before the first Join. */
export const configurationAt = (s: ShardMasterState, num: number | null): Configuration | undefined =>
  num === null || num > s.configs.length ? latest(s) : s.configs[num - 1]

const reject = (reason: Rejection, detail: string) => new Rejected({ reason, detail })

export const shardMaster = ({ shards, bugLeaveUnassigned = false }: ShardMasterOptions): Application<ShardMasterState, ShardMasterCommand, ShardMasterResult> => {
  if (!Number.isInteger(shards) || shards < 1) throw new RangeError(`the shard master needs a positive number of shards, got ${shards}`)

  const next = (s: ShardMasterState, owners: ReadonlyArray<GroupId | null>, groups: ReadonlyArray<Group>): readonly [Ok, ShardMasterState] => {
    const config = new Configuration({ num: s.configs.length + 1, shards: owners, groups })
    return [new Ok({ num: config.num }), { configs: [...s.configs, config] }]
  }
  const placed = (s: ShardMasterState, groups: ReadonlyArray<Group>, options: PlacementOptions = {}) =>
    next(s, rebalance(latest(s)?.shards ?? Array<null>(shards).fill(null), groups.map((g) => g.id), options), groups)

  const execute = (s: ShardMasterState, c: ShardMasterCommand): readonly [ShardMasterResult, ShardMasterState] => {
    const current = latest(s)
    const groups = current?.groups ?? []
    const known = (id: GroupId) => groups.some((g) => g.id === id)
    switch (c._tag) {
      case "Query": {
        if (c.num !== null && c.num < 1) return [reject("bad-configuration-number", `configurations are numbered from 1, got ${c.num}`), s]
        return [configurationAt(s, c.num) ?? new NoConfiguration(), s]
      }
      case "Join": {
        if (c.group < 1) return [reject("bad-group-id", `group ids are positive, got ${c.group}`), s]
        if (known(c.group)) return [reject("already-joined", `group ${c.group} has already joined`), s]
        if (c.servers.length === 0) return [reject("no-servers", `group ${c.group} has no servers`), s]
        const joined = [...groups, new Group({ id: c.group, servers: c.servers })].sort((a, b) => a.id - b.id)
        return placed(s, joined)
      }
      case "Leave": {
        if (!known(c.group)) return [reject("unknown-group", `group ${c.group} has not joined`), s]
        return placed(s, groups.filter((g) => g.id !== c.group), { bugFillToFloor: bugLeaveUnassigned })
      }
      case "Move": {
        if (c.shard < 0 || c.shard >= shards) return [reject("shard-out-of-range", `shard ${c.shard} is not in 0..${shards - 1}`), s]
        if (!known(c.group)) return [reject("unknown-group", `group ${c.group} has not joined`), s]
        if (current!.shards[c.shard] === c.group) return [reject("already-owner", `group ${c.group} already owns shard ${c.shard}`), s]
        return next(s, current!.shards.map((g, shard) => (shard === c.shard ? c.group : g)), groups)
      }
    }
  }

  return { init: () => ({ configs: [] }), execute, readOnly: (c) => c._tag === "Query" }
}
