/**
 * A configuration: which nodes and clients, which workloads, which network semantics and which
 * fault budget. `compile` (compile.ts) turns a protocol plus a configuration into a transition system.
 */
import type { Address, ClientDef, NodeDef, Tagged } from "./node.ts"

/** A closed-loop client's commands, and optionally the result each must give (checked by RESULTS_OK). */
export interface Workload {
  readonly commands: ReadonlyArray<Tagged>
  readonly expected?: ReadonlyArray<Tagged | undefined>
}

export type Delivery =
  /** A sent message stays deliverable forever (DSLabs' search semantics): delivery may repeat. */
  | "duplicating"
  /** Delivery consumes one copy; any order. */
  | "multiset"
  /** Delivery consumes; per (sender, receiver) link in send order. */
  | "fifo"

export interface NetworkOptions {
  readonly delivery?: Delivery
  /**
   * Adds drop events: for every message in flight (multiset), or for the head of each link (fifo; the
   * receiver still sees every subsequence of what was sent, with fewer interleavings).
   */
  readonly drops?: boolean
  /** Groups that can talk only among themselves; addresses in no group are cut off from everyone. */
  readonly partition?: ReadonlyArray<ReadonlyArray<Address>>
}

export interface FaultOptions {
  /** At most this many nodes crashed at once (default 0). */
  readonly maxCrashed?: number
  /** Which nodes may crash (default: every server). */
  readonly crashable?: ReadonlyArray<Address>
  /** Whether crashed nodes may restart from durable storage (default true). */
  readonly restarts?: boolean
  /**
   * With `restarts: false`: messages to a crashed node leave the network (those in flight when it
   * crashes, those sent to it after). It can never receive them, so states that differ only in them
   * merge, and a bound on messages in flight counts deliverable ones. Off by default: a property that
   * reads the messages in flight to a crashed node would no longer see them.
   */
  readonly forgetDown?: boolean
}

export interface Config {
  readonly servers: ReadonlyArray<{ readonly address: Address; readonly def: NodeDef<any, any, any> }>
  readonly clients: ReadonlyArray<{ readonly address: Address; readonly def: ClientDef<any, any, any, any>; readonly workload: Workload }>
  readonly network?: NetworkOptions
  readonly faults?: FaultOptions
  /** Whether timers fire in the checker (default true). */
  readonly timers?: boolean
  /**
   * Groups of interchangeable addresses (servers of a group, clients whose workloads are renamings of
   * each other), for `--symmetry`: the configuration, its handlers and its properties must treat the
   * members of a group alike (core/symmetry.ts checks what it can).
   */
  readonly symmetry?: ReadonlyArray<ReadonlyArray<Address>>
  /** Renders messages, timers, commands and results in labels (default: `Tag(field=value,...)`). */
  readonly show?: (x: Tagged) => string
}

/** A workload from commands and expected results given side by side. */
export const workload = (pairs: ReadonlyArray<readonly [Tagged, Tagged | undefined]>): Workload => ({
  commands: pairs.map(([c]) => c),
  expected: pairs.map(([, r]) => r),
})
