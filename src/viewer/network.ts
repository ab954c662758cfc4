/**
 * The messages in flight and the timers armed in a state, each with an identity that lasts while it
 * stays, so the viewer can link a send to its deliveries. A protocol world (src/core/world.ts) gives
 * exact identities: its envelopes and timer records are objects that steps share, not copy. Any other
 * system falls back on its view's `network` list of strings, matched as a multiset.
 */
import type { TransitionSystem } from "../checker/transition-system.ts"

export interface Entry {
  /** Object identity in a protocol world; undefined when only the text is known. */
  readonly key: object | undefined
  readonly text: string
  /** For a timer: its node. */
  readonly node?: string
}

export interface Probe<S> {
  network(state: S, view: unknown): ReadonlyArray<Entry>
  /** Timers per node, or undefined when the system does not expose them. */
  timers?(state: S): ReadonlyArray<Entry>
  /** The nodes whose record is the very same object in both states (so their views are equal). */
  same?(before: S, after: S): ReadonlySet<string>
}

interface WorldLike {
  readonly net: ReadonlyArray<{ readonly from: string; readonly to: string; readonly msg: unknown }>
  readonly nodes: ReadonlyArray<{ readonly timers: ReadonlyArray<{ readonly timer: unknown; readonly sub: string }> }>
}

interface ClusterLike {
  readonly addresses: ReadonlyArray<string>
  readonly show: (x: unknown) => string
}

const isWorld = (s: unknown): s is WorldLike =>
  typeof s === "object" && s !== null && Array.isArray((s as WorldLike).net) && Array.isArray((s as WorldLike).nodes)

const clusterOf = (system: TransitionSystem<unknown, unknown>): ClusterLike | undefined => {
  const c = (system as { cluster?: Partial<ClusterLike> }).cluster
  return c && Array.isArray(c.addresses) && typeof c.show === "function" ? (c as ClusterLike) : undefined
}

const fromView = (view: unknown): ReadonlyArray<Entry> => {
  const net = (view as { network?: unknown } | null)?.network
  return Array.isArray(net) ? net.filter((x): x is string => typeof x === "string").map((text) => ({ key: undefined, text })) : []
}

/** The probe for a system: exact for protocol worlds, by text otherwise. */
export const probeFor = <S>(system: TransitionSystem<S, unknown>, sample: S): Probe<S> => {
  const cluster = clusterOf(system as TransitionSystem<unknown, unknown>)
  if (!cluster || !isWorld(sample)) return { network: (_s, view) => fromView(view) }
  return {
    network: (s) => (s as WorldLike).net.map((e) => ({ key: e, text: `${e.from} -> ${e.to}: ${cluster.show(e.msg)}` })),
    timers: (s) =>
      (s as WorldLike).nodes.flatMap((n, i) =>
        n.timers.map((t) => ({ key: t, text: (t.sub ? `${t.sub}: ` : "") + cluster.show(t.timer), node: cluster.addresses[i]! }))
      ),
    same: (a, b) => {
      const x = (a as WorldLike).nodes
      const y = (b as WorldLike).nodes
      return new Set(cluster.addresses.filter((_, i) => x[i] === y[i]))
    },
  }
}

/** Live entries with their ids; `advance` matches the next state's entries to them. */
export class Tracker {
  private live: Array<{ id: number; entry: Entry }> = []
  private nextId = 0

  /** Returns the ids that stayed, those that are new and those that left. */
  advance(entries: ReadonlyArray<Entry>): { added: Array<{ id: number; entry: Entry }>; removed: Array<{ id: number; entry: Entry }> } {
    const byKey = new Map<object, { id: number; entry: Entry }>()
    const byText = new Map<string, Array<{ id: number; entry: Entry }>>()
    for (const l of this.live) {
      if (l.entry.key) byKey.set(l.entry.key, l)
      else (byText.get(l.entry.text) ?? byText.set(l.entry.text, []).get(l.entry.text)!).push(l)
    }
    const next: Array<{ id: number; entry: Entry }> = []
    const added: Array<{ id: number; entry: Entry }> = []
    const kept = new Set<number>()
    for (const entry of entries) {
      const old = entry.key ? byKey.get(entry.key) : byText.get(entry.text)?.shift()
      if (old && !kept.has(old.id)) {
        kept.add(old.id)
        next.push({ id: old.id, entry })
      } else {
        const fresh = { id: this.nextId++, entry }
        added.push(fresh)
        next.push(fresh)
      }
    }
    const removed = this.live.filter((l) => !kept.has(l.id))
    this.live = next
    return { added, removed }
  }

  /** The live id of the first entry with this text (the one a label names), if any. */
  find(text: string): number | undefined {
    return this.live.find((l) => l.entry.text === text)?.id
  }
}
