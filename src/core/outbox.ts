/**
 * The Ctx implementation: collects everything one event does on one node (sends, timers, durable
 * writes per component path, a client's completed result) and each component's events for its parent.
 */
import { Hasher, hashValue } from "../checker/hash.ts"
import type { Fingerprint } from "../checker/transition-system.ts"
import type { Address, Ctx, Tagged, TaggedClass } from "./node.ts"
import { tagOf } from "./node.ts"

/** A handler threw or failed: a bug in the protocol, reported as a violation with its trace. */
export class HandlerFailure extends Error {}

/** Source of choices for `ctx.choose`: a script (checker enumerates all) or a random draw (simulator). */
export interface Chooser {
  choose(n: number): number
}

const NO_CHOICES: ReadonlyArray<number> = Object.freeze([])

/** Enumerates choice scripts odometer-style: run with a script, then `next()` gives the following one. */
export class ScriptChooser implements Chooser {
  private i = 0
  // Most steps choose nothing: the lists are made on the first choice.
  private takenList: number[] | undefined = undefined
  private arities: number[] | undefined = undefined
  constructor(private readonly script: ReadonlyArray<number> = NO_CHOICES) {}
  /** The choices this run took, in order. */
  get taken(): ReadonlyArray<number> {
    return this.takenList ?? NO_CHOICES
  }
  choose(n: number): number {
    if (!(n >= 1)) throw new HandlerFailure(`choose(${n}): need at least one option`)
    const c = this.i < this.script.length ? this.script[this.i]! : 0
    this.i++
    ;(this.takenList ??= []).push(c)
    ;(this.arities ??= []).push(n)
    return c
  }
  /** The next script after this run, or undefined when every combination was tried. */
  next(): number[] | undefined {
    const taken = this.takenList
    const arities = this.arities
    if (!taken || !arities) return undefined
    for (let k = taken.length - 1; k >= 0; k--) if (taken[k]! + 1 < arities[k]!) return [...taken.slice(0, k), taken[k]! + 1]
    return undefined
  }
}

export const firstChoice: Chooser = { choose: () => 0 }

/** A pending timer of a node; `sub` is the component path it belongs to ("" for the node itself). */
export interface TimerRec {
  readonly timer: Tagged
  readonly min: number
  readonly max: number
  readonly sub: string
  /** Its 64-bit hash, computed once when it is set (a timer stays pending across many states). */
  readonly hi: number
  readonly lo: number
}

const timerHasher = new Hasher()
const timerPrint: Fingerprint = { hi: 0, lo: 0 }
export const timerRec = (timer: Tagged, min: number, max: number, sub: string): TimerRec => {
  timerHasher.reset()
  hashValue(timerHasher, timer)
  timerHasher.num(min).num(max).str(sub)
  timerHasher.finish(timerPrint)
  return { timer, min, max, sub, hi: timerPrint.hi, lo: timerPrint.lo }
}

/** A node's durable storage: one value per component path ("" for the node itself). */
export type Durable = Readonly<Record<string, unknown>>

/** What a component persisted last (undefined when it never did). */
export const storedAt = (durable: Durable | undefined, path = ""): unknown => durable?.[path]

/** Storage after a step's writes, keys in canonical (sorted) order. */
export const withWrites = (durable: Durable | undefined, writes: ReadonlyMap<string, unknown> | undefined): Durable | undefined => {
  if (!writes) return durable
  const out: Record<string, unknown> = { ...durable }
  let added = false
  for (const [k, v] of writes) {
    if (!(k in out)) added = true
    out[k] = v
  }
  // Spread keeps the (sorted) key order of `durable`; only a new path needs sorting.
  return added ? Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : out
}

const tags = new WeakMap<object, string>()
const cachedTag = (cls: TaggedClass<Tagged>): string => {
  let t = tags.get(cls)
  if (t === undefined) tags.set(cls, (t = tagOf(cls)))
  return t
}

// Component addresses and paths, built once: the same string each time hashes and compares fast.
const joins = new Map<string, Map<string, string>>()
const joined = (a: string, b: string): string => {
  let m = joins.get(a)
  if (m === undefined) joins.set(a, (m = new Map()))
  let s = m.get(b)
  if (s === undefined) m.set(b, (s = intern(`${a}/${b}`)))
  return s
}

/** The engine's one flat copy of `s` (property keys are internalized), so hashing and lookups treat it as a constant. */
export const intern = (s: string): string => Object.keys({ [s]: 0 })[0]!

/** Collects everything one step of one node does; components get child outboxes that share the outputs. */
export class Outbox implements Ctx<Tagged, Tagged, Tagged> {
  /** Messages sent in this step (a component's outbox shares its node's list). */
  readonly sends: Array<{ from: Address; to: Address; msg: Tagged }>
  timers: ReadonlyArray<TimerRec>
  /** Durable writes of this step, by component path (root outbox only). */
  writes: Map<string, unknown> | undefined
  completed: Tagged | undefined
  /** Events this component emitted during the step, for its parent (child outboxes only). */
  events: Tagged[] | undefined
  constructor(
    readonly self: Address,
    readonly peers: ReadonlyArray<Address>,
    timers: ReadonlyArray<TimerRec>,
    private readonly chooser: Chooser,
    private readonly storage: Durable | undefined = undefined,
    readonly sub = "",
    private readonly root?: Outbox
  ) {
    this.timers = timers
    this.sends = root ? root.sends : []
  }
  private get top(): Outbox {
    return this.root ?? this
  }
  send(to: Address, msg: Tagged): void {
    this.sends.push({ from: this.self, to, msg })
  }
  broadcast(to: Iterable<Address>, msg: Tagged): void {
    for (const a of to) this.send(a, msg)
  }
  setTimer(timer: Tagged, min: number, max = min): void {
    if (!(min >= 0 && max >= min)) throw new HandlerFailure(`setTimer(${timer._tag}, ${min}, ${max}): need 0 <= min <= max`)
    const top = this.top
    top.timers = [...top.timers, timerRec(timer, min, max, this.sub)]
  }
  cancelTimer(cls: TaggedClass<Tagged>): void {
    const tag = cachedTag(cls)
    const top = this.top
    const sub = this.sub
    if (top.timers.some((t) => t.timer._tag === tag && t.sub === sub)) top.timers = top.timers.filter((t) => !(t.timer._tag === tag && t.sub === sub))
  }
  persist(durable: unknown): void {
    const top = this.top
    ;(top.writes ??= new Map()).set(this.sub, durable)
  }
  /** What this component persisted before the step (for recover). */
  stored(): unknown {
    return storedAt(this.top.storage, this.sub)
  }
  choose(n: number): number {
    return this.chooser.choose(n)
  }
  complete(result: Tagged): void {
    const top = this.top
    if (top.completed !== undefined) throw new HandlerFailure(`${this.self} completed two results in one step`)
    top.completed = result
  }
  emit(event: Tagged): void {
    if (!this.root) throw new HandlerFailure(`${this.self} emitted ${event._tag} but is not a component of another node`)
    ;(this.events ??= []).push(event)
  }
  /** The context of an embedded component: its own address, timers and storage, the same outputs. */
  subnode(name: string): Outbox {
    return new Outbox(joined(this.self, name), this.peers, [], this.chooser, undefined, this.sub ? joined(this.sub, name) : name, this.top)
  }
}

/** The Outbox behind a handler's ctx (components need it to reach their children). */
export const outboxOf = (ctx: Ctx<any, any, any>): Outbox => {
  if (!(ctx instanceof Outbox)) throw new TypeError("not a tla-ts context (handlers get theirs from the framework)")
  return ctx
}
