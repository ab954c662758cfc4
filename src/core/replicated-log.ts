/**
 * The one interface every consensus log implements (Paxos, Raft, and the spec-backed log): propose a
 * command; every replica's log emits `Committed(slot, command)` to its parent, in slot order, exactly
 * once per committed slot. A log knows nothing of what its commands mean: a service is a thin parent
 * that applies them (replicated-service.ts), and runs on any log.
 *
 * A log is a component (component.ts) embedded at the same path in every server of its group; its
 * replicas address each other as `server/path`.
 */
import type { Effect } from "effect"
import { Schema } from "effect"
import { fingerprintValue } from "../checker/hash.ts"
import { newFingerprint } from "../checker/transition-system.ts"
import type { Address, Ctx, NodeDef, Tagged } from "./node.ts"

/** A committed command, handed by a log replica to its parent (etcd raft's committed entries in Ready). */
export class Committed extends Schema.TaggedClass<Committed>()("Committed", { slot: Schema.Number, command: Schema.Any }) {}

/** What a log replica may do: send its messages, set its timers, hand Committed events up. */
export type LogCtx = Ctx<any, any, Committed>

export interface ReplicatedLog<S> {
  /** The component every server of the group embeds. */
  readonly def: NodeDef<S, any, any, LogCtx>
  /**
   * Appends `command` for the group to commit, when this replica can (it leads); a no-op otherwise,
   * or when the same command is already waiting in the log.
   */
  readonly propose: (s: S, command: Tagged, ctx: LogCtx) => Effect.Effect<S>
  /** This replica leads: what it proposes is committed, unless it is deposed. */
  readonly isLeader: (s: S) => boolean
  /** The server (root address) this replica believes leads, if any. */
  readonly leaderHint: (s: S) => Address | null
}

/** The replicas of a group whose servers embed the log at `path`. */
export const groupAddresses = (servers: ReadonlyArray<Address>, path: string): Address[] => servers.map((s) => `${s}/${path}`)

const fa = newFingerprint()
const fb = newFingerprint()
/** Equal as data (one canonical fingerprint), however the two commands were built. */
export const sameCommand = (a: Tagged, b: Tagged): boolean => {
  if (a === b) return true
  fingerprintValue(a, fa)
  fingerprintValue(b, fb)
  return fa.hi === fb.hi && fa.lo === fb.lo
}
