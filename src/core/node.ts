/**
 * The protocol DSL. A node is immutable state plus handlers; a handler is a deterministic state
 * transition `(state, message | timer, ctx) -> Effect<next state>`. Everything a handler does to the
 * outside world goes through `ctx` (send, broadcast, set or cancel a timer, persist, choose, complete
 * a client command, emit an event to the parent component), so the same handler runs under the
 * checker, the simulator and the runtime.
 *
 * Handlers are usually written as `Effect.fnUntraced(function* (state, msg, ctx) { ... })`: a
 * generator defined once, which costs several times less per call than building `Effect.gen` closures.
 * A node embeds components (component.ts): a handler may `yield*` into a child with its typed handle.
 */
import type { Effect } from "effect"

/** A node's address. Components embedded in a node are addressed `node/child` (see component.ts). */
export type Address = string

/** Messages, timers, commands and results are Effect Schema tagged classes: plain data with a `_tag`. */
export interface Tagged {
  readonly _tag: string
}

/** A Schema tagged class (the constructor itself), naming a timer to cancel. */
export interface TaggedClass<T extends Tagged> {
  new (...args: never[]): T
  readonly fields: { readonly _tag: unknown }
}

/** The tag a tagged class stamps on its instances. */
export const tagOf = (cls: TaggedClass<Tagged>): string => {
  const tag = (cls.fields._tag as { readonly ast?: { readonly literal?: unknown } }).ast?.literal
  if (typeof tag !== "string") throw new TypeError(`${cls.name} is not a Schema tagged class`)
  return tag
}

/**
 * What a handler may do besides computing its next state. `Out` is what it may send, `T` its timers,
 * `E` the events it may hand to its parent component (never for a node at the root).
 */
export interface Ctx<Out extends Tagged = Tagged, T extends Tagged = Tagged, E extends Tagged = never> {
  /** This node's (or component's) address. */
  readonly self: Address
  /** Every node of the configuration (servers and clients), in a fixed order. */
  readonly peers: ReadonlyArray<Address>
  send(to: Address, msg: Out): void
  broadcast(to: Iterable<Address>, msg: Out): void
  /** Arms a timer that fires after between `min` and `max` (default `min`) units of simulated time. */
  setTimer(timer: T, min: number, max?: number): void
  /** Cancels this node's (component's) pending timers of the given class. */
  cancelTimer(timer: TaggedClass<T>): void
  /** Replaces this component's durable storage; it survives a crash and is handed to `recover`. */
  persist(durable: unknown): void
  /**
   * Picks one of `n` options (0..n-1). The checker explores every option; the simulator draws from
   * its seeded generator; nothing else is random inside a handler.
   */
  choose(n: number): number
  /** Client nodes only: the command in flight finished with this result. */
  complete(result: Tagged): void
  /** Components only: hands `event` to the parent, which handles it right after this step of the child. */
  emit(event: E): void
}

export type Handler<S, M, C = Ctx> = (state: S, msg: M, from: Address, ctx: C) => Effect.Effect<S>
export type TimerHandler<S, T, C = Ctx> = (state: S, timer: T, ctx: C) => Effect.Effect<S>

/** A handler map keyed by `_tag`; unhandled tags are ignored (the message is consumed, state unchanged). */
export type Handlers<S, M extends Tagged, C = Ctx> = { readonly [K in M["_tag"]]?: Handler<S, Extract<M, { _tag: K }>, C> }
export type TimerHandlers<S, T extends Tagged, C = Ctx> = { readonly [K in T["_tag"]]?: TimerHandler<S, Extract<T, { _tag: K }>, C> }

/**
 * Cross-cutting rules of a node, written once instead of in every handler: `message` runs before the
 * handler of every message (Raft's term rule), `after` after every step of this node or of a component
 * inside it (persist what changed).
 */
export interface Hooks<S, M, C = Ctx> {
  message?(state: S, msg: M, from: Address, ctx: C): S
  after?(before: S, after: S, ctx: C): S
}

export interface NodeDef<S, M extends Tagged = Tagged, T extends Tagged = Tagged, C = Ctx> {
  /** Initial state; may send messages and set timers through ctx. */
  readonly init: (ctx: C) => S
  /** After a crash: the state rebuilt from this component's durable storage (default: init, storage ignored). */
  readonly recover?: (durable: unknown, ctx: C) => S
  readonly onMessage: Handlers<S, M, C>
  readonly onTimer?: TimerHandlers<S, T, C>
  readonly hooks?: Hooks<S, M, C>
  /** Components this node embeds, by name (see component.ts). */
  readonly components?: Readonly<Record<string, Embedding<S>>>
}

/** How a parent holds a child component: where its state lives, and what to do with its events. */
export interface Embedding<P> {
  readonly def: NodeDef<any, any, any, any>
  readonly get: (parent: P) => any
  readonly set: (parent: P, child: any) => P
  /** Handles one event of the child, in the parent's context, after the child's step. */
  readonly onEvent?: (parent: P, event: any, ctx: any) => Effect.Effect<P>
}

/** A client: a node that also accepts commands from its workload, one at a time (closed loop). */
export interface ClientDef<S, C extends Tagged = Tagged, M extends Tagged = Tagged, T extends Tagged = Tagged, X = Ctx> extends NodeDef<S, M, T, X> {
  /** Start executing `command`; the node later calls `ctx.complete(result)` from a handler. */
  readonly sendCommand: (state: S, command: C, ctx: X) => Effect.Effect<S>
}

export const isClientDef = (def: NodeDef<any, any, any, any>): def is ClientDef<any> => "sendCommand" in def
