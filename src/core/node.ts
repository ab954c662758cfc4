/**
 * The protocol DSL. A node is immutable state plus handlers; a handler is a deterministic state
 * transition `(state, message | timer, ctx) -> Effect<next state>`. Everything a handler does to the
 * outside world goes through `ctx` (send, broadcast, set or cancel a timer, persist, choose, complete
 * a client command), so the same handler runs under the checker, the simulator and the runtime.
 *
 * Handlers are usually written as `Effect.fnUntraced(function* (state, msg, ctx) { ... })`: a
 * generator defined once, which costs several times less per call than building `Effect.gen` closures.
 */
import type { Effect } from "effect"

/** A node's address. Sub-nodes are addressed `parent/child` (see `SubNode`). */
export type Address = string

/** Messages, timers, commands and results are Effect Schema tagged classes: plain data with a `_tag`. */
export interface Tagged {
  readonly _tag: string
}

/** What a handler may do besides computing its next state. */
export interface Ctx {
  /** This node's address. */
  readonly self: Address
  /** Every node of the configuration (servers and clients), in a fixed order. */
  readonly peers: ReadonlyArray<Address>
  send(to: Address, msg: Tagged): void
  broadcast(to: Iterable<Address>, msg: Tagged): void
  /** Arms a timer that fires after between `min` and `max` (default `min`) units of simulated time. */
  setTimer(timer: Tagged, min: number, max?: number): void
  /** Cancels this node's pending timers with the given tag. */
  cancelTimer(tag: string): void
  /** Replaces this node's durable storage; it survives a crash and is handed to `recover`. */
  persist(durable: unknown): void
  /**
   * Picks one of `n` options (0..n-1). The checker explores every option; the simulator draws from
   * its seeded generator; nothing else is random inside a handler.
   */
  choose(n: number): number
  /** Client nodes only: the command in flight finished with this result. */
  complete(result: Tagged): void
}

export type Handler<S, M> = (state: S, msg: M, from: Address, ctx: Ctx) => Effect.Effect<S>
export type TimerHandler<S, T> = (state: S, timer: T, ctx: Ctx) => Effect.Effect<S>

/** A handler map keyed by `_tag`; unhandled tags are ignored (the message is consumed, state unchanged). */
export type Handlers<S, M extends Tagged> = { readonly [K in M["_tag"]]?: Handler<S, Extract<M, { _tag: K }>> }
export type TimerHandlers<S, T extends Tagged> = { readonly [K in T["_tag"]]?: TimerHandler<S, Extract<T, { _tag: K }>> }

export interface NodeDef<S, M extends Tagged = Tagged, T extends Tagged = Tagged> {
  /** Initial state; may send messages and set timers through ctx. */
  readonly init: (ctx: Ctx) => S
  /** After a crash: the state rebuilt from durable storage (default: init, storage ignored). */
  readonly recover?: (durable: unknown, ctx: Ctx) => S
  readonly onMessage: Handlers<S, M>
  readonly onTimer?: TimerHandlers<S, T>
  /** Sub-nodes this node embeds, by name (see subnode.ts). */
  readonly subnodes?: Readonly<Record<string, SubNode<S, any>>>
}

/** A node embedded in another: how to find its state in the parent's and put it back. */
export interface SubNode<P, C> {
  readonly def: NodeDef<C, any, any>
  readonly get: (parent: P) => C
  readonly set: (parent: P, child: C) => P
}

/** A client: a node that also accepts commands from its workload, one at a time (closed loop). */
export interface ClientDef<S, C extends Tagged = Tagged, M extends Tagged = Tagged, T extends Tagged = Tagged> extends NodeDef<S, M, T> {
  /** Start executing `command`; the node later calls `ctx.complete(result)` from a handler. */
  readonly sendCommand: (state: S, command: C, ctx: Ctx) => Effect.Effect<S>
}

export const isClientDef = (def: NodeDef<any, any, any>): def is ClientDef<any> => "sendCommand" in def
