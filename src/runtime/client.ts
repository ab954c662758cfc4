/**
 * The client library: connects to a cluster's client ports, learns the protocol and the servers from
 * the first node that answers, and runs the protocol's own exactly-once client node (retries, leader
 * hints, the same code the checker explored) for each session. A session is one logical client with a
 * unique id and one command in flight; `execute` resolves with the command's result.
 */
import { hostname } from "node:os"
import { Rng } from "../checker/random.ts"
import { rootOf } from "../core/execute.ts"
import type { Address, Tagged } from "../core/node.ts"
import { Actor, type StepEvent } from "./actor.ts"
import { DecodeError } from "./codec.ts"
import { runInit, type StepOutput } from "./driver.ts"
import { type Service, SERVICES } from "./services.ts"
import { type Conn, Dialer, type Endpoint, parseEndpoint, showEndpoint } from "./transport.ts"
import type { Timing } from "./timing.ts"
import { clientHello, decodeServerFrame, encodeEnvelope } from "./wire.ts"

export class ClusterError extends Error {}
export class OperationTimeout extends Error {}

export interface ClientOptions {
  /** How long to wait for the first node to answer (ms). */
  readonly connectTimeout?: number
  /** Seed of the sessions' choices (timer jitter). */
  readonly seed?: number
  /** Wait until every node answered, not just one. */
  readonly all?: boolean
  /** Marks each envelope sent and received (bench/runtime-latency.ts). */
  readonly timing?: Timing
}

export class ClusterClient {
  private readonly dialers = new Map<string, Dialer>()
  private readonly byId = new Map<Address, Dialer>()
  private readonly sessions = new Map<Address, Session>()
  private readonly prefix = `${hostname().replace(/[^\w-]/g, "")}-${process.pid}-${Date.now().toString(36)}`
  private counter = 0
  service!: Service
  servers: ReadonlyArray<Address> = []
  /** The cluster's milliseconds per protocol time unit (from the first node that answers). */
  timeUnit = 1
  private readonly rng: Rng
  private info: ((ok: true) => void) | undefined
  private failure: string | undefined
  private needed = 1
  private closed = false
  private readonly answered = new Set<Dialer>()

  private constructor(
    readonly endpoints: ReadonlyArray<Endpoint>,
    seed: number,
    private readonly timing?: Timing
  ) {
    this.rng = new Rng(seed)
    for (const ep of endpoints) this.dial(ep)
  }

  private dial(ep: Endpoint): void {
    const key = showEndpoint(ep)
    if (this.dialers.has(key) || this.closed) return
    const named = new WeakSet<Conn>()
    const d: Dialer = new Dialer(ep, {
      hello: clientHello(),
      maxBackoff: 500,
      onFrame: (payload, conn) => {
        try {
          const frame = decodeServerFrame(payload, !named.has(conn), this.service?.registry)
          if ("info" in frame) {
            named.add(conn)
            const info = frame.info
            this.learn(info.node, info.protocol, info.servers, d, ep)
            if (this.byId.size === 1) this.timeUnit = info.timeUnit ?? 1
            // Nodes tell of each other's client addresses: a client given one node finds the rest.
            for (const addr of Object.values(info.clients ?? {})) {
              try {
                this.dial(parseEndpoint(addr, "a node's client address"))
              } catch {}
            }
            return
          }
          const env = frame.env
          this.timing?.mark(`recv ${env.msg._tag} ${rootOf(env.from!)}`)
          this.sessions.get(rootOf(env.to))?.actor.deliver(env.to, env.msg, env.from!)
        } catch (e) {
          if (!(e instanceof DecodeError)) throw e
          conn.close()
        }
      },
    })
    this.dialers.set(key, d)
  }

  /** Connects; fails with a ClusterError when no node answers in time. */
  static async connect(endpoints: ReadonlyArray<Endpoint>, options: ClientOptions = {}): Promise<ClusterClient> {
    const c = new ClusterClient(endpoints, options.seed ?? 1, options.timing)
    c.needed = options.all ? endpoints.length : 1
    const timeout = options.connectTimeout ?? 5000
    const ok = await new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(false), timeout)
      c.info = () => {
        clearTimeout(t)
        resolve(true)
      }
    })
    if (!ok || c.failure) {
      c.close()
      throw new ClusterError(c.failure ?? `no node of the cluster answered within ${timeout / 1000} s (${endpoints.map(showEndpoint).join(", ")})`)
    }
    return c
  }

  private learn(node: Address, protocol: string, servers: ReadonlyArray<Address>, d: Dialer, ep: Endpoint): void {
    const service = SERVICES[protocol]
    if (!this.service) {
      if (!service) this.failure = `${showEndpoint(ep)} runs an unknown protocol "${protocol}"`
      else {
        this.service = service
        this.servers = servers
      }
    } else if (service !== this.service) this.failure = `${showEndpoint(ep)} runs ${protocol}, another node ${this.service.name}`
    this.byId.set(node, d)
    this.answered.add(d)
    if (this.answered.size < this.needed) return
    this.info?.(true)
    this.info = undefined
  }

  /** A new logical client with a unique id (or the given id and client definition, for conformance runs). */
  session(as?: { readonly id: Address; readonly def: ReturnType<Service["client"]>; readonly onStep?: SessionHook; readonly nextCommand?: () => Tagged | undefined }): Session {
    const id = as?.id ?? `kv-${this.prefix}-${++this.counter}`
    const s = new Session(this, id, as?.def ?? this.service.client(this.leaderFirst()), new Rng(this.rng.nextU32()), as?.onStep, as?.nextCommand)
    this.sessions.set(id, s)
    return s
  }

  /** The server that answered the last command, if any: a new session's client tries it first. */
  private lastLeader: Address | undefined

  /** Notes the server that answered a command. */
  answeredBy(server: Address): void {
    this.lastLeader = server
  }

  /**
   * The servers, the last one known to answer first: a client that sends to one server at a time starts
   * there instead of at the first server (a session's configuration; the client's code is the checked one).
   */
  private leaderFirst(): ReadonlyArray<Address> {
    const k = this.lastLeader === undefined ? -1 : this.servers.indexOf(this.lastLeader)
    return k <= 0 ? this.servers : [...this.servers.slice(k), ...this.servers.slice(0, k)]
  }

  forget(s: Session): void {
    s.actor.stop()
    this.sessions.delete(s.id)
  }

  send(from: Address, to: Address, msg: Tagged): void {
    this.byId.get(rootOf(to))?.send(encodeEnvelope(to, msg, from))
    this.timing?.mark(`send ${msg._tag} ${rootOf(to)}`)
  }

  close(): void {
    this.closed = true
    for (const s of this.sessions.values()) s.actor.stop()
    for (const d of this.dialers.values()) d.close()
  }
}

export type SessionHook = (out: StepOutput, event: StepEvent) => void

export class Session {
  readonly actor: Actor
  private waiting: { resolve: (r: Tagged) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | undefined

  constructor(
    client: ClusterClient,
    readonly id: Address,
    def: ReturnType<Service["client"]>,
    rng: Rng,
    hook?: SessionHook,
    nextCommand?: () => Tagged | undefined
  ) {
    const env = { def, self: id, peers: client.servers, chooser: { choose: (n: number) => rng.int(n) }, ...(nextCommand ? { nextCommand } : {}) }
    this.actor = new Actor(
      env,
      rng,
      (out, event) => {
        hook?.(out, event)
        for (const s of out.sends) client.send(s.from, s.to, s.msg)
        if (out.completed !== undefined && event.kind === "message") client.answeredBy(rootOf(event.from))
        if (out.completed !== undefined && this.waiting) {
          const w = this.waiting
          this.waiting = undefined
          clearTimeout(w.timer)
          w.resolve(out.completed)
        }
      },
      (e) => {
        const w = this.waiting
        this.waiting = undefined
        if (w) {
          clearTimeout(w.timer)
          w.reject(e instanceof Error ? e : new Error(String(e)))
        }
      },
      client.timeUnit
    )
    this.actor.start(runInit(env), { kind: "init" })
  }

  /** Runs one command; rejects with OperationTimeout when no answer comes in `timeoutMs`. */
  execute(command: Tagged, timeoutMs: number): Promise<Tagged> {
    if (this.waiting) return Promise.reject(new Error(`${this.id} already has a command in flight`))
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined
        reject(new OperationTimeout(`no answer from the cluster within ${timeoutMs / 1000} s`))
      }, timeoutMs)
      this.waiting = { resolve, reject, timer }
      this.actor.command(command)
    })
  }
}
