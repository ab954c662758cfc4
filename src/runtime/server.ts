/**
 * A server process's runtime: the protocol's server node driven by real events. Messages from peers
 * and clients arrive as frames, timers fire on the real clock, and a step's persisted value goes to
 * Storage; the step's sends (and those of every later step) are held until what it persisted is on
 * disk, so nothing a peer or client sees can be lost by a crash. A client's reply waits only for the
 * eager records (Storage's lazy records hold only what the protocol re-learns after a crash, so the
 * reply is computed again the same): it is not held behind a lazy record for up to its `lazyMs`; nor
 * are the messages the service names `eagerOnly`.
 */
import type { Server, Socket } from "node:net"
import { Rng } from "../checker/random.ts"
import { HandlerFailure, rootOf } from "../core/execute.ts"
import type { Address, NodeDef, Tagged } from "../core/node.ts"
import { Actor, type StepEvent } from "./actor.ts"
import { DecodeError } from "./codec.ts"
import { runInit, runRecover, type Send, type StepOutput } from "./driver.ts"
import type { Service } from "./services.ts"
import { CoverHold, ResendDamper } from "./resend.ts"
import { CatchUpHold } from "./catch-up.ts"
import { Storage } from "./storage.ts"
import type { Timing } from "./timing.ts"
import { Conn, Dialer, type Endpoint, listen, showEndpoint } from "./transport.ts"
import { MAX_CLIENT_FRAME } from "./frames.ts"
import { decodeEnvelope, decodePeerHello, encodeEnvelope, isClientHello, peerHello, serverInfo } from "./wire.ts"

export interface ServerOptions {
  readonly service: Service
  readonly id: Address
  /** Every server of the cluster (this one included) and its peer address. */
  readonly peers: ReadonlyMap<Address, Endpoint>
  readonly clientPort?: Endpoint
  readonly dataDir: string
  readonly seed: number
  readonly log: (line: string) => void
  /** Records every step (for conformance traces). */
  readonly record?: (event: StepEvent, out: StepOutput) => void
  readonly compactBytes?: number
  /** Milliseconds per protocol time unit (default 1); told to clients, whose timers use it too. */
  readonly timeUnit?: number
  /** Run this node definition instead of the service's (conformance runs use a model's own). */
  readonly def?: NodeDef<any, any, any>
  /** Hold every message of a persisting step until its write is durable, even those the service lets overlap it (for measuring). */
  readonly noOverlap?: boolean
  /** Fault injection (see StorageOptions.diskDelayMs). */
  readonly diskDelayMs?: number
  /** How long a lazy record waits for a write to carry it (see StorageOptions.lazyMs). */
  readonly lazyMs?: number
  /** A planted bug for the fault tests: every message leaves at once, durable or not. */
  readonly unsafeNoWait?: boolean
  /** Marks each frame decoded, step done, write submitted and durable, frame sent (bench/runtime-latency.ts). */
  readonly timing?: Timing
  /** Open connections on the client port, at most (default MAX_CLIENT_CONNECTIONS); one more is closed at once, with a log line. */
  readonly maxClientConnections?: number
}

/**
 * Client connections held open at once, by default: each may buffer a frame of up to MAX_CLIENT_FRAME
 * (8 MiB) while it arrives, so the cap bounds what the open client port can make a node hold (1 GiB).
 * A client process shares one connection per node among its sessions (`tla-ts kv bench --clients 64`
 * opens one), so 128 processes may talk to a node at once.
 */
export const MAX_CLIENT_CONNECTIONS = 128

/** Malformed frames logged per connection before the rest are only counted. */
const LOGGED_DROPS = 5
/** How long a retransmission on unchanged connections is left out (see resend.ts). */
const RESEND_WINDOW_MS = 500
/** How long a sent AppendEntries stands in for an InstallSnapshot up to the point it reaches (catch-up.ts). */
const CATCH_UP_WINDOW_MS = 2000
/** How long a sent message stands in for later ones it carries (Service.covers): under the election timeout less a heartbeat (Raft: 150 - 50 ms). */
const COVER_WINDOW_MS = 50
/** How far back in a destination's queue a message looks for one to merge with (Service.merges). */
const MERGE_LOOKBACK = 8

export class RuntimeServer {
  private actor!: Actor
  private storage!: Storage
  private readonly dialers = new Map<Address, Dialer>()
  private readonly clients = new Map<Address, Conn>()
  private readonly conns = new Set<Conn>()
  private readonly servers: Server[] = []
  /** Outputs waiting for the storage sequence number they depend on. */
  private held: Array<{ seq: number; sends: ReadonlyArray<Send> }> = []
  /** Client replies (and the service's `eagerOnly` messages) waiting for the last eager record before them (in order: eager numbers only grow). */
  private heldReplies: Array<{ seq: number; sends: ReadonlyArray<Send> }> = []
  private lastLeader = ""
  /** Client addresses of the peers (from their hellos), passed on to clients. */
  private readonly peerClients = new Map<Address, string>()
  private readonly clientConns = new Set<Conn>()
  /** Every open connection accepted on the client port (said hello or not), for maxClientConnections. */
  private readonly clientPortConns = new Set<Conn>()
  /** Connections refused at the cap since the last refusal logged (one line a second at most). */
  private refused = { count: 0, loggedAt: -Infinity }
  private readonly outgoing = new Map<Address, Send[]>()
  /** Each peer's connection to this node (from its hello): the way its answers come back. */
  private readonly peerIn = new Map<Address, Conn>()
  private readonly damper = new ResendDamper(RESEND_WINDOW_MS)
  private readonly catchUp = new CatchUpHold(CATCH_UP_WINDOW_MS)
  private readonly covered: CoverHold<Tagged> | undefined
  /** A flush is queued for the end of the current callback (an overlapping send: it races the step's own write). */
  private flushSoon = false
  /** A flush is queued for the end of the event loop's poll phase (every other send). */
  private flushAfterPoll = false
  private stopping = false

  constructor(private readonly o: ServerOptions) {
    if (o.service.covers) this.covered = new CoverHold(COVER_WINDOW_MS, o.service.covers)
  }

  get state(): unknown {
    return this.actor.state
  }

  /** Storage's sequence numbers: the last record persisted, the last eager one, the last durable (a test reads what a message could have waited for). */
  get records(): { readonly last: number; readonly eager: number; readonly durable: number } {
    return { last: this.storage.lastSeq, eager: this.storage.eagerSeq, durable: this.storage.durableSeq }
  }

  async start(): Promise<void> {
    const { service, id, peers, log } = this.o
    const ids = [...peers.keys()]
    this.storage = Storage.open(this.o.dataDir, { protocol: service.name, id }, service.registry, {
      ...(this.o.compactBytes !== undefined ? { compactBytes: this.o.compactBytes } : {}),
      log: (l) => log(l),
      check: service.checkRecord,
      ...(service.adopt ? { adopt: service.adopt } : {}),
      ...(this.o.diskDelayMs ? { diskDelayMs: this.o.diskDelayMs } : {}),
      ...(this.o.lazyMs !== undefined ? { lazyMs: this.o.lazyMs } : {}),
      ...(this.o.timing ? { timing: this.o.timing } : {}),
    })
    const rec = (this.storage as Storage & { recovered: { records: number; torn: number } }).recovered
    this.storage.onDurable((seq) => this.release(seq))
    const rng = new Rng(this.o.seed)
    const env = { def: this.o.def ?? service.server(ids), self: id, peers: ids, chooser: { choose: (n: number) => rng.int(n) }, durable: () => this.storage.value }
    this.actor = new Actor(env, rng, (out, ev) => this.afterStep(out, ev), (e, ev) => this.stepFailed(e, ev), this.o.timeUnit ?? 1)
    const self = peers.get(id)!
    this.servers.push(await listen(self, (s) => this.acceptPeer(s)))
    if (this.o.clientPort) this.servers.push(await listen(this.o.clientPort, (s) => this.acceptClient(s)))
    for (const [peer, ep] of peers)
      if (peer !== id) this.dialers.set(peer, new Dialer(ep, { hello: peerHello(id, service.name, this.o.clientPort && showEndpoint(this.o.clientPort)), maxBackoff: 250, onBad: (r, c) => log(`dropped frame from ${peer} (${c.peer}): ${r}`) }))
    if (this.storage.hasValue) {
      log(`recovered from ${this.o.dataDir} (${rec.records} log records${rec.torn ? `, torn tail of ${rec.torn} bytes cut` : ""})`)
      this.actor.start(runRecover(env, this.storage.value), { kind: "recover" })
    } else {
      log(`fresh start in ${this.o.dataDir}`)
      this.actor.start(runInit(env), { kind: "init" })
    }
    if ((this.o.timeUnit ?? 1) !== 1) log(`time unit: ${this.o.timeUnit} ms`)
    log(`listening: peers on ${showEndpoint(self)}${this.o.clientPort ? `, clients on ${showEndpoint(this.o.clientPort)}` : ""}`)
  }

  private afterStep(out: StepOutput, event: StepEvent): void {
    this.o.record?.(event, out)
    let sends = out.sends
    const overlaps = this.o.service.overlaps
    if (overlaps && out.persisted && sends.length > 0 && !this.o.noOverlap) {
      // The protocol's own exceptions: messages that may leave while this step's write is under way
      // (queued before the write, so they are on the wire before the record is written).
      const durable = this.storage.durableValue
      const early = sends.filter((s) => rootOf(s.to) !== this.o.id && overlaps(s.msg, durable, out.durable))
      if (early.length > 0) {
        this.transmit(early, true)
        sends = sends.filter((s) => !early.includes(s))
      }
    }
    const lazy = out.persisted && this.storage.hasValue && this.o.service.lazy?.(this.storage.value, out.durable) === true
    const seq = out.persisted ? this.storage.persist(out.durable, lazy) : this.storage.lastSeq
    this.o.timing?.mark(`step ${event.kind === "message" ? event.msg._tag : event.kind === "timer" ? event.timer.timer._tag : event.kind}${out.persisted ? ` persist${lazy ? " lazy" : ""} ${seq}` : ""}`)
    if (sends.length > 0 && this.o.unsafeNoWait) this.transmit(sends, true)
    else if (sends.length > 0) {
      const eager = this.storage.eagerSeq
      const eagerOnly = this.o.service.eagerOnly
      const replies = eager < seq ? sends.filter((s) => this.clients.has(rootOf(s.to)) || eagerOnly?.(s.msg) === true) : []
      if (replies.length > 0) {
        sends = sends.filter((s) => !replies.includes(s))
        this.hold(this.heldReplies, eager, replies)
      }
      if (sends.length > 0) this.hold(this.held, seq, sends)
    }
    const leader = this.o.service.leader(out.state, this.o.id)
    if (leader !== this.lastLeader) {
      this.lastLeader = leader
      this.o.log(leader)
    }
  }

  /** Sends at once what is durable with nothing held before it; holds the rest in order. */
  private hold(queue: Array<{ seq: number; sends: ReadonlyArray<Send> }>, seq: number, sends: ReadonlyArray<Send>): void {
    if (seq <= this.storage.durableSeq && queue.length === 0) this.transmit(sends)
    else queue.push({ seq, sends })
  }

  private release(synced: number): void {
    this.held = this.releaseFrom(this.held, synced)
    this.heldReplies = this.releaseFrom(this.heldReplies, synced)
  }

  private releaseFrom(queue: Array<{ seq: number; sends: ReadonlyArray<Send> }>, synced: number): Array<{ seq: number; sends: ReadonlyArray<Send> }> {
    let k = 0
    while (k < queue.length && queue[k]!.seq <= synced) this.transmit(queue[k++]!.sends)
    return k > 0 ? queue.slice(k) : queue
  }

  /**
   * Queues sends per destination, leaving out superseded ones, until the end of the event loop's poll
   * phase (setImmediate): the frames of every socket that was ready in one poll go out in one write per
   * destination, not one per callback (at 64 clients a Paxos leader made five writes and five reads per
   * put). A `soon` send (one that overlaps its step's write: the replication a leader's own fdatasync
   * races) goes at the end of the current callback, before the step's record is written.
   */
  private transmit(sends: ReadonlyArray<Send>, soon = false): void {
    const supersedes = this.o.service.supersedes
    // A recorded run sends only what its steps sent (conformance).
    const merges = this.o.record ? undefined : this.o.service.merges
    for (const s of sends) {
      const root = rootOf(s.to)
      if (root === this.o.id) {
        setImmediate(() => this.actor.deliver(s.to, s.msg, s.from))
        continue
      }
      let q = this.outgoing.get(root)
      if (!q) this.outgoing.set(root, (q = []))
      while (supersedes && q.length > 0 && q[q.length - 1]!.to === s.to && supersedes(q[q.length - 1]!.msg, s.msg)) q.pop()
      if (!(merges && this.merged(q, s, merges))) q.push(s)
    }
    if (this.outgoing.size === 0) return
    if (soon && !this.flushSoon) {
      this.flushSoon = true
      process.nextTick(() => {
        this.flushSoon = false
        this.flushOutgoing()
      })
    } else if (!soon && !this.flushAfterPoll) {
      this.flushAfterPoll = true
      setImmediate(() => {
        this.flushAfterPoll = false
        this.flushOutgoing()
      })
    }
  }

  /** Folds `s` into a message queued a little before it for the same address, if the service merges the two (Service.merges). */
  private merged(q: Send[], s: Send, merges: (earlier: Tagged, later: Tagged) => Tagged | undefined): boolean {
    for (let i = q.length - 1; i >= Math.max(0, q.length - MERGE_LOOKBACK); i--) {
      const e = q[i]!
      if (e.to !== s.to || e.from !== s.from) continue
      const m = merges(e.msg, s.msg)
      if (m === undefined) continue
      q[i] = { from: e.from, to: e.to, msg: m }
      return true
    }
    return false
  }

  /** Sends what is queued, one write per socket: clients' answers first, then peers'. */
  private flushOutgoing(): void {
    // Many clients may share one connection (a client process's sessions): one write per connection.
    const toClients = new Map<Conn, string[]>()
    for (const [root, q] of this.outgoing) {
      if (this.dialers.has(root)) continue
      const c = this.clients.get(root)
      if (!c) continue
      let texts = toClients.get(c)
      if (!texts) toClients.set(c, (texts = []))
      for (const s of q) {
        texts.push(encodeEnvelope(s.to, s.msg, s.from))
        this.o.timing?.mark(`send ${s.msg._tag} client`)
      }
    }
    for (const [c, texts] of toClients) c.sendNow(texts)
    const resends = this.o.service.resends
    const { reaches, transfers } = this.o.service
    for (const [root, q] of this.outgoing) {
      const out = this.dialers.get(root)?.connection
      if (!out) continue // down: the frames are lost, as on a lossy network
      const texts: string[] = []
      for (const s of q) {
        if (this.covered?.needless(root, s.msg, out, this.peerIn.get(root))) continue
        const reach = reaches?.(s.msg)
        if (reach) this.catchUp.sent(root, reach, out)
        const needs = transfers?.(s.msg)
        if (needs && this.catchUp.needless(root, needs, out)) continue
        const text = encodeEnvelope(s.to, s.msg, s.from)
        if (resends?.(s.msg) && this.damper.redundant(root, text, out, this.peerIn.get(root))) continue
        texts.push(text)
        this.o.timing?.mark(`send ${s.msg._tag} ${root}`)
      }
      out.sendNow(texts)
    }
    this.outgoing.clear()
  }

  private stepFailed(e: unknown, ev: StepEvent): void {
    if (!(e instanceof HandlerFailure)) throw e
    this.o.log(`step failed (${ev.kind}${ev.kind === "message" ? ` ${ev.msg._tag} from ${ev.from}` : ""}), event dropped: ${e.message}`)
  }

  private track(s: Socket, onFrame: (payload: string, conn: Conn, first: boolean) => void, who: () => string, maxFrame?: number): Conn {
    let first = true
    let drops = 0
    const conn = new Conn(
      s,
      (f, c) => {
        const isFirst = first
        first = false
        try {
          onFrame(f, c, isFirst)
        } catch (e) {
          if (!(e instanceof DecodeError)) throw e
          if (isFirst) {
            this.o.log(`refused connection from ${c.peer}: ${e.message}`)
            c.close()
          } else if (++drops <= LOGGED_DROPS) this.o.log(`dropped frame from ${who()} (${c.peer}): ${e.message}${drops === LOGGED_DROPS ? " (further drops on this connection not logged)" : ""}`)
        }
      },
      (c) => {
        this.conns.delete(c)
        this.clientConns.delete(c)
        this.clientPortConns.delete(c)
        for (const [client, via] of this.clients) if (via === c) this.clients.delete(client)
      },
      (r, c) => this.o.log(`dropped frame from ${who()} (${c.peer}): ${r}`),
      maxFrame
    )
    this.conns.add(conn)
    return conn
  }

  private acceptPeer(s: Socket): void {
    const { service, peers, id } = this.o
    let from: Address = "unknown peer"
    this.track(
      s,
      (payload, conn, first) => {
        if (first) {
          const h = decodePeerHello(payload)
          if (!peers.has(h.id) || h.id === id) throw new DecodeError(`hello from "${h.id.slice(0, 40)}", not a peer of ${id}`)
          if (h.protocol !== service.name) throw new DecodeError(`peer ${h.id} runs ${h.protocol}, this node ${service.name}`)
          from = h.id
          this.peerIn.set(h.id, conn)
          if (h.client && this.peerClients.get(h.id) !== h.client) {
            this.peerClients.set(h.id, h.client)
            for (const c of this.clientConns) c.send(this.info())
          }
          return
        }
        // The sender may be a component of the peer (peer/child): its root must be the peer that said hello.
        const env = decodeEnvelope(payload, service.registry, true)
        if (rootOf(env.to) !== id) throw new DecodeError(`addressed to ${env.to.slice(0, 40)}, not ${id}`)
        if (rootOf(env.from!) !== from) throw new DecodeError(`claims to come from ${env.from!.slice(0, 40)}`)
        this.o.timing?.mark(`recv ${env.msg._tag} ${from}`)
        if (!this.stopping) this.actor.deliver(env.to, env.msg, env.from!)
      },
      () => from
    )
  }

  private acceptClient(s: Socket): void {
    const { service, id, peers } = this.o
    const max = this.o.maxClientConnections ?? MAX_CLIENT_CONNECTIONS
    if (this.clientPortConns.size >= max) {
      const peer = `${s.remoteAddress ?? "?"}:${s.remotePort ?? "?"}`
      s.destroy()
      // One line a second at most: a flood of connections must not become a flood of log lines.
      const now = performance.now()
      if (now - this.refused.loggedAt < 1000) this.refused.count++
      else {
        const more = this.refused.count > 0 ? ` (and ${this.refused.count} more since the last such line)` : ""
        this.o.log(`refused client connection from ${peer}: ${max} client connections already open, the most --max-clients allows${more}`)
        this.refused = { count: 0, loggedAt: now }
      }
      return
    }
    let who = "client"
    const conn = this.track(
      s,
      (payload, conn, first) => {
        if (first) {
          if (!isClientHello(payload)) throw new DecodeError("expected a client hello")
          this.clientConns.add(conn)
          conn.send(this.info())
          return
        }
        const env = decodeEnvelope(payload, service.registry, true, service.clientTags)
        const from = env.from!
        if (peers.has(rootOf(from))) throw new DecodeError(`a client may not call itself ${from.slice(0, 40)}`)
        if (rootOf(env.to) !== id) throw new DecodeError(`addressed to ${env.to.slice(0, 40)}, not ${id}`)
        who = `client ${from}`
        if (this.clients.get(from) !== conn) this.clients.set(from, conn)
        this.o.timing?.mark(`recv ${env.msg._tag} client`)
        if (!this.stopping) this.actor.deliver(env.to, env.msg, from)
      },
      () => who,
      MAX_CLIENT_FRAME
    )
    if (conn.isOpen) this.clientPortConns.add(conn)
  }

  private info(): string {
    const { service, id, peers, clientPort } = this.o
    const clients = Object.fromEntries(this.peerClients)
    if (clientPort) clients[id] = showEndpoint(clientPort)
    return serverInfo({ node: id, protocol: service.name, servers: [...peers.keys()], clients, timeUnit: this.o.timeUnit ?? 1 })
  }

  /** Stops accepting events, waits for pending writes, closes everything. */
  async stop(): Promise<void> {
    this.stopping = true
    this.actor?.stop()
    for (const d of this.dialers.values()) d.close()
    for (const c of this.conns) c.close()
    await Promise.all(this.servers.map((s) => new Promise((r) => s.close(r))))
    await this.storage?.close()
  }
}
