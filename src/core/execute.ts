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
import { addResult, auxAfter, type ClientProgress, compareEnvelopes, type Envelope, envelopeHash, fingerprintParts, hashMessage, type HistoryEvent, makeNode, netSum, summedNet, type NodeRec, type TimerRec, type World } from "./world.ts"

export { type Chooser, dispatchMessage, dispatchTimer, firstChoice, HandlerFailure, Outbox, ScriptChooser, subPathOf }

/** The context of a component, for parents that build their children's states by hand. */
export const subContext = (ctx: Ctx<any, any, any>, name: string): Ctx => outboxOf(ctx).subnode(name)

export const rootOf = (address: Address): Address => {
  const i = address.indexOf("/")
  return i < 0 ? address : address.slice(0, i)
}

/** Whether messages cross from `a` to `b` under `partition` (groups of node addresses; none: every pair connected). */
export const partitionLink = (partition: ReadonlyArray<ReadonlyArray<Address>> | undefined): ((a: Address, b: Address) => boolean) => {
  if (!partition) return () => true
  const group = new Map(partition.flatMap((g, i) => g.map((a) => [a, i] as const)))
  return (a, b) => {
    const ga = group.get(rootOf(a))
    return ga !== undefined && ga === group.get(rootOf(b))
  }
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
  /** Whether messages can cross from `a` to `b` under the configured partition (`partitionLink`). */
  readonly connected: (a: Address, b: Address) => boolean
  /** faults.forgetDown: a send to a crashed node is not added, and a crash takes out what is in flight to it. */
  private readonly forget: boolean

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
    this.connected = partitionLink(config.network?.partition)
    this.forget = config.faults?.forgetDown === true
    // With restarts a crashed node comes back to what was sent to it: forgetting it would lose behaviours.
    if (this.forget && config.faults?.restarts !== false) throw new Error("faults.forgetDown needs restarts: false")
  }

  private readonly owners = new Map<Address, number | undefined>()
  /** The index of the node an address (or a component inside it) belongs to; cached per address. */
  nodeOf(address: Address): number | undefined {
    if (this.owners.has(address)) return this.owners.get(address)
    const i = this.index.get(rootOf(address))
    this.owners.set(address, i)
    return i
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

  /**
   * Runs `fn` as node i's step (from record `rec`, its pending timers `timers`) and returns what it did,
   * apart from the rest of the world: the new record (completion and the client's next command
   * applied), the sends with their envelopes' hashes. A function of the record, the event and the
   * choices only, so the checker may keep it for the next world in which the record meets the event
   * again (step-memo.ts). Throws HandlerFailure.
   */
  nodeStep(rec: NodeRec, i: number, timers: ReadonlyArray<TimerRec>, up: boolean, chooser: Chooser, fn: (state: unknown, ctx: Outbox) => unknown): NodeStep {
    const ctx = new Outbox(this.addresses[i]!, this.addresses, timers, chooser, rec.durable)
    // Handlers build their messages unvalidated (tagged-data.ts): what they send is checked where it arrives from outside.
    return trustingConstruction(() => this.stepOutputs(i, rec, ctx, fn(rec.state, ctx), up))
  }

  private stepOutputs(i: number, rec: NodeRec, ctx: Outbox, after: unknown, up: boolean): NodeStep {
    const def = this.defs[i]!
    const self = this.addresses[i]!
    let state = after
    let client = rec.client
    const completed = ctx.completed
    let command: Tagged | undefined
    if (completed !== undefined) {
      if (!client || !client.pending) throw new HandlerFailure(`${self} completed a result with no command in flight`)
      const next = client.next + 1
      const commands = this.workloads[i]!
      client = addResult(client, completed, next, next < commands.length)
      ctx.completed = undefined
      if (next < commands.length) {
        command = commands[next]!
        state = run((def as ClientDef<any>).sendCommand(state, command, ctx), `${self} sending ${command._tag}`)
      }
    }
    const node = makeNode(state, ctx.timers, up, withWrites(rec.durable, ctx.writes), client, rec)
    return { node, unchanged: node === rec, sends: this.hashedSends(ctx), sendCount: ctx.sends.length, completed, command }
  }

  /** A step's sends that cross the partition, each with its envelope's hash (a broadcast's message hashed once). */
  private hashedSends(ctx: Outbox): ReadonlyArray<HashedSend> {
    if (ctx.sends.length === 0) return NO_SENDS
    const out: HashedSend[] = []
    let lastMsg: Tagged | undefined
    const mh = msgHash
    const src = this.index.get(ctx.self)!
    for (const { from, to, msg } of ctx.sends) {
      const dst = this.nodeOf(to)
      if (dst === undefined) throw new HandlerFailure(`${from} sent ${msg._tag} to unknown address "${to}"`)
      if (!this.connected(from, to)) continue
      if (msg !== lastMsg) hashMessage(msg, mh)
      lastMsg = msg
      envelopeHash(from, to, mh, envHash)
      out.push({ from, to, src, dst, msg, hi: envHash.hi, lo: envHash.lo })
    }
    return out
  }

  /** The world after node i's step `out`, taken from `w`, with `removed` (the delivered envelope, when delivery consumes it) out of the network. */
  applyNodeStep(w: World, i: number, out: NodeStep, removed?: Envelope): World {
    const step = w.aux.step + 1
    let history = w.aux.history
    if (out.completed !== undefined) {
      const self = this.addresses[i]!
      const stamp = w.aux.clock ?? step
      history = { head: { client: self, step: stamp, result: out.completed }, tail: history }
      if (out.command !== undefined) history = { head: { client: self, step: stamp, command: out.command }, tail: history }
    }
    let nodes = w.nodes
    const old = nodes[i]!
    // A step that left its record as it was (see makeNode) leaves the world's, which may be another object when the step is memoised.
    if (!out.unchanged && out.node !== old) {
      const copy = nodes.slice()
      copy[i] = out.node
      nodes = copy
    }
    const aux = auxAfter(w.aux, step, history, w.aux.messagesSent + out.sendCount)
    const sends = this.deliverable(nodes, out.sends)
    if (sends.length === 0) return { nodes, net: removed === undefined ? w.net : removeOne(w.net, removed), sendSeq: w.sendSeq + out.sends.length, aux }
    // Duplicating delivery (the only one that drops duplicates) never consumes: there `removed` is undefined.
    const before = removed !== undefined && this.dedup ? removeOne(w.net, removed) : w.net
    return { nodes, net: this.withSends(before, before === w.net ? removed : undefined, w.sendSeq, sends), sendSeq: w.sendSeq + out.sends.length, aux }
  }

  /** `sends` but those to a node down in `nodes` when messages to crashed nodes are forgotten (`sends` itself when none is). */
  private deliverable(nodes: ReadonlyArray<NodeRec>, sends: ReadonlyArray<HashedSend>): ReadonlyArray<HashedSend> {
    if (!this.forget) return sends
    let k = 0
    while (k < sends.length && nodes[sends[k]!.dst]!.up) k++
    return k === sends.length ? sends : sends.filter((h) => nodes[h.dst]!.up)
  }

  /** Whether `h` is a send to a crashed node that the network forgets (`deliverable`). */
  private forgotten(nodes: ReadonlyArray<NodeRec>, h: HashedSend): boolean {
    return this.forget && !nodes[h.dst]!.up
  }

  /**
   * Writes into `into` the fingerprint of the world after a step, without building it, and returns
   * true; false on a FIFO network, whose print reads every envelope in order. The step gives node i
   * record `rec` (i -1: no record changes), takes `removed` out of the network and sends `sends`:
   * `applyNodeStep(w, i, out, removed)` with out's record and sends, a crash, a drop. A search that
   * has seen that print need not build the world (compile.ts `unseenSuccessors`).
   */
  printAfter(w: World, i: number, rec: NodeRec | undefined, sends: ReadonlyArray<HashedSend>, removed: Envelope | undefined, into: Fingerprint): boolean {
    if (this.fifo || (removed !== undefined && this.dedup)) return false
    const net = w.net
    const c = netSum(net)
    let sh = c[0]
    let sl = c[1]
    let length = net.length
    if (removed !== undefined) {
      sh = (sh - removed.hi) | 0
      sl = (sl - removed.lo) | 0
      length--
    }
    // A crash (node i's record down) takes out what is in flight to it (`crash`).
    if (this.forget && rec !== undefined && !rec.up)
      for (const e of net)
        if (e.dst === i) {
          sh = (sh - e.hi) | 0
          sl = (sl - e.lo) | 0
          length--
        }
    for (let k = 0; k < sends.length; k++) {
      const h = sends[k]!
      if (this.forgotten(w.nodes, h)) continue
      // On a duplicating network a send already in flight, or sent earlier in this step, adds nothing (withSends).
      if (this.dedup && (heldBefore(net, insertionPointByHash(net, h.hi, h.lo), h.hi, h.lo) || sentBefore(sends, k))) continue
      sh = (sh + h.hi) | 0
      sl = (sl + h.lo) | 0
      length++
    }
    fingerprintParts(w.nodes, i, rec, length, sh, sl, into)
    return true
  }

  /** Node `env.dst`'s step on receiving `env`, from record `rec`. */
  deliverStep(rec: NodeRec, env: Envelope, chooser: Chooser): NodeStep {
    const def = this.defs[env.dst]!
    const path = subPathOf(env.to)
    return this.nodeStep(rec, env.dst, rec.timers, rec.up, chooser, (s, ctx) => dispatchMessage(def, s, path, env.msg, env.from, ctx))
  }

  /** Node i's step on its timer t firing, from record `rec`. */
  timerStep(rec: NodeRec, i: number, t: number, chooser: Chooser): NodeStep {
    const timer = rec.timers[t]!
    const rest = rec.timers.filter((_, k) => k !== t)
    const def = this.defs[i]!
    const path = timerPath(timer.sub)
    return this.nodeStep(rec, i, rest, rec.up, chooser, (s, ctx) => dispatchTimer(def, s, path, timer.timer, ctx))
  }

  /** Node i's restart from its storage, from its (crashed) record `rec`. */
  restartStep(rec: NodeRec, i: number, chooser: Chooser): NodeStep {
    const def = this.defs[i]!
    return this.nodeStep(rec, i, [], true, chooser, (_, ctx) => startNode(def, rec.durable, true, ctx))
  }

  /** The network without `env` (the envelope itself, from `net`): a message dropped. */
  netWithout(net: ReadonlyArray<Envelope>, env: Envelope): ReadonlyArray<Envelope> {
    return removeOne(net, env)
  }

  deliver(w: World, env: Envelope, consume: boolean, chooser: Chooser): World {
    return this.applyNodeStep(w, env.dst, this.deliverStep(w.nodes[env.dst]!, env, chooser), consume ? env : undefined)
  }

  fireTimer(w: World, i: number, t: number, chooser: Chooser): World {
    return this.applyNodeStep(w, i, this.timerStep(w.nodes[i]!, i, t, chooser))
  }

  /** Node i's record after it crashed from `rec`: a function of the record, kept per record. */
  crashed(rec: NodeRec): NodeRec {
    let down = this.downs.get(rec)
    if (down === undefined) this.downs.set(rec, (down = makeNode(null, [], false, rec.durable, rec.client, rec)))
    return down
  }
  private readonly downs = new WeakMap<NodeRec, NodeRec>()

  crash(w: World, i: number): World {
    const nodes = w.nodes.slice()
    nodes[i] = this.crashed(w.nodes[i]!)
    const net = this.forget && w.net.some((e) => e.dst === i) ? summedNetOf(w.net.filter((e) => e.dst !== i)) : w.net
    return { nodes, net, sendSeq: w.sendSeq, aux: auxAfter(w.aux, w.aux.step + 1, w.aux.history, w.aux.messagesSent) }
  }

  restart(w: World, i: number, chooser: Chooser): World {
    return this.applyNodeStep(w, i, this.restartStep(w.nodes[i]!, i, chooser))
  }

  private addSends(w: World, ctx: Outbox): World {
    if (ctx.sends.length === 0) return w
    const sends = this.hashedSends(ctx)
    return { nodes: w.nodes, net: this.withSends(w.net, undefined, w.sendSeq, sends), sendSeq: w.sendSeq + sends.length, aux: auxAfter(w.aux, w.aux.step, w.aux.history, w.aux.messagesSent + ctx.sends.length) }
  }

  /**
   * Whether none of `sends` would add to the world `w`'s network: each in flight already, on a network
   * that does not add a message twice (duplicating delivery), or to a crashed node forgotten.
   */
  inFlight(w: World, sends: ReadonlyArray<HashedSend>): boolean {
    if (sends.length === 0) return true
    const net = w.net
    for (const h of sends) {
      if (this.forgotten(w.nodes, h)) continue
      if (!this.dedup || !heldBefore(net, insertionPointByHash(net, h.hi, h.lo), h.hi, h.lo)) return false
    }
    return true
  }

  /**
   * The network with a step's sends added (in canonical order), numbered from `sendSeq`, and
   * `removed` (an envelope of `before`, on a network that does not drop duplicates) taken out in the
   * same copy. A step whose sends are all in flight already (duplicating delivery) keeps the network
   * it had, and a duplicate is found by its hash before an envelope is built. The envelopes to add
   * come first, then one copy at its length.
   */
  private withSends(before: ReadonlyArray<Envelope>, removed: Envelope | undefined, sendSeq: number, sends: ReadonlyArray<HashedSend>): ReadonlyArray<Envelope> {
    const adds = this.adds
    let seq = sendSeq
    for (let k = 0; k < sends.length; k++) {
      const h = sends[k]!
      const s = seq++
      // Held already, or sent earlier in this step (withSends placed it then): what printAfter leaves out too.
      if (this.dedup && (heldBefore(before, insertionPointByHash(before, h.hi, h.lo), h.hi, h.lo) || sentBefore(sends, k))) continue
      adds.push({ from: h.from, to: h.to, src: h.src, dst: h.dst, msg: h.msg, seq: s, hi: h.hi, lo: h.lo })
    }
    if (adds.length === 0) return removed === undefined ? before : removeOne(before, removed)
    const sum = netSum(before)
    let sh = sum[0]
    let sl = sum[1]
    // Allocated at its length (a `slice` and a `push` grew the store by half again; `concat` of an array
    // allocates twice the copy): the new envelopes at the end for now.
    let n = before.length
    const copied: Envelope[] = new Array(n + adds.length)
    for (let k = 0; k < n; k++) copied[k] = before[k]!
    for (let j = 0; j < adds.length; j++) copied[n + j] = adds[j]!
    if (removed !== undefined) {
      // Shifted down by hand: `splice` would build an array of what it removes.
      for (let k = before.indexOf(removed); k < copied.length - 1; k++) copied[k] = copied[k + 1]!
      copied.pop()
      n--
      sh = (sh - removed.hi) | 0
      sl = (sl - removed.lo) | 0
    }
    // Each new envelope moved from the end to its place among those before it, as if inserted one by one.
    for (let j = 0; j < adds.length; j++) {
      const env = adds[j]!
      const end = n + j
      const at = this.dedup ? insertionPointByHash(copied, env.hi, env.lo, end) : insertionPoint(copied, env, this.cmp, end)
      for (let k = end; k > at; k--) copied[k] = copied[k - 1]!
      copied[at] = env
      sh = (sh + env.hi) | 0
      sl = (sl + env.lo) | 0
    }
    adds.length = 0
    return summedNet(copied, sh, sl)
  }
  /** withSends' envelopes to add (emptied after each step: it keeps none). */
  private readonly adds: Envelope[] = []
}

/** One send of a step, with its envelope's hash: an envelope but for its send number. */
export interface HashedSend {
  readonly from: Address
  readonly to: Address
  readonly src: number
  readonly dst: number
  readonly msg: Tagged
  readonly hi: number
  readonly lo: number
}

const NO_SENDS: ReadonlyArray<HashedSend> = []

/** What one step of one node did, apart from the world around it (see `Cluster.nodeStep`). */
export interface NodeStep {
  readonly node: NodeRec
  /** The step left the record as it was (`node` is the record it started from). */
  readonly unchanged: boolean
  /** The sends that cross the partition, in order. */
  readonly sends: ReadonlyArray<HashedSend>
  /** Every send, counted in `messagesSent`. */
  readonly sendCount: number
  /** A client's result, and the next command it then sent. */
  readonly completed: Tagged | undefined
  readonly command: Tagged | undefined
}

const msgHash: Fingerprint = { hi: 0, lo: 0 }
const envHash: Fingerprint = { hi: 0, lo: 0 }

/** Whether the envelope just before insertion point `at` has hash (hi, lo): one of that hash is in flight. */
const heldBefore = (net: ReadonlyArray<Envelope>, at: number, hi: number, lo: number): boolean => at > 0 && net[at - 1]!.hi === hi && net[at - 1]!.lo === lo

/** Whether a send before the k-th of `sends` has its hash. */
const sentBefore = (sends: ReadonlyArray<HashedSend>, k: number): boolean => {
  const h = sends[k]!
  for (let j = 0; j < k; j++) if (sends[j]!.hi === h.hi && sends[j]!.lo === h.lo) return true
  return false
}

/** Where an envelope of hash (hi, lo) goes in a network ordered by hash (after the equal ones), among its first `length`. */
const insertionPointByHash = (net: ReadonlyArray<Envelope>, hi: number, lo: number, length = net.length): number => {
  let a = 0
  let b = length
  while (a < b) {
    const mid = (a + b) >>> 1
    const e = net[mid]!
    if (e.hi < hi || (e.hi === hi && e.lo <= lo)) a = mid + 1
    else b = mid
  }
  return a
}

const insertionPoint = (net: ReadonlyArray<Envelope>, env: Envelope, cmp: (a: Envelope, b: Envelope) => number, length: number): number => {
  let lo = 0
  let hi = length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (cmp(net[mid]!, env) <= 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** A copy of `net` without `env` (the envelope itself), not yet summed. */
const without = (net: ReadonlyArray<Envelope>, env: Envelope): Envelope[] => {
  const out = net.slice()
  // Shifted down by hand: `splice` would build an array of what it removes.
  for (let k = net.indexOf(env); k < out.length - 1; k++) out[k] = out[k + 1]!
  out.pop()
  return out
}

/** `net` (a fresh array) with its hash sums set. */
const summedNetOf = (net: Envelope[]): Envelope[] => {
  const [sh, sl] = netSum(net)
  return summedNet(net, sh, sl)
}

const removeOne = (net: ReadonlyArray<Envelope>, env: Envelope): Envelope[] => {
  const [sh, sl] = netSum(net)
  return summedNet(without(net, env), (sh - env.hi) | 0, (sl - env.lo) | 0)
}

export { isClientDef }
