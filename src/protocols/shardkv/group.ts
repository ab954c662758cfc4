/**
 * A shard group's application: the pure, deterministic state machine every replica of the group's
 * log runs, independent of the log. It applies configurations one at a time and in order, and only
 * once the previous migration is over (no shard awaited, none waiting for its receiver's
 * acknowledgement); it answers requests for the shards it serves (exactly once, per shard), rejects
 * keys of shards it does not own as WrongGroup and holds those still in transit (NotReady); it hands
 * shards off with their exactly-once tables and deletes them when the receiver acknowledges.
 *
 * Moving a shard: when configuration n takes shard s from group A to group B, A keeps s as Sending
 * (its parent sends `outbox` handoffs until acknowledged) and B awaits it as Receiving. B installs
 * the handoff of configuration n when it is at n and acknowledges it; it also acknowledges any
 * handoff of an earlier configuration, since it could not have passed n without installing it.
 */
import type { Application } from "../../core/application.ts"
import { kvStore } from "../../core/kv.ts"
import type { GroupId } from "../shardmaster/messages.ts"
import { keyShard } from "./keys.ts"
import {
  ConfigApplied,
  emptyShard,
  HandoffAck,
  Ignored,
  LastReply,
  NotReady,
  Receiving,
  Sending,
  Serving,
  ShardData,
  ShardDeleted,
  ShardGroupState,
  ShardHandoff,
  WrongGroup,
  type ApplyConfig,
  type ClientRequest,
  type ShardKvCommand,
  type ShardKvResult,
  type ShardState,
} from "./messages.ts"

export interface ShardGroupOptions {
  readonly group: GroupId
  readonly shards: number
  /** Planted bug: a shard gained from another group is served at once, before its data arrives. */
  readonly bugServeBeforeData?: boolean
  /** Planted bug: handoffs carry the keys but not the exactly-once table. */
  readonly bugDropDedupOnHandoff?: boolean
  /** Planted bug: any later configuration is applied, skipping those in between. */
  readonly bugApplyOutOfOrder?: boolean
  /** Planted bug: a shard handed off is not deleted when its receiver acknowledges it; its data stays (unserved) until the shard comes back. */
  readonly bugKeepHandedOff?: boolean
  /** Planted bug: a handoff of an older configuration is installed into a shard the group awaits (a late copy brings old data). */
  readonly bugInstallOldHandoff?: boolean
  /** Planted bug: an acknowledgement deletes the shard sent to its group whatever the configuration it acknowledges (a late one deletes a newer handoff). */
  readonly bugAckAnyConfiguration?: boolean
}

/** What a group does with a request for a shard: answer it, send the client to the master, or hold it. */
export type Route = "serve" | "wrong-group" | "wait"

/** A handoff the group's parent must deliver to the servers of group `to` (until acknowledged). */
export interface Outgoing {
  readonly to: GroupId
  readonly servers: ReadonlyArray<string>
  readonly handoff: ShardHandoff
}

export const route = (s: ShardGroupState, shard: number): Route => {
  if (s.config?.shards[shard] !== s.group) return "wrong-group"
  return s.shards.get(shard)?._tag === "Serving" ? "serve" : "wait"
}

/** No shard awaited and none waiting for its receiver (a shard no group owns may stay parked). */
export const settled = (s: ShardGroupState): boolean =>
  [...s.shards.values()].every((x) => x._tag === "Serving" || (x._tag === "Sending" && x.to === null))

const withShard = (s: ShardGroupState, shard: number, state: ShardState | undefined): ShardGroupState => {
  const shards = new Map(s.shards)
  if (state === undefined) shards.delete(shard)
  else shards.set(shard, state)
  return new ShardGroupState({ group: s.group, config: s.config, shards })
}

export const shardGroup = (options: ShardGroupOptions) => {
  const { group, shards } = options
  const num = (s: ShardGroupState) => s.config?.num ?? 0
  /** A shard kept after its handoff was acknowledged (only with the planted bug bugKeepHandedOff). */
  const retained = (x: ShardState) => x._tag === "Sending" && x.num < 0

  const applyConfig = (s: ShardGroupState, { config }: ApplyConfig): readonly [ShardKvResult, ShardGroupState] => {
    const inOrder = options.bugApplyOutOfOrder ? config.num > num(s) : config.num === num(s) + 1
    if (!inOrder) return [new Ignored({ reason: "not-next-configuration" }), s]
    if (!settled(s)) return [new Ignored({ reason: "migration-in-progress" }), s]
    const next = new Map<number, ShardState>()
    for (let shard = 0; shard < shards; shard++) {
      const owner = config.shards[shard] ?? null
      const held = s.shards.get(shard)
      if (held !== undefined && retained(held)) {
        if (owner === group) next.set(shard, new Receiving())
        else next.set(shard, held)
      } else if (held !== undefined && held._tag !== "Receiving") {
        next.set(shard, owner === group ? new Serving({ data: held.data }) : new Sending({ to: owner, num: config.num, data: held.data }))
      } else if (owner === group) {
        // Shards are born empty with the first configuration; later ones arrive from their holder.
        next.set(shard, s.config === null || options.bugServeBeforeData ? new Serving({ data: emptyShard() }) : new Receiving())
      }
    }
    return [new ConfigApplied({ num: config.num }), new ShardGroupState({ group, config, shards: next })]
  }

  const install = (s: ShardGroupState, h: ShardHandoff): readonly [ShardKvResult, ShardGroupState] => {
    const ack = new HandoffAck({ shard: h.shard, num: h.num, from: group })
    if (h.num > num(s)) return [new Ignored({ reason: "handoff-not-yet" }), s]
    if (options.bugInstallOldHandoff && h.num < num(s) && s.shards.get(h.shard)?._tag === "Receiving") return [ack, withShard(s, h.shard, new Serving({ data: h.data }))]
    if (h.num < num(s)) return [ack, s]
    const held = s.shards.get(h.shard)
    if (held?._tag === "Receiving") return [ack, withShard(s, h.shard, new Serving({ data: h.data }))]
    return held?._tag === "Serving" ? [ack, s] : [new Ignored({ reason: "not-receiving" }), s]
  }

  const acknowledged = (s: ShardGroupState, a: HandoffAck): readonly [ShardKvResult, ShardGroupState] => {
    const held = s.shards.get(a.shard)
    if (options.bugAckAnyConfiguration && held?._tag === "Sending" && held.to === a.from && held.num !== a.num) return [new ShardDeleted({ shard: a.shard, num: a.num }), withShard(s, a.shard, undefined)]
    if (held?._tag !== "Sending" || held.num !== a.num || held.to !== a.from) return [new Ignored({ reason: "already-deleted" }), s]
    // With the planted bug the data stays, parked under a negative number (retained), instead of being deleted.
    return [new ShardDeleted({ shard: a.shard, num: a.num }), withShard(s, a.shard, options.bugKeepHandedOff ? new Sending({ to: null, num: -a.num, data: held.data }) : undefined)]
  }

  const request = (s: ShardGroupState, r: ClientRequest): readonly [ShardKvResult, ShardGroupState] => {
    const shard = keyShard(r.op.key, shards)
    const decision = route(s, shard)
    if (decision === "wrong-group") return [new WrongGroup({ shard, num: num(s) }), s]
    if (decision === "wait") return [new NotReady({ shard }), s]
    const { data } = s.shards.get(shard) as Serving
    const last = data.replies.get(r.client)
    if (last !== undefined && last.seq >= r.seq) return [last.seq === r.seq ? last.result : new Ignored({ reason: "stale-request" }), s]
    const [result, kv] = kvStore.execute(data.kv, r.op)
    const replies = new Map(data.replies).set(r.client, new LastReply({ seq: r.seq, result }))
    return [result, withShard(s, shard, new Serving({ data: new ShardData({ kv, replies }) }))]
  }

  const execute = (s: ShardGroupState, c: ShardKvCommand): readonly [ShardKvResult, ShardGroupState] => {
    switch (c._tag) {
      case "ClientRequest":
        return request(s, c)
      case "ApplyConfig":
        return applyConfig(s, c)
      case "ShardHandoff":
        return install(s, c)
      case "HandoffAck":
        return acknowledged(s, c)
    }
  }

  /** The handoffs to (re)send: one per shard waiting for its receiver. */
  const outbox = (s: ShardGroupState): Outgoing[] => {
    const out: Outgoing[] = []
    for (const [shard, x] of s.shards) {
      if (x._tag !== "Sending" || x.to === null) continue
      const data = options.bugDropDedupOnHandoff ? new ShardData({ kv: x.data.kv, replies: new Map() }) : x.data
      const servers = s.config?.groups.find((g) => g.id === x.to)?.servers ?? []
      out.push({ to: x.to, servers, handoff: new ShardHandoff({ shard, num: x.num, from: group, data }) })
    }
    return out
  }

  const app: Application<ShardGroupState, ShardKvCommand, ShardKvResult> = {
    init: () => new ShardGroupState({ group, config: null, shards: new Map() }),
    execute,
    readOnly: (c) => c._tag === "ClientRequest" && c.op._tag === "Get",
  }
  return { ...app, route: (s: ShardGroupState, key: string) => route(s, keyShard(key, shards)), settled, outbox }
}

export type ShardGroup = ReturnType<typeof shardGroup>
/** The configuration a group would poll for next. */
export const nextConfigNum = (s: ShardGroupState): number => (s.config?.num ?? 0) + 1
