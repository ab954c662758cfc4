/**
 * The renamer behind a configuration's `symmetry` declaration (checker/symmetry.ts does the
 * reduction): applies a permutation of interchangeable addresses to a world. Every occurrence of an
 * address is renamed: node positions, node states, timers, durable storage, client results, messages
 * (their sources, destinations and payloads) and the history; inside text, an address is renamed
 * where it stands as a whole word ("client1.0;" -> "client2.0;", "server1/log" -> "server2/log").
 * Numbers are never renamed, so a protocol that encodes a server by its index (Paxos ballots
 * compare (round, server)) is not symmetric in its servers and must not declare it.
 */
import { type Renaming, type Symmetry, SymmetryError } from "../checker/symmetry.ts"
import { fingerprintValue } from "../checker/hash.ts"
import type { Fingerprint } from "../checker/transition-system.ts"
import type { Config } from "./config.ts"
import type { Cluster } from "./execute.ts"
import type { Tagged } from "./node.ts"
import { addResult, type ClientProgress, type Cons, compareEnvelopes, type Envelope, hashMessage, makeEnvelope, makeNode, type NodeRec, type World } from "./world.ts"
import { timerRec } from "./outbox.ts"
import { Blinder } from "./symmetry-signature.ts"
import { RenamedHasher } from "./symmetry-fingerprint.ts"

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/** Renames values under one renaming; text renamings are cached (states repeat the same strings). */
class Renamer {
  private readonly text = new Map<string, string>()
  constructor(
    readonly renaming: Renaming,
    private readonly word: RegExp
  ) {}

  str(s: string): string {
    const direct = this.renaming.get(s)
    if (direct !== undefined) return direct
    let r = this.text.get(s)
    if (r === undefined) {
      r = s.replace(this.word, (m) => this.renaming.get(m) ?? m)
      if (this.text.size > 1 << 16) this.text.clear()
      this.text.set(s, r)
    }
    return r
  }

  /**
   * The value renamed. A part that names no member is returned as it is (the same object), so
   * renamed states share what they do not change and the hasher's per-collection cache still hits;
   * renamed objects are cached (states share sub-values).
   */
  value(v: unknown): unknown {
    if (typeof v === "string") return this.str(v)
    if (typeof v !== "object" || v === null || v instanceof Uint8Array) return v
    let out = this.objects.get(v)
    if (out === undefined) this.objects.set(v, (out = this.object(v)))
    return out
  }

  private readonly objects = new WeakMap<object, unknown>()

  private object(v: object): unknown {
    if (Array.isArray(v)) {
      let changed = false
      const out = v.map((x) => {
        const y = this.value(x)
        if (y !== x) changed = true
        return y
      })
      if (!changed) return v
      // A list of names kept sorted (Raft's votes) stays sorted: the renamed state is one the protocol builds.
      if (v.length > 1 && v.every((x) => typeof x === "string") && isSorted(v as string[])) (out as string[]).sort()
      return out
    }
    if (v instanceof Map) {
      let changed = false
      const entries = [...v].map(([k, x]) => {
        const k2 = this.value(k)
        const x2 = this.value(x)
        if (k2 !== k || x2 !== x) changed = true
        return [k2, x2] as const
      })
      return changed ? new Map(entries) : v
    }
    if (v instanceof Set) {
      let changed = false
      const xs = [...v].map((x) => {
        const y = this.value(x)
        if (y !== x) changed = true
        return y
      })
      return changed ? new Set(xs) : v
    }
    const keys = Object.keys(v)
    const r = v as Record<string, unknown>
    let changed = false
    const renamed = keys.map((k) => {
      const k2 = this.str(k)
      const x2 = this.value(r[k])
      if (k2 !== k || x2 !== r[k]) changed = true
      return [k2, x2] as const
    })
    if (!changed) return v
    const out = Object.create(Object.getPrototypeOf(v)) as Record<string, unknown>
    for (const [k, x] of renamed) out[k] = x
    return out
  }
}

const isSorted = (xs: ReadonlyArray<string>) => {
  for (let i = 1; i < xs.length; i++) if (xs[i - 1]! > xs[i]!) return false
  return true
}

const sameValue = (a: unknown, b: unknown): boolean => {
  const fa: Fingerprint = { hi: 0, lo: 0 }
  const fb: Fingerprint = { hi: 0, lo: 0 }
  fingerprintValue(a, fa)
  fingerprintValue(b, fb)
  return fa.hi === fb.hi && fa.lo === fb.lo
}

/**
 * The renamer of a compiled configuration's worlds. Refuses (SymmetryError) a declaration that names
 * an unknown address, mixes servers and clients, or swaps clients whose workloads are not renamings
 * of each other, or nodes treated differently by the network partition or the fault budget.
 */
export const worldSymmetry = <W extends World>(cluster: Cluster, config: Config, groups: ReadonlyArray<ReadonlyArray<string>>, name: string): Symmetry<W> => {
  const servers = new Set(config.servers.map((s) => s.address))
  for (const g of groups) {
    for (const a of g) if (!cluster.index.has(a)) throw new SymmetryError(`${name}: symmetry names "${a}", which is no node of the configuration (${cluster.addresses.join(", ")})`)
    if (new Set(g.map((a) => servers.has(a))).size > 1) throw new SymmetryError(`${name}: a symmetry group mixes servers and clients: [${g.join(", ")}]`)
  }
  const names = groups.flat().sort((a, b) => b.length - a.length)
  const word = new RegExp(`(?<![A-Za-z0-9_])(?:${names.map(escape).join("|")})(?![A-Za-z0-9_])`, "g")
  const renamers = new Map<Renaming, Renamer>()
  const renamerOf = (r: Renaming) => {
    let x = renamers.get(r)
    if (!x) renamers.set(r, (x = new Renamer(r, word)))
    return x
  }
  const workloadOf = new Map(config.clients.map((c) => [c.address, c.workload] as const))
  const crashable = new Set(config.faults?.crashable ?? config.servers.map((s) => s.address))
  const partition = config.network?.partition
  for (const g of groups)
    for (const a of g)
      for (const b of g) {
        if (a >= b) continue
        const swap = new Renamer(new Map([[a, b], [b, a]]), word)
        const wa = workloadOf.get(a)
        const wb = workloadOf.get(b)
        if (wa && wb && !sameValue(swap.value(wa), wb))
          throw new SymmetryError(`${name}: clients ${a} and ${b} are declared interchangeable but their workloads are not renamings of each other`)
        if (crashable.has(a) !== crashable.has(b)) throw new SymmetryError(`${name}: ${a} and ${b} are declared interchangeable but only one of them may crash`)
        if (partition && !sameValue(new Set(partition.map((p) => new Set(p.map((x) => swap.str(x))))), new Set(partition.map((p) => new Set(p)))))
          throw new SymmetryError(`${name}: ${a} and ${b} are declared interchangeable but the network partition tells them apart`)
      }

  const msgHash: Fingerprint = { hi: 0, lo: 0 }
  const renameClient = (c: ClientProgress | undefined, r: Renamer): ClientProgress | undefined => {
    if (!c || c.results === undefined) return c
    const results: Tagged[] = []
    for (let x: Cons<Tagged> | undefined = c.results; x; x = x.tail) results.push(r.value(x.head) as Tagged)
    let out: ClientProgress = { next: c.next, pending: c.pending, results: undefined, rh: 0, rl: 0 }
    for (let i = results.length - 1; i >= 0; i--) out = addResult(out, results[i]!, c.next, c.pending)
    return out
  }
  const renameNode = (n: NodeRec, r: Renamer): NodeRec =>
    makeNode(
      r.value(n.state),
      n.timers.map((t) => timerRec(r.value(t.timer) as Tagged, t.min, t.max, r.str(t.sub))),
      n.up,
      r.value(n.durable) as NodeRec["durable"],
      renameClient(n.client, r)
    )
  const renameEnvelope = (e: Envelope, r: Renamer): Envelope => {
    const from = r.str(e.from)
    const to = r.str(e.to)
    const msg = r.value(e.msg) as Tagged
    hashMessage(msg, msgHash)
    return makeEnvelope(from, to, cluster.nodeOf(from) ?? e.src, cluster.nodeOf(to) ?? e.dst, msg, msgHash, e.seq)
  }
  const order = compareEnvelopes(cluster.fifo)
  // Node records and envelopes are immutable and shared between states: rename each once per renaming.
  const cached = <T extends object>(cache: WeakMap<T, Map<Renaming, T>>, x: T, r: Renaming, f: () => T): T => {
    let byRenaming = cache.get(x)
    if (!byRenaming) cache.set(x, (byRenaming = new Map()))
    let y = byRenaming.get(r)
    if (!y) byRenaming.set(r, (y = f()))
    return y
  }
  const nodeCache = new WeakMap<NodeRec, Map<Renaming, NodeRec>>()
  const envCache = new WeakMap<Envelope, Map<Renaming, Envelope>>()

  const blinder = new Blinder(new Map(groups.flatMap((g, i) => g.map((a) => [a, i] as const))), word)

  // Fingerprints of renamed worlds, by one hasher per renaming (null: the world as it is).
  const hashers = new Map<Renaming | null, { readonly hasher: RenamedHasher; readonly at: number[] }>()
  const hasherOf = (renaming: Renaming | null) => {
    let h = hashers.get(renaming)
    if (!h) {
      const r = renaming === null ? undefined : renamerOf(renaming)
      const at = new Array<number>(cluster.addresses.length)
      cluster.addresses.forEach((a, i) => (at[cluster.index.get(r ? r.str(a) : a)!] = i))
      hashers.set(renaming, (h = { hasher: new RenamedHasher(r ? (s) => r.str(s) : (s) => s), at }))
    }
    return h
  }

  return {
    groups,
    fingerprintRenamed: (w, renaming, out) => {
      const { hasher, at } = hasherOf(renaming)
      hasher.world(w, at, cluster.fifo, out)
    },
    signature: (w, name) => blinder.member(w, cluster.index.get(name)!),
    rename: (w, renaming, forFingerprint) => {
      const r = renamerOf(renaming)
      const nodes: NodeRec[] = new Array(w.nodes.length)
      w.nodes.forEach((n, i) => {
        const j = cluster.index.get(r.str(cluster.addresses[i]!))!
        nodes[j] = cached(nodeCache, n, renaming, () => renameNode(n, r))
      })
      const net = w.net.map((e) => cached(envCache, e, renaming, () => renameEnvelope(e, r)))
      // The network is kept in canonical order (the duplicating network finds a message already in
      // flight by it); the fingerprint of an unordered network does not read the order.
      if (cluster.fifo || !forFingerprint) net.sort(order)
      const aux = forFingerprint ? w.aux : { ...w.aux, history: r.value(w.aux.history) as World["aux"]["history"] }
      return { ...w, nodes, net, aux }
    },
  }
}

/** The configuration with its clients declared interchangeable (when it has two or more). */
export const symmetricClients = (config: Config): Config =>
  config.clients.length < 2 ? config : { ...config, symmetry: [...(config.symmetry ?? []), config.clients.map((c) => c.address)] }
