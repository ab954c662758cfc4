/**
 * Components: a node embeds child components (a consensus log, an exactly-once layer, a 2PC
 * participant) and talks to them locally and reliably in both directions.
 *
 * - Down: a message or timer addressed to `node/child` runs the child's handler; a parent handler
 *   calls into its child with `yield* child.call(state, ctx, (c, cctx) => ...)`, giving the child its
 *   own typed state and context and getting the parent's state back.
 * - Up: the child's `ctx.emit(event)` hands events to the parent's `onEvent`, in order, right after
 *   the child's step (as etcd raft's Ready hands committed entries to the application).
 * - Each component has its own address (`node/child`), timers and durable storage (its path), so a
 *   child's `persist` never replaces its parent's.
 */
import { Effect } from "effect"
import { deliverEvents, intoChild } from "./dispatch.ts"
import type { Ctx, Embedding, NodeDef, Tagged } from "./node.ts"
import { HandlerFailure, outboxOf } from "./outbox.ts"

/** The context of a component that sends `Out`, sets `T` timers and hands `E` events to its parent. */
export type ComponentCtx<Out extends Tagged, T extends Tagged, E extends Tagged> = Ctx<Out, T, E>

/** A typed handle on a child component of a parent whose state is `P`. */
export interface Component<P, C, X> extends Embedding<P> {
  readonly name: string
  readonly def: NodeDef<C, any, any, X>
  /** The child's state inside its parent's. */
  readonly state: (parent: P) => C
  /** The child's initial state (a child may not emit events from init). */
  readonly init: (ctx: Ctx<any, any, any>) => C
  /** Rebuilds the child from its own storage after a crash, builds the parent around it, then delivers the child's events. */
  readonly recover: (ctx: Ctx<any, any, any>, build: (child: C) => P) => P
  /** Calls into the child with its state and context; the parent's next state once the child's events are handled. */
  readonly call: (parent: P, ctx: Ctx<any, any, any>, f: (child: C, ctx: X) => Effect.Effect<C>) => Effect.Effect<P>
}

export interface Lens<P, C> {
  readonly get: (parent: P) => C
  readonly set: (parent: P, child: C) => P
}

export const component = <P, C, E extends Tagged, X extends Ctx<any, any, E>, PX = Ctx<any, any, any>>(
  name: string,
  def: NodeDef<C, any, any, X>,
  lens: Lens<P, C>,
  onEvent?: (parent: P, event: E, ctx: PX) => Effect.Effect<P>
): Component<P, C, X> => {
  const emb: Embedding<P> = { def, get: lens.get, set: lens.set, ...(onEvent ? { onEvent: onEvent as Embedding<P>["onEvent"] } : {}) }
  return {
    ...emb,
    name,
    def,
    state: lens.get,
    init: (ctx) => {
      const cctx = outboxOf(ctx).subnode(name)
      const c = def.init(cctx as unknown as X)
      if (cctx.events) throw new HandlerFailure(`${cctx.self} emitted events from init`)
      return c
    },
    recover: (ctx, build) => {
      const out = outboxOf(ctx)
      const cctx = out.subnode(name)
      const c = def.recover ? def.recover(cctx.stored(), cctx as unknown as X) : def.init(cctx as unknown as X)
      return deliverEvents(emb, build(c), cctx.events, out)
    },
    call: (parent, ctx, f) =>
      Effect.sync(() => intoChild(emb, name, parent, outboxOf(ctx), (c, cctx) => Effect.runSync(f(c as C, cctx as unknown as X)))),
  }
}
