/**
 * Applying the outputs of one node's step to the world: the configuration's fixed data (`Cluster`),
 * initial worlds, message delivery, timers, crashes and restarts. Shared by the checker and the
 * simulator; the routing of one event inside a node is in dispatch.ts.
 */
import type { Fingerprint } from "../checker/transition-system.ts"
import type { Config } from "./config.ts"
import { dispatchMessage, dispatchTimer, runEffect as run, startNode, subPathOf, timerPath } from "./dispatch.ts"
import { type Address, type ClientDef, type Ctx, isClientDef, type NodeDef, type Tagged } from "./node.ts"
import { type Chooser, firstChoice, HandlerFailure, Outbox, outboxOf, ScriptChooser, withWrites } from "./outbox.ts"
import { show } from "./show.ts"
import { trustingConstruction } from "./tagged-data.ts"
import { addResult, auxAfter, type ClientProgress, compareEnvelopes, type Envelope, envelopeHash, hashMessage, type HistoryEvent, makeEnvelope, makeNode, type NodeRec, type TimerRec, type World } from "./world.ts"

export { type Chooser, dispatchMessage, dispatchTimer, firstChoice, HandlerFailure, Outbox, ScriptChooser, subPathOf }

/** The context of a component, for parents that build their children's states by hand. */
export const subContext = (ctx: Ctx<any, any, any>, name: string): Ctx => outboxOf(ctx).subnode(name)

export const rootOf = (address: Address): Address => {
  const i = address.indexOf("/")
  return i < 0 ? address : address.slice(0, i)
}

/** Everything about a configuration that does not change during a run. */
export class Cluster {
  readonly addresses: ReadonlyArray<Address>
  readonly defs: ReadonlyArray<NodeDef<any, any, any>>
  readonly workloads: ReadonlyArray<ReadonlyArray<Tagged> | undefined>
  readonly index: ReadonlyMap<Address, number>
  readonly fifo: boolean
  /** Duplicating delivery: a message already in flight is not added again. */
  private readonly dedup: boolean
  readonly show: (x: Tagged) => string
  private readonly cmp: (a: Envelope, b: Envelope) => number
  private readonly group: ReadonlyMap<Address, number> | undefined

  constructor(readonly config: Config) {
    this.addresses = [...config.servers.map((s) => s.address), ...config.clients.map((c) => c.address)]
    this.defs = [...config.servers.map((s) => s.def), ...config.clients.map((c) => c.def)]
    this.workloads = [...config.servers.map(() => undefined), ...config.clients.map((c) => c.workload.commands)]
    this.index = new Map(this.addresses.map((a, i) => [a, i]))
    if (this.index.size !== this.addresses.length) throw new Error("configuration has two nodes with one address")
    for (const a of this.addresses) if (a.includes("/")) throw new Error(`address "${a}" may not contain "/" (reserved for sub-nodes)`)
    this.fifo = config.network?.delivery === "fifo"
    this.dedup = (config.network?.delivery ?? "duplicating") === "duplicating"
    this.cmp = compareEnvelopes(this.fifo)
    this.show = config.show ?? show
    const partition = config.network?.partition
    this.group = partition ? new Map(partition.flatMap((g, i) => g.map((a) => [a, i] as const))) : undefined
  }

  private readonly owners = new Map<Address, number | undefined>()
  /** The index of the node an address (or a component inside it) belongs to; cached per address. */
  nodeOf(address: Address): number | undefined {
    if (this.owners.has(address)) return this.owners.get(address)
    const i = this.index.get(rootOf(address))
    this.owners.set(address, i)
    return i
  }

  /** Whether messages can cross from `a` to `b` under the configured partition. */
  connected(a: Address, b: Address): boolean {
    if (!this.group) return true
    const ga = this.group.get(rootOf(a))
    return ga !== undefined && ga === this.group.get(rootOf(b))
  }

  isClient(i: number): boolean {
    return this.workloads[i] !== undefined
  }

  /** The initial world: every node's init, and each client's first command. */
  initialWorld(chooser: Chooser): World {
    let w: World = { nodes: [], net: [], sendSeq: 0, aux: { step: 0, history: undefined, messagesSent: 0 } }
    const nodes: NodeRec[] = []
    const outs: Outbox[] = []
    const history: HistoryEvent[] = []
    this.defs.forEach((def, i) => {
      const ctx = new Outbox(this.addresses[i]!, this.addresses, [], chooser)
      let state = trustingConstruction(() => startNode(def, undefined, false, ctx))
      let client: ClientProgress | undefined
      const commands = this.workloads[i]
      if (commands) {
        client = { next: 0, pending: commands.length > 0, results: undefined, rh: 0, rl: 0 }
        if (commands.length > 0) {
          const s0 = state
          state = trustingConstruction(() => run((def as ClientDef<any>).sendCommand(s0, commands[0]!, ctx), `${ctx.self} sending ${commands[0]!._tag}`))
          history.push({ client: ctx.self, step: 0, command: commands[0]! })
        }
      }
      nodes.push(makeNode(state, ctx.timers, true, withWrites(undefined, ctx.writes), client))
      outs.push(ctx)
    })
    w = { ...w, nodes }
    let hist = w.aux.history
    for (const e of history) hist = { head: e, tail: hist }
    w = { ...w, aux: { ...w.aux, history: hist } }
    for (const o of outs) w = this.addSends(w, o)
    return w
  }

  /** Runs `fn` as node i's step; applies its state, timers, durable storage, sends and client completion. */
  step(w: World, i: number, timers: ReadonlyArray<TimerRec>, chooser: Chooser, fn: (state: unknown, ctx: Outbox) => unknown, net = w.net): World {
    const rec = w.nodes[i]!
    const ctx = new Outbox(this.addresses[i]!, this.addresses, timers, chooser, rec.durable)
    // Handlers build their messages unvalidated (tagged-data.ts): what they send is checked where it arrives from outside.
    return trustingConstruction(() => this.applyStep(w, i, rec, ctx, fn(rec.state, ctx), net))
  }

  private applyStep(w: World, i: number, rec: NodeRec, ctx: Outbox, after: unknown, net: ReadonlyArray<Envelope>): World {
    const def = this.defs[i]!
    const self = this.addresses[i]!
    let state = after
    let client = rec.client
    let history = w.aux.history
    const step = w.aux.step + 1
    const stamp = w.aux.clock ?? step
    if (ctx.completed !== undefined) {
      if (!client || !client.pending) throw new HandlerFailure(`${self} completed a result with no command in flight`)
      history = { head: { client: self, step: stamp, result: ctx.completed }, tail: history }
      const next = client.next + 1
      const commands = this.workloads[i]!
      client = addResult(client, ctx.completed, next, next < commands.length)
      ctx.completed = undefined
      if (next < commands.length) {
        state = run((def as ClientDef<any>).sendCommand(state, commands[next]!, ctx), `${self} sending ${commands[next]!._tag}`)
        history = { head: { client: self, step: stamp, command: commands[next]! }, tail: history }
      }
    }
    const node = makeNode(state, ctx.timers, rec.up, withWrites(rec.durable, ctx.writes), client, rec)
    let nodes = w.nodes
    if (node !== rec) {
      const copy = nodes.slice()
      copy[i] = node
      nodes = copy
    }
    if (ctx.sends.length === 0) return { nodes, net, sendSeq: w.sendSeq, aux: auxAfter(w.aux, step, history, w.aux.messagesSent) }
    const sent = this.sent(net, w.sendSeq, ctx)
    return { nodes, net: sent.net, sendSeq: sent.seq, aux: auxAfter(w.aux, step, history, w.aux.messagesSent + ctx.sends.length) }
  }

  deliver(w: World, env: Envelope, consume: boolean, chooser: Chooser): World {
    const i = env.dst
    const net = consume ? removeOne(w.net, env) : w.net
    const def = this.defs[i]!
    const path = subPathOf(env.to)
    return this.step(w, i, w.nodes[i]!.timers, chooser, (s, ctx) => dispatchMessage(def, s, path, env.msg, env.from, ctx), net)
  }

  fireTimer(w: World, i: number, t: number, chooser: Chooser): World {
    const rec = w.nodes[i]!
    const timer = rec.timers[t]!
    const rest = rec.timers.filter((_, k) => k !== t)
    const def = this.defs[i]!
    const path = timerPath(timer.sub)
    return this.step(w, i, rest, chooser, (s, ctx) => dispatchTimer(def, s, path, timer.timer, ctx))
  }

  crash(w: World, i: number): World {
    const rec = w.nodes[i]!
    const nodes = w.nodes.slice()
    nodes[i] = makeNode(null, [], false, rec.durable, rec.client, rec)
    return { nodes, net: w.net, sendSeq: w.sendSeq, aux: auxAfter(w.aux, w.aux.step + 1, w.aux.history, w.aux.messagesSent) }
  }

  restart(w: World, i: number, chooser: Chooser): World {
    const rec = w.nodes[i]!
    const def = this.defs[i]!
    const ctx = new Outbox(this.addresses[i]!, this.addresses, [], chooser, rec.durable)
    const state = trustingConstruction(() => startNode(def, rec.durable, true, ctx))
    const nodes = w.nodes.slice()
    nodes[i] = makeNode(state, ctx.timers, true, withWrites(rec.durable, ctx.writes), rec.client, rec)
    return this.addSends({ nodes, net: w.net, sendSeq: w.sendSeq, aux: auxAfter(w.aux, w.aux.step + 1, w.aux.history, w.aux.messagesSent) }, ctx)
  }

  private addSends(w: World, ctx: Outbox): World {
    if (ctx.sends.length === 0) return w
    const { net, seq } = this.sent(w.net, w.sendSeq, ctx)
    return { nodes: w.nodes, net, sendSeq: seq, aux: auxAfter(w.aux, w.aux.step, w.aux.history, w.aux.messagesSent + ctx.sends.length) }
  }

  /**
   * The network with a step's sends added (in canonical order), and the next send number. The array
   * is copied at the first send that adds an envelope: a step whose sends are all in flight already
   * (duplicating delivery) keeps the network it had, and a duplicate is found by its hash before an
   * envelope is built.
   */
  private sent(before: ReadonlyArray<Envelope>, sendSeq: number, ctx: Outbox): { readonly net: ReadonlyArray<Envelope>; readonly seq: number } {
    let net: ReadonlyArray<Envelope> = before
    let copied: Envelope[] | undefined
    let seq = sendSeq
    let lastMsg: Tagged | undefined
    const mh = msgHash
    const eh = envHash
    const src = this.index.get(ctx.self)!
    for (const { from, to, msg } of ctx.sends) {
      const dst = this.nodeOf(to)
      if (dst === undefined) throw new HandlerFailure(`${from} sent ${msg._tag} to unknown address "${to}"`)
      if (!this.connected(from, to)) continue
      if (msg !== lastMsg) hashMessage(msg, mh)
      lastMsg = msg
      const s = seq++
      let at: number
      if (this.dedup) {
        envelopeHash(from, to, mh, eh)
        at = insertionPointByHash(net, eh.hi, eh.lo)
        if (at > 0 && net[at - 1]!.hi === eh.hi && net[at - 1]!.lo === eh.lo) continue
      }
      const env = makeEnvelope(from, to, src, dst, msg, mh, s)
      if (!this.dedup) at = insertionPoint(net, env, this.cmp)
      if (copied === undefined) net = copied = before.slice()
      copied.splice(at!, 0, env)
    }
    return { net, seq }
  }
}

const msgHash: Fingerprint = { hi: 0, lo: 0 }
const envHash: Fingerprint = { hi: 0, lo: 0 }

/** Where an envelope of hash (hi, lo) goes in a network ordered by hash (after the equal ones). */
const insertionPointByHash = (net: ReadonlyArray<Envelope>, hi: number, lo: number): number => {
  let a = 0
  let b = net.length
  while (a < b) {
    const mid = (a + b) >>> 1
    const e = net[mid]!
    if (e.hi < hi || (e.hi === hi && e.lo <= lo)) a = mid + 1
    else b = mid
  }
  return a
}

const insertionPoint = (net: ReadonlyArray<Envelope>, env: Envelope, cmp: (a: Envelope, b: Envelope) => number): number => {
  let lo = 0
  let hi = net.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (cmp(net[mid]!, env) <= 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

const removeOne = (net: ReadonlyArray<Envelope>, env: Envelope): Envelope[] => {
  const i = net.indexOf(env)
  const out = net.slice()
  out.splice(i, 1)
  return out
}

export { isClientDef }
