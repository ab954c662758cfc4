/**
 * The shard master's data: its commands, its results and its numbered configurations, as Schema
 * classes (the single source of truth for encoding, fingerprints and traces).
 *
 * A configuration says which group owns each shard and which servers each group has. Configurations
 * are numbered from 1 (the first Join); before it there is no configuration at all.
 */
import { Schema } from "effect"
import { TaggedData } from "../../core/tagged-data.ts"

/** A replica group's id: a positive integer. */
export const GroupId = Schema.Int
export type GroupId = number

/** A joined group and its servers' addresses. */
export class Group extends Schema.Class<Group>("Group")({ id: GroupId, servers: Schema.Array(Schema.String) }) {}

export class Configuration extends TaggedData<Configuration>()("Configuration", {
  num: Schema.Int,
  /** shard -> owning group; null only while no group has joined. */
  shards: Schema.Array(Schema.NullOr(GroupId)),
  /** The joined groups in ascending id order. */
  groups: Schema.Array(Group),
}) {}

// Commands.
export class Join extends TaggedData<Join>()("Join", { group: GroupId, servers: Schema.Array(Schema.String) }) {}
export class Leave extends TaggedData<Leave>()("Leave", { group: GroupId }) {}
export class Move extends TaggedData<Move>()("Move", { shard: Schema.Int, group: GroupId }) {}
/** Configuration `num`, or the latest when `num` is null or beyond the latest. */
export class Query extends TaggedData<Query>()("Query", { num: Schema.NullOr(Schema.Int) }) {}
export const ShardMasterCommand = Schema.Union([Join, Leave, Move, Query])
export type ShardMasterCommand = Join | Leave | Move | Query

// Results.
/** A Join, Leave or Move took effect and created configuration `num`. */
export class Ok extends TaggedData<Ok>()("Ok", { num: Schema.Int }) {}
/** A Query before the first Join. */
export class NoConfiguration extends TaggedData<NoConfiguration>()("NoConfiguration", {}) {}

export const REJECTIONS = [
  "already-joined",
  "unknown-group",
  "already-owner",
  "shard-out-of-range",
  "no-servers",
  "bad-group-id",
  "bad-configuration-number",
] as const
export type Rejection = (typeof REJECTIONS)[number]

/** A bad command: nothing changed. */
export class Rejected extends TaggedData<Rejected>()("Rejected", { reason: Schema.Literals(REJECTIONS), detail: Schema.String }) {}

export const ShardMasterResult = Schema.Union([Ok, Configuration, NoConfiguration, Rejected])
export type ShardMasterResult = Ok | Configuration | NoConfiguration | Rejected

/** The replicated state: every configuration so far, configs[i].num === i + 1. */
export const ShardMasterState = Schema.Struct({ configs: Schema.Array(Configuration) })
export type ShardMasterState = typeof ShardMasterState.Type

// Short constructors for workloads and tests.
export const join = (group: GroupId, servers: ReadonlyArray<string>) => new Join({ group, servers })
export const leave = (group: GroupId) => new Leave({ group })
export const move = (shard: number, group: GroupId) => new Move({ shard, group })
export const query = (num: number | null = null) => new Query({ num })

export const showShardMaster = (x: ShardMasterCommand | ShardMasterResult): string => {
  switch (x._tag) {
    case "Join":
      return `Join(${x.group},[${x.servers.join(",")}])`
    case "Leave":
      return `Leave(${x.group})`
    case "Move":
      return `Move(${x.shard},${x.group})`
    case "Query":
      return `Query(${x.num ?? "latest"})`
    case "Ok":
      return `Ok(${x.num})`
    case "Configuration":
      return `Config ${x.num} [${x.shards.map((g) => g ?? "-").join(" ")}]`
    case "NoConfiguration":
      return "NoConfiguration"
    case "Rejected":
      return `Rejected(${x.reason})`
  }
}

/** The administrator's timer: send (or resend) script step `step`. */
export class AdminTimer extends TaggedData<AdminTimer>()("AdminTimer", { step: Schema.Int }) {}
