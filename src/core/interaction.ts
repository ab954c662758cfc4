/**
 * Golden interaction scripts in the style of etcd raft's `testdata/*.txt`: a story of commands, each
 * followed by `----` and what it changed — node states diffed field by field (only what changed),
 * timers and the network diffed as multisets (`+ sent`, `- delivered`), never by index.
 *
 *   # comment lines tell the story
 *   tick s1 ElectionTimer
 *   ----
 *   s1.log.role: follower -> candidate
 *   + net s1/log -> s2/log: RequestVote(t=1,last=0/0)
 *
 * Lines: `node.path: old -> new` (or `+ new`, `- old`), `node: crashed|restarted`, `+|- timer node: T`,
 * `+ net a -> b: M` (sent), `- net a -> b: M` (delivered), `~ lost a -> b: M (why)`.
 * Clients run the workload `setup` gives them, but a command reaches the network only when the story
 * says `propose <client>`: the client takes up its next command as soon as it may (its state shows it)
 * and its request is held (`= held` lines) until then. A retry on the client's timer goes out at once.
 *
 * Commands (nothing happens unless a command says so; handlers take the first option of a choice):
 *   setup key=value ...        first command: the configuration (built by the caller from the arguments)
 *   deliver <to> [from=a] [type=Tag] [n=k]   deliver the matching messages now in flight, in network order
 *   drop <to> [from=a] [type=Tag] [n=k]      lose them instead
 *   tick <node> <TimerTag>     fire the node's first pending timer of that class
 *   crash <node> | restart <node>
 *   partition a,b c,d | heal   messages across groups are lost (`~ lost` lines), now and on every send
 *   propose <client>           put the client's held request for its current command on the network
 *   stabilize                  deliver messages until none is in flight (no timers fire)
 *   state <node>               print the node's whole state (no diff)
 */
import { taggedError } from "../errors.ts"
import type { Config } from "./config.ts"
import { Cluster, firstChoice, rootOf } from "./execute.ts"
import { diffBag, diffFlat, flatten } from "./state-diff.ts"
import { compareEnvelopes, type Envelope, resultsOf, type World } from "./world.ts"

/** A script that does not parse, or a command that cannot run (unknown node, no such timer...). */
export class InteractionError extends taggedError("InteractionError") {}

export interface Command {
  readonly name: string
  readonly args: ReadonlyArray<string>
  readonly opts: Readonly<Record<string, string>>
}

interface Block {
  readonly preamble: ReadonlyArray<string>
  readonly text: string
  readonly line: number
  readonly expected: ReadonlyArray<string>
}

export interface Mismatch {
  readonly line: number
  readonly command: string
  readonly expected: string
  readonly actual: string
}

export interface ScriptResult {
  /** The script with every expected output replaced by the actual one (what a rewrite writes). */
  readonly rendered: string
  readonly mismatches: ReadonlyArray<Mismatch>
}

export const parseCommand = (text: string): Command => {
  const [name = "", ...words] = text.trim().split(/\s+/)
  const args: string[] = []
  const opts: Record<string, string> = {}
  for (const w of words) {
    const eq = w.indexOf("=")
    if (eq > 0) opts[w.slice(0, eq)] = w.slice(eq + 1)
    else args.push(w)
  }
  return { name, args, opts }
}

const parseScript = (text: string): Block[] => {
  const lines = text.replace(/\r\n/g, "\n").split("\n")
  const blocks: Block[] = []
  let preamble: string[] = []
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!
    if (l.trim() === "" || l.startsWith("#")) {
      preamble.push(l)
      continue
    }
    if (lines[i + 1] !== "----") throw new InteractionError(`line ${i + 1}: expected "----" after the command "${l}"`)
    const expected: string[] = []
    let j = i + 2
    for (; j < lines.length && lines[j]!.trim() !== ""; j++) expected.push(lines[j]!)
    while (preamble.length > 0 && preamble[0]!.trim() === "") preamble.shift()
    while (preamble.length > 0 && preamble[preamble.length - 1]!.trim() === "") preamble.pop()
    blocks.push({ preamble, text: l, line: i + 1, expected })
    preamble = []
    i = j - 1
  }
  return blocks
}

/** What a world looks like to a reader: per node its leaves, and the bags of timers and messages. */
interface View {
  readonly nodes: ReadonlyArray<Map<string, string>>
  readonly up: ReadonlyArray<boolean>
  readonly timers: ReadonlyArray<string>
  readonly net: ReadonlyArray<string>
}

/** One story being told: the world, the partition, and the lines the current command produced. */
export class Interaction {
  readonly cluster: Cluster
  world: World
  private groups: ReadonlyMap<string, number> | undefined
  /** Messages lost during the current command, and why. */
  private lost: Array<{ readonly env: string; readonly why: string }> = []
  /** Per client, the request of its current command, until the story proposes it. */
  private readonly held = new Map<number, Envelope[]>()
  private heldNow: string[] = []

  constructor(config: Config) {
    // The story decides what is delivered: each delivery consumes one copy, and partitions are the story's.
    const { partition: _, ...network } = config.network ?? {}
    this.cluster = new Cluster({ ...config, network: { ...network, delivery: "multiset" } })
    this.world = this.cluster.initialWorld(firstChoice)
    this.hold(new Set(), (i) => this.cluster.isClient(i))
  }

  /** Takes off the network what the clients chosen by `which` sent since `old` (their new commands). */
  private hold(old: ReadonlySet<Envelope>, which: (i: number) => boolean): void {
    const fresh = this.world.net.filter((e) => !old.has(e) && which(e.src)).sort(bySendOrder)
    if (fresh.length === 0) return
    for (const e of fresh) this.held.set(e.src, [...(this.held.get(e.src) ?? []), e])
    this.heldNow.push(...fresh.map((e) => this.envText(e)))
    this.world = { ...this.world, net: this.world.net.filter((e) => !fresh.includes(e)) }
  }

  private envText(e: Envelope): string {
    return `${e.from} -> ${e.to}: ${this.cluster.show(e.msg)}`
  }

  view(): View {
    const c = this.cluster
    return {
      nodes: this.world.nodes.map((n) => {
        const leaves = new Map<string, string>()
        if (n.up) flatten(n.state, "", leaves, true)
        if (n.durable !== undefined) flatten(n.durable, "disk", leaves)
        if (n.client) flatten({ next: n.client.next, pending: n.client.pending, results: resultsOf(n.client) }, "client", leaves)
        return leaves
      }),
      up: this.world.nodes.map((n) => n.up),
      timers: this.world.nodes.flatMap((n, i) => n.timers.map((t) => `${c.addresses[i]}${t.sub === "" ? "" : `/${t.sub}`}: ${c.show(t.timer)}`)),
      net: this.world.net.map((e) => this.envText(e)),
    }
  }

  /** The lines that tell how `after` differs from `before`. */
  diff(before: View, after: View): string[] {
    const lines: string[] = []
    this.cluster.addresses.forEach((a, i) => {
      if (before.up[i] && !after.up[i]) lines.push(`${a}: crashed`)
      if (!before.up[i] && after.up[i]) lines.push(`${a}: restarted`)
      lines.push(...diffFlat(a, before.nodes[i]!, after.nodes[i]!))
    })
    lines.push(...diffBag(before.timers, after.timers).map((l) => `${l[0]} timer ${l.slice(2)}`))
    lines.push(...diffBag(before.net, [...after.net, ...this.lost.map((l) => l.env)]).map((l) => `${l[0]} net ${l.slice(2)}`))
    lines.push(...this.lost.map((l) => `~ lost ${l.env} (${l.why})`))
    lines.push(...this.heldNow.map((l) => `= held ${l} (until propose)`))
    return lines
  }

  private node(address: string | undefined): number {
    const i = address === undefined ? undefined : this.cluster.index.get(address)
    if (i === undefined) throw new InteractionError(`unknown node "${address ?? ""}" (nodes: ${this.cluster.addresses.join(", ")})`)
    return i
  }

  private connected(e: Envelope): boolean {
    if (!this.groups) return true
    const g = this.groups.get(rootOf(e.from))
    return g !== undefined && g === this.groups.get(rootOf(e.to))
  }

  /** Loses every message the partition cuts off; called after each step. */
  private enforcePartition(): void {
    if (!this.groups) return
    const cut = this.world.net.filter((e) => !this.connected(e)).sort(bySendOrder)
    if (cut.length === 0) return
    for (const e of cut) this.lost.push({ env: this.envText(e), why: "partitioned" })
    this.world = { ...this.world, net: this.world.net.filter((e) => this.connected(e)) }
  }

  private remove(e: Envelope, why: string): void {
    this.lost.push({ env: this.envText(e), why })
    this.world = { ...this.world, net: this.world.net.filter((x) => x !== e) }
  }

  private deliver(e: Envelope): void {
    if (!this.world.net.includes(e)) return // lost to a partition earlier in this command
    if (!this.world.nodes[e.dst]!.up) return this.remove(e, `${this.cluster.addresses[e.dst]} down`)
    const old = new Set(this.world.net)
    const next = this.world.nodes[e.dst]!.client?.next
    this.world = this.cluster.deliver(this.world, e, true, firstChoice)
    // A result moved the client to its next command: its request waits for the story's propose.
    if (next !== undefined && this.world.nodes[e.dst]!.client?.next !== next) this.hold(old, (i) => i === e.dst)
    this.enforcePartition()
  }

  private matching(c: Command, verb: string): Envelope[] {
    const to = c.args[0]
    this.node(to === undefined ? undefined : rootOf(to))
    for (const k of Object.keys(c.opts)) if (!["from", "type", "n"].includes(k)) throw new InteractionError(`${verb}: unknown option "${k}" (from, type, n)`)
    const n = c.opts.n === undefined ? Infinity : Number(c.opts.n)
    if (!(n >= 1 && (n === Infinity || Number.isInteger(n)))) throw new InteractionError(`${verb}: n=${c.opts.n} is not a positive integer`)
    const found = this.world.net.filter((e) => (e.to === to || rootOf(e.to) === to) && (c.opts.from === undefined || e.from === c.opts.from) && (c.opts.type === undefined || e.msg._tag === c.opts.type))
    if (found.length === 0) throw new InteractionError(`${verb}: no message in flight matches "${[to, ...Object.entries(c.opts).map(([k, v]) => `${k}=${v}`)].join(" ")}"`)
    return found.sort(bySendOrder).slice(0, n)
  }

  /** Runs one command and returns its output lines. */
  run(c: Command): string[] {
    const before = this.view()
    this.lost = []
    this.heldNow = []
    switch (c.name) {
      case "deliver":
        for (const e of this.matching(c, "deliver")) this.deliver(e)
        break
      case "drop":
        for (const e of this.matching(c, "drop")) this.remove(e, "dropped")
        break
      case "tick": {
        const i = this.node(c.args[0])
        const t = this.world.nodes[i]!.timers.findIndex((r) => r.timer._tag === c.args[1])
        if (t < 0) throw new InteractionError(`tick: ${c.args[0]} has no pending ${c.args[1] ?? "(timer class missing)"}`)
        this.world = this.cluster.fireTimer(this.world, i, t, firstChoice)
        this.enforcePartition()
        break
      }
      case "crash":
      case "restart": {
        const i = this.node(c.args[0])
        if (this.world.nodes[i]!.up !== (c.name === "crash")) throw new InteractionError(`${c.name}: ${c.args[0]} is ${c.name === "crash" ? "down" : "up"} already`)
        this.world = c.name === "crash" ? this.cluster.crash(this.world, i) : this.cluster.restart(this.world, i, firstChoice)
        this.enforcePartition()
        break
      }
      case "partition": {
        const groups = c.args.map((g) => g.split(","))
        for (const a of groups.flat()) this.node(a)
        this.groups = new Map(groups.flatMap((g, k) => g.map((a) => [a, k] as const)))
        this.enforcePartition()
        break
      }
      case "propose": {
        const i = this.node(c.args[0])
        const held = this.held.get(i)
        if (!this.cluster.isClient(i)) throw new InteractionError(`propose: ${c.args[0]} is not a client`)
        if (!held) throw new InteractionError(`propose: ${c.args[0]} has no command waiting (its workload is done, or its request is out)`)
        this.held.delete(i)
        this.world = { ...this.world, net: [...this.world.net, ...held].sort(compareEnvelopes(false)) }
        this.enforcePartition()
        break
      }
      case "heal":
        this.groups = undefined
        break
      case "stabilize": {
        let steps = 0
        while (this.world.net.length > 0) {
          if (++steps > 10_000) throw new InteractionError("stabilize: still messages in flight after 10000 deliveries")
          this.deliver(this.world.net.reduce((a, e) => (e.seq < a.seq ? e : a)))
        }
        break
      }
      case "state": {
        const i = this.node(c.args[0])
        return [...this.view().nodes[i]!].map(([p, v]) => `${c.args[0]}${p === "" ? "" : `.${p}`}: ${v}`)
      }
      default:
        throw new InteractionError(`unknown command "${c.name}" (deliver, drop, tick, crash, restart, partition, heal, propose, stabilize, state)`)
    }
    return this.diff(before, this.view())
  }
}

/**
 * Stories pick among messages in send order, never in the network's storage order (a multiset network is
 * kept sorted by fingerprint, which a change of hashing reorders).
 */
const bySendOrder = (a: Envelope, b: Envelope) => a.seq - b.seq

const emptyView: View = { nodes: [], up: [], timers: [], net: [] }

/**
 * Runs a script; `setup` builds the configuration from the first command's arguments. The output of
 * `setup` is the initial world (what every node starts with and what the clients first send).
 */
export const runScript = (text: string, setup: (opts: Readonly<Record<string, string>>) => Config): ScriptResult => {
  const blocks = parseScript(text)
  let story: Interaction | undefined
  const out: string[] = []
  const mismatches: Mismatch[] = []
  for (const b of blocks) {
    const c = parseCommand(b.text)
    let actual: string[]
    try {
      if (c.name === "setup") {
        if (story) throw new InteractionError("setup may come only once, first")
        story = new Interaction(setup(c.opts))
        actual = story.diff({ ...emptyView, nodes: story.cluster.addresses.map(() => new Map()), up: story.cluster.addresses.map(() => true) }, story.view())
      } else {
        if (!story) throw new InteractionError(`the script must begin with "setup"`)
        actual = story.run(c)
      }
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e)
      throw new InteractionError(`line ${b.line} (${b.text}): ${message}`)
    }
    if (actual.length === 0) actual = ["ok"]
    if (actual.join("\n") !== b.expected.join("\n")) mismatches.push({ line: b.line, command: b.text, expected: b.expected.join("\n"), actual: actual.join("\n") })
    out.push([...b.preamble, b.text, "----", ...actual].join("\n"))
  }
  return { rendered: `${out.join("\n\n")}\n`, mismatches }
}
