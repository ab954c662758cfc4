/**
 * Running one event on one node: routing a message or a timer down the component path it is
 * addressed to, the node's hooks, and the events each component hands its parent on the way back up.
 *
 * `runNodeEvent` is the whole contract for interpreters outside a World (the runtime): give it ONE
 * node's definition, state, pending timers and durable storage, and ONE event (init, recover,
 * message, timer, a client's next command); it returns the next state, the messages sent, the pending timers after the event,
 * the durable writes by component path and the client result completed, if any. The checker and the
 * simulator run the same routing through `Cluster` (execute.ts).
 */
import { Effect } from "effect"
import { type Address, type Embedding, isClientDef, type NodeDef, type Tagged } from "./node.ts"
import { type Chooser, type Durable, firstChoice, HandlerFailure, Outbox, storedAt, type TimerRec } from "./outbox.ts"
import { runHandlerEffect } from "./run-handler.ts"
import { trustingConstruction } from "./tagged-data.ts"

type AnyDef = NodeDef<any, any, any, any>

export const runEffect = <S>(eff: Effect.Effect<S>, what: string): S => {
  try {
    return runHandlerEffect(eff)
  } catch (e) {
    throw new HandlerFailure(`${what} failed: ${e instanceof Error ? e.message : String(e)}`)
  }
}

/** Hands a child's events to its parent's onEvent, in order. */
export const deliverEvents = <P>(emb: Embedding<P>, parent: P, events: ReadonlyArray<Tagged> | undefined, ctx: Outbox): P => {
  if (!events) return parent
  let p = parent
  if (!emb.onEvent) return p
  for (const e of events) {
    const r = emb.onEvent(p, e, ctx)
    p = Effect.isEffect(r) ? runEffect(r, `${ctx.self} handling ${e._tag} from a component`) : r
  }
  return p
}

/** Runs `f` on the child `name` of `parent`, puts the child back, then delivers its events. */
export const intoChild = <P>(emb: Embedding<P>, name: string, parent: P, ctx: Outbox, f: (child: unknown, cctx: Outbox) => unknown): P => {
  const cctx = ctx.subnode(name)
  const p = emb.set(parent, f(emb.get(parent), cctx))
  return deliverEvents(emb, p, cctx.events, ctx)
}

/** Walks `path` down the components of `def`, runs `leaf` there, and each level's `after` hook on the way up. */
const runAt = (def: AnyDef, state: unknown, path: ReadonlyArray<string>, ctx: Outbox, leaf: (def: AnyDef, state: unknown, ctx: Outbox) => unknown, at = 0): unknown => {
  let next: unknown
  if (at === path.length) next = leaf(def, state, ctx)
  else {
    const emb = def.components?.[path[at]!]
    if (!emb) return state
    next = intoChild(emb, path[at]!, state, ctx, (c, cctx) => runAt(emb.def, c, path, cctx, leaf, at + 1))
  }
  return def.hooks?.after ? def.hooks.after(state, next, ctx) : next
}

type MessageFn = (s: unknown, m: Tagged, f: Address, c: Outbox) => Effect.Effect<unknown>
type TimerFn = (s: unknown, t: Tagged, c: Outbox) => Effect.Effect<unknown>

const onMessage = (d: AnyDef, s: unknown, msg: Tagged, from: Address, c: Outbox): unknown => {
  const s1 = d.hooks?.message ? d.hooks.message(s, msg, from, c) : s
  const h = (d.onMessage as Record<string, MessageFn | undefined>)[msg._tag]
  return h ? runEffect(h(s1, msg, from, c), `${c.self} handling ${msg._tag}`) : s1
}

const onTimer = (d: AnyDef, s: unknown, timer: Tagged, c: Outbox): unknown => {
  const h = (d.onTimer as Record<string, TimerFn | undefined> | undefined)?.[timer._tag]
  return h ? runEffect(h(s, timer, c), `${c.self} handling timer ${timer._tag}`) : s
}

/** Delivers `msg` to the component at `path` below `def`. */
export const dispatchMessage = (def: AnyDef, state: unknown, path: ReadonlyArray<string>, msg: Tagged, from: Address, ctx: Outbox): unknown => {
  // The node itself (most deliveries): no walk.
  if (path.length === 0) {
    const next = onMessage(def, state, msg, from, ctx)
    return def.hooks?.after ? def.hooks.after(state, next, ctx) : next
  }
  return runAt(def, state, path, ctx, (d, s, c) => onMessage(d, s, msg, from, c))
}

export const dispatchTimer = (def: AnyDef, state: unknown, path: ReadonlyArray<string>, timer: Tagged, ctx: Outbox): unknown => {
  if (path.length === 0) {
    const next = onTimer(def, state, timer, ctx)
    return def.hooks?.after ? def.hooks.after(state, next, ctx) : next
  }
  return runAt(def, state, path, ctx, (d, s, c) => onTimer(d, s, timer, c))
}

/**
 * A node's first state, or its state rebuilt from storage after a crash. init and recover are plain
 * functions, not Effects: one that throws fails the step as a handler does (HANDLERS_SUCCEED, with a
 * trace), rather than escaping the search as a bare exception.
 */
export const startNode = (def: AnyDef, durable: Durable | undefined, restart: boolean, ctx: Outbox): unknown => {
  const recovering = restart && def.recover !== undefined
  try {
    return recovering ? def.recover!(storedAt(durable), ctx) : def.init(ctx)
  } catch (e) {
    if (e instanceof HandlerFailure) throw e
    throw new HandlerFailure(`${ctx.self} ${recovering ? "recovering from storage" : restart ? "restarting (init)" : "init"} failed: ${e instanceof Error ? e.message : String(e)}`)
  }
}

const NO_PATH: ReadonlyArray<string> = []
const paths = new Map<Address, ReadonlyArray<string>>()
/** The component path of an address (`node/a/b` -> [a, b]), cached: it runs on every delivery. */
/** The component path a timer belongs to (its `sub`, "" for the node itself), cached likewise. */
const subs = new Map<string, ReadonlyArray<string>>()
export const timerPath = (sub: string): ReadonlyArray<string> => {
  if (sub === "") return NO_PATH
  let p = subs.get(sub)
  if (p === undefined) subs.set(sub, (p = sub.split("/")))
  return p
}

export const subPathOf = (address: Address): ReadonlyArray<string> => {
  if (address.indexOf("/") < 0) return NO_PATH
  let p = paths.get(address)
  if (p === undefined) paths.set(address, (p = address.split("/").slice(1)))
  return p
}

export type NodeEvent =
  | { readonly k: "init" }
  | { readonly k: "recover" }
  | { readonly k: "message"; readonly to: Address; readonly from: Address; readonly msg: Tagged }
  | { readonly k: "timer"; readonly timer: TimerRec }
  /** A client node starts its next command (ClientDef.sendCommand). */
  | { readonly k: "command"; readonly command: Tagged }

export interface NodeEventResult {
  readonly state: unknown
  readonly sends: ReadonlyArray<{ readonly from: Address; readonly to: Address; readonly msg: Tagged }>
  /** The node's pending timers after the event (the fired one removed, cancelled ones removed, new ones appended). */
  readonly timers: ReadonlyArray<TimerRec>
  /** Durable writes of this event by component path ("" for the node itself): write them before sending. */
  readonly writes: ReadonlyMap<string, unknown>
  /** A client's command finished with this result. */
  readonly completed: Tagged | undefined
}

export interface NodeSnapshot {
  readonly def: AnyDef
  readonly self: Address
  readonly peers: ReadonlyArray<Address>
  /** Ignored for init and recover. */
  readonly state: unknown
  /** Pending timers (ignored for init and recover, which start with none). */
  readonly timers: ReadonlyArray<TimerRec>
  readonly durable: Durable | undefined
}

/** Runs ONE event on ONE node outside a World (see the file header). A failing handler throws HandlerFailure. */
export const runNodeEvent = (node: NodeSnapshot, event: NodeEvent, chooser: Chooser = firstChoice): NodeEventResult => {
  const fresh = event.k === "init" || event.k === "recover"
  const timers = event.k === "timer" ? node.timers.filter((t) => t !== event.timer) : fresh ? [] : node.timers
  const ctx = new Outbox(node.self, node.peers, timers, chooser, node.durable)
  // Handlers build their messages unvalidated (tagged-data.ts): the runtime decodes what it receives.
  const state = trustingConstruction(() =>
    event.k === "message"
      ? dispatchMessage(node.def, node.state, subPathOf(event.to), event.msg, event.from, ctx)
      : event.k === "timer"
        ? dispatchTimer(node.def, node.state, timerPath(event.timer.sub), event.timer.timer, ctx)
        : event.k === "command"
          ? isClientDef(node.def)
            ? runEffect(node.def.sendCommand(node.state, event.command, ctx), `${node.self} sending ${event.command._tag}`)
            : (() => {
                throw new HandlerFailure(`${node.self} is not a client`)
              })()
          : startNode(node.def, node.durable, event.k === "recover", ctx)
  )
  return { state, sends: ctx.sends, timers: ctx.timers, writes: ctx.writes ?? new Map(), completed: ctx.completed }
}
