/**
 * Name-blind signatures of a world's members, for the sort-based canonical form of symmetry
 * reduction (checker/symmetry-canon.ts): a 32-bit summary of a node record in which every
 * interchangeable address reads as its group (in text too, word by word), and collections and
 * records are combined order-independently, so renaming a world cannot change the signature of a
 * member: sig(pi(w), pi(a)) = sig(w, a). Two members with different signatures are told apart
 * without trying both orders; equal signatures are only ties (both orders are tried), so a
 * collision costs time, never soundness. Cached per node record (records are immutable and shared);
 * a member's messages in flight, to and from it, count too.
 */
import { fmix32 } from "../checker/hash.ts"
import type { Cons, Envelope, NodeRec, World } from "./world.ts"

const mix = (h: number, k: number): number => fmix32((Math.imul(h, 0x9e3779b1) + k) | 0)

export class Blinder {
  private readonly strings = new Map<string, number>()
  private readonly nodes = new WeakMap<NodeRec, number>()

  /** `groupOf`: an interchangeable address to its group's index; `word` finds addresses in text. */
  constructor(
    private readonly groupOf: ReadonlyMap<string, number>,
    private readonly word: RegExp
  ) {}

  private str(s: string): number {
    let h = this.strings.get(s)
    if (h === undefined) {
      const g = this.groupOf.get(s)
      const text = g !== undefined ? `\u0000${g}` : s.replace(this.word, (m) => `\u0000${this.groupOf.get(m)}`)
      h = 0x811c9dc5 ^ text.length
      for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
      h = fmix32(h)
      if (this.strings.size > 1 << 16) this.strings.clear()
      this.strings.set(s, h)
    }
    return h
  }

  value(v: unknown): number {
    switch (typeof v) {
      case "string":
        return this.str(v)
      case "number":
        return (v | 0) === v ? mix(1, v) : this.str(`#${v}`)
      case "boolean":
        return v ? 2 : 3
      case "undefined":
        return 4
      case "bigint":
        return this.str(`n${v}`)
      case "object": {
        if (v === null) return 5
        let h = this.objects.get(v)
        if (h === undefined) this.objects.set(v, (h = this.object(v)))
        return h
      }
      default:
        return 12
    }
  }

  /** Signatures of objects, kept while they live: states share sub-values. */
  private readonly objects = new WeakMap<object, number>()

  private object(v: object): number {
    if (Array.isArray(v)) {
      // Lists of names may be kept sorted (the renamer re-sorts them): lists of strings count as multisets.
      if (v.length > 1 && v.every((x) => typeof x === "string")) return mix(6, this.sum(v))
      let h = mix(7, v.length)
      for (const x of v) h = mix(h, this.value(x))
      return h
    }
    if (v instanceof Map) {
      let s = 0
      for (const [k, x] of v) s = (s + mix(this.value(k), this.value(x))) | 0
      return mix(8, s)
    }
    if (v instanceof Set) return mix(9, this.sum(v))
    if (v instanceof Uint8Array) {
      let h = mix(10, v.length)
      for (const b of v) h = mix(h, b)
      return h
    }
    // Records by their entries, in any order (a record keyed by addresses is renamed key by key).
    const r = v as Record<string, unknown>
    let s = 0
    for (const k of Object.keys(r)) if (r[k] !== undefined) s = (s + mix(this.str(k), this.value(r[k]))) | 0
    return mix(11, s)
  }

  private sum(xs: Iterable<unknown>): number {
    let s = 0
    for (const x of xs) s = (s + this.value(x)) | 0
    return s
  }

  private readonly envelopes = new WeakMap<Envelope, number>()

  /** The signature of a message in flight: its link and content, names blinded. */
  envelope(e: Envelope): number {
    let h = this.envelopes.get(e)
    if (h === undefined) this.envelopes.set(e, (h = mix(mix(mix(17, this.str(e.from)), this.str(e.to)), this.value(e.msg))))
    return h
  }

  private lastWorld: World | undefined
  private readonly inFlight: number[] = []

  /**
   * The signature of the member at node index `i` of `w`: its node record and the messages in flight
   * to and from it (which tell apart members whose records look alike). Sums for all members are
   * computed once per world.
   */
  member(w: World, i: number): number {
    if (w !== this.lastWorld) {
      this.lastWorld = w
      const sums = this.inFlight
      sums.length = w.nodes.length
      sums.fill(0)
      for (const e of w.net) {
        const h = this.envelope(e)
        sums[e.dst] = (sums[e.dst]! + h) | 0
        sums[e.src] = (sums[e.src]! + fmix32(h ^ 0x5bd1e995)) | 0
      }
    }
    return mix(this.node(w.nodes[i]!), this.inFlight[i]!) >>> 0
  }

  /** The signature of a node record: its state, timers, liveness, storage and client progress. */
  node(n: NodeRec): number {
    let h = this.nodes.get(n)
    if (h === undefined) {
      h = mix(mix(this.value(n.state), n.up ? 13 : 14), this.value(n.durable))
      for (const t of n.timers) h = mix(mix(mix(h, this.value(t.timer)), t.min), mix(t.max, this.str(t.sub)))
      if (n.client) {
        h = mix(mix(h, n.client.next), n.client.pending ? 15 : 16)
        for (let r: Cons<unknown> | undefined = n.client.results; r; r = r.tail) h = mix(h, this.value(r.head))
      }
      this.nodes.set(n, (h = h >>> 0))
    }
    return h
  }
}
