/**
 * PERSISTED_SIZE_BOUNDED: what a group server has persisted stays under a bound derived from its
 * configuration and the workloads, so a group that hands shards off really deletes them (garbage
 * collection) and its log really compacts. The persisted record of a group's log (Paxos or Raft) is
 * its parent's snapshot plus the log kept after it:
 *
 * - the snapshot (a ShardGroupState) holds at most the shards the snapshot's configuration lets the
 *   group hold: those it owns, those it still owes a receiver (Sending, unacknowledged), and those no
 *   group owns (parked); each at most `shardBytes(shard)`: its keys, each with every value ever put or
 *   appended to it end to end, and an exactly-once entry per client; plus the configuration itself;
 * - the log after the snapshot holds at most `LOG_SLOTS` entries, each at most a handoff of the
 *   largest shard.
 *
 * Sizes are the JSON length of the canonical plain form, computed once per persisted record.
 */
import { invariant, type StateProperty } from "../../checker/transition-system.ts"
import type { Workload } from "../../core/config.ts"
import type { Role } from "../../core/roles.ts"
import { toPlain } from "../../core/show.ts"
import type { World } from "../../core/world.ts"
import { keyShard } from "./keys.ts"
import { ShardGroupState } from "./messages.ts"

/** Entries a group's persisted log may keep after its snapshot (Raft groups compact past 32; Paxos keeps what some replica has not executed). */
export const LOG_SLOTS = 64
/** Bytes of one client's exactly-once entry (its last reply) and of a log entry around its payload. */
const REPLY_BYTES = 160
const ENTRY_BYTES = 400

const bytes = (v: unknown): number => JSON.stringify(toPlain(v) ?? null).length

/** The bound's parts for a store of `shards` shards under `workloads`. */
export const persistedSizeBound = (shards: number, workloads: ReadonlyArray<Workload>) => {
  const valueBound = new Map<string, number>()
  for (const w of workloads)
    for (const c of w.commands) {
      const { key, value } = c as { key?: string; value?: string }
      if (key !== undefined) valueBound.set(key, (valueBound.get(key) ?? 0) + (value?.length ?? 0))
    }
  const shardBytes = Array.from({ length: shards }, (_, s) => {
    let n = 64 + workloads.length * REPLY_BYTES
    for (const [key, v] of valueBound) if (keyShard(key, shards) === s) n += key.length + v + 16
    return n
  })
  /** The most a snapshot of `g` may hold: the shards its configuration lets it hold, and the configuration. */
  const snapshot = (g: ShardGroupState): number => {
    let n = 128 + bytes(g.config)
    for (let s = 0; s < shards; s++) {
      const owner = g.config?.shards[s] ?? null
      const held = g.shards.get(s)
      if (owner === g.group || owner === null || (held?._tag === "Sending" && held.to !== null)) n += shardBytes[s]!
    }
    return n
  }
  const log = LOG_SLOTS * (Math.max(...shardBytes) + ENTRY_BYTES)
  return { shardBytes, snapshot, log }
}

interface Sizes {
  readonly snap: number
  readonly snapBound: number
  readonly log: number
}
const cache = new WeakMap<object, Sizes>()

/** PERSISTED_SIZE_BOUNDED over every group replica's persisted log record (`replicas`: the group servers' roles). */
export const persistedSizeBounded = <W extends World>(replicas: ReadonlyArray<Role<unknown>>, shards: number, workloads: ReadonlyArray<Workload>): StateProperty<W> => {
  const bound = persistedSizeBound(shards, workloads)
  const sizes = (stored: unknown): Sizes | undefined => {
    if (typeof stored !== "object" || stored === null) return undefined
    const hit = cache.get(stored)
    if (hit) return hit
    const { snap, ...rest } = stored as { snap?: unknown }
    const out = { snap: snap === undefined ? 0 : bytes(snap), snapBound: snap instanceof ShardGroupState ? bound.snapshot(snap) : Infinity, log: bytes(rest) }
    cache.set(stored, out)
    return out
  }
  const problem = (w: W): string | undefined => {
    for (const r of replicas) {
      const s = sizes(r.stored(w, "log"))
      if (!s) continue
      if (s.snap > s.snapBound) return `${r.address} persisted a snapshot of ${s.snap} bytes, over the ${s.snapBound} its configuration allows (shards it no longer holds were not deleted?)`
      if (s.log > bound.log) return `${r.address} persisted a log of ${s.log} bytes after its snapshot, over ${bound.log} (${LOG_SLOTS} entries of the largest handoff)`
    }
    return undefined
  }
  return invariant<W>("PERSISTED_SIZE_BOUNDED", (w) => problem(w) === undefined, problem)
}
