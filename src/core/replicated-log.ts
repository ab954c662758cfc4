/**
 * The one interface every consensus log implements (Paxos, Raft, and the spec-backed log): propose a
 * command; every replica's log emits `Committed(slot, command)` to its parent, in slot order, exactly
 * once per committed slot. A log knows nothing of what its commands mean: a service is a thin parent
 * that applies them (replicated-service.ts), and runs on any log.
 *
 * A log is a component (component.ts) embedded at the same path in every server of its group; its
 * replicas address each other as `server/path`.
 */
import { fingerprintValue } from "../checker/hash.ts"
import { newFingerprint } from "../checker/transition-system.ts"
import type { Address, Ctx, NodeDef, Tagged } from "./node.ts"
import { intern } from "./outbox.ts"

/**
 * A committed command, handed by a log replica to its parent (etcd raft's committed entries in Ready).
 * Events never leave their node (no wire, no trace), so they are plain data built without a schema
 * pass: a log emits one per committed slot on every replica, in the checker's hot path.
 */
export interface Committed {
  readonly _tag: "Committed"
  readonly slot: number
  readonly command: Tagged
}
export const committed = (slot: number, command: Tagged): Committed => ({ _tag: "Committed", slot, command })

/**
 * The replica's log now starts after `slot` from a snapshot: `data` is what the parent handed to
 * `snapshot.take` at that slot on some replica (a follower brought up by a leader's snapshot, or a
 * replica recovering from its storage). The parent replaces its applied state with it.
 */
export interface Restored {
  readonly _tag: "Restored"
  readonly slot: number
  readonly data: unknown
}
export const restored = (slot: number, data: unknown): Restored => ({ _tag: "Restored", slot, data })

/**
 * The read `request` (opaque to the log: the parent's read-only command) may now be answered from the
 * parent's applied state: this replica led when the read began and still leads, and everything
 * committed before the read began is applied (a leader-confirmed read, Raft's ReadIndex; read-index.ts).
 */
export interface ReadReady {
  readonly _tag: "ReadReady"
  readonly request: Tagged
}
export const readReady = (request: Tagged): ReadReady => ({ _tag: "ReadReady", request })

export type LogEvent = Committed | Restored | ReadReady

/** What a log replica may do: send its messages, set its timers, hand its events up. */
export type LogCtx = Ctx<any, any, LogEvent>

export interface ReplicatedLog<S> {
  /** The component every server of the group embeds. */
  readonly def: NodeDef<S, any, any, LogCtx>
  /**
   * Appends `command` for the group to commit, when this replica can (it leads); a no-op otherwise,
   * or when the same command is already waiting in the log.
   */
  readonly propose: (s: S, command: Tagged, ctx: LogCtx) => S
  /**
   * Logs built with leader-confirmed reads (read-index.ts; the spec-backed log answers at once): the
   * leader starts a read of `request`, answered later by a `ReadReady(request)` event, which takes no
   * log slot; undefined when this replica cannot serve it so (not the leader, or a Raft leader that has
   * not yet committed an entry of its term): the parent proposes the command instead.
   */
  readonly read?: (s: S, request: Tagged, ctx: LogCtx) => S | undefined
  /** This replica leads: what it proposes is committed, unless it is deposed. */
  readonly isLeader: (s: S) => boolean
  /** The server (root address) this replica believes leads, if any. */
  readonly leaderHint: (s: S) => Address | null
  /**
   * Logs that compact through the parent's snapshots (etcd's CreateSnapshot + Compact): once the parent
   * applied `slot`, `due` says whether to snapshot there, and `take` compacts the log with the
   * parent's applied state as the snapshot.
   */
  readonly snapshot?: {
    readonly due: (s: S, slot: number) => boolean
    readonly take: (s: S, slot: number, data: unknown, ctx: LogCtx) => S
  }
}

/** The replicas of a group whose servers embed the log at `path`. */
export const groupAddresses = (servers: ReadonlyArray<Address>, path: string): Address[] => servers.map((s) => intern(`${s}/${path}`))

/** Equal as data (same fields, recursively; Maps and Sets by content), however the two commands were built. */
export const sameCommand = (a: Tagged, b: Tagged): boolean => sameData(a, b)

const sameData = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameData(x, b[i]))
  if (a instanceof Map || b instanceof Map || a instanceof Set || b instanceof Set) {
    fingerprintValue(a, fa)
    fingerprintValue(b, fb)
    return fa.hi === fb.hi && fa.lo === fb.lo
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined)
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined)
  return ka.length === kb.length && ka.every((k) => sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

const fa = newFingerprint()
const fb = newFingerprint()
