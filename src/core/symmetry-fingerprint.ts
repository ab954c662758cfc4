/**
 * Fingerprints of renamed worlds without building them, for symmetry reduction's canonical form:
 * a 64-bit structural hash of pi(w) computed by walking w and renaming as it reads (addresses, and
 * addresses inside text, as `core/symmetry.ts` renames them). It is a hash of its own, not
 * `checker/hash.ts`'s: what matters is that equal renamed worlds print equally, whatever world and
 * renaming they came from, so records, Maps, Sets and lists of strings (which the renamer re-sorts)
 * are combined order-independently, and so is the network (per link, in order, for FIFO links).
 * Values are immutable and shared between states, so each object's hash is kept per renaming: a
 * new node state costs a walk of what changed, not of the whole state.
 */
import { fmix32 } from "../checker/hash.ts"
import type { Fingerprint } from "../checker/transition-system.ts"
import type { Cons, Envelope, NodeRec, World } from "./world.ts"

const K1 = 0xcc9e2d51
const K2 = 0x1b873593
const mixA = (h: number, k: number): number => {
  k = Math.imul(k, K1)
  k = (k << 15) | (k >>> 17)
  h ^= Math.imul(k, K2)
  h = (h << 13) | (h >>> 19)
  return (Math.imul(h, 5) + 0xe6546b64) | 0
}
const mixB = (h: number, k: number): number => mixA(h ^ 0x5bd1e995, k ^ 0x27d4eb2f)

const isSorted = (xs: ReadonlyArray<string>) => {
  for (let i = 1; i < xs.length; i++) if (xs[i - 1]! > xs[i]!) return false
  return true
}

const F64 = new Float64Array(1)
const U32 = new Uint32Array(F64.buffer)

/** The hashes of values as renamed by one renaming (`rename` maps a string to its renamed text). */
export class RenamedHasher {
  /** The last value's lanes. */
  a = 0
  b = 0
  private readonly strings = new Map<string, readonly [number, number]>()
  private readonly objects = new WeakMap<object, readonly [number, number]>()
  private readonly nodes = new WeakMap<NodeRec, readonly [number, number]>()
  private readonly envelopes = new WeakMap<Envelope, readonly [number, number]>()

  constructor(readonly rename: (s: string) => string) {}

  str(s: string): void {
    let c = this.strings.get(s)
    if (c === undefined) {
      const t = this.rename(s)
      let a = 0x3c6ef372 ^ t.length
      let b = 0xa54ff53a ^ t.length
      for (let i = 0; i < t.length; i++) {
        a = mixA(a, t.charCodeAt(i))
        b = mixB(b, t.charCodeAt(i))
      }
      c = [fmix32(a), fmix32(b)]
      if (this.strings.size > 1 << 16) this.strings.clear()
      this.strings.set(s, c)
    }
    this.a = c[0]
    this.b = c[1]
  }

  private set(a: number, b: number): void {
    this.a = fmix32(a)
    this.b = fmix32(b)
  }

  value(v: unknown): void {
    switch (typeof v) {
      case "string":
        return this.str(v)
      case "number":
        if ((v | 0) === v) return this.set(mixA(1, v), mixB(1, v))
        F64[0] = v
        return this.set(mixA(mixA(2, U32[0]!), U32[1]!), mixB(mixB(2, U32[0]!), U32[1]!))
      case "boolean":
        return this.set(v ? 3 : 4, v ? 5 : 6)
      case "undefined":
        return this.set(7, 8)
      case "bigint":
        this.str(`n${v}`)
        return this.set(this.a ^ 9, this.b ^ 10)
      case "object": {
        if (v === null) return this.set(11, 12)
        let c = this.objects.get(v)
        if (c === undefined) {
          this.object(v)
          this.objects.set(v, (c = [this.a, this.b]))
        }
        this.a = c[0]
        this.b = c[1]
        return
      }
      default:
        throw new TypeError(`cannot fingerprint a ${typeof v}: state must be plain data`)
    }
  }

  /** Lanes summed over values (a multiset). */
  private sum(xs: Iterable<unknown>, tag: number, n: number): void {
    let a = 0
    let b = 0
    for (const x of xs) {
      this.value(x)
      a = (a + this.a) | 0
      b = (b + this.b) | 0
    }
    this.set(mixA(mixA(tag, n), a), mixB(mixB(tag, n), b))
  }

  private object(v: object): void {
    if (Array.isArray(v)) {
      // A sorted list of strings (names, kept sorted) is re-sorted by the renamer: a renamed list
      // that is sorted is hashed by its content (as a multiset), any other in order.
      if (v.length > 1 && typeof v[0] === "string" && v.every((x) => typeof x === "string") && (isSorted(v) || isSorted(v.map(this.rename)))) return this.sum(v, 13, v.length)
      let a = mixA(14, v.length)
      let b = mixB(14, v.length)
      for (let i = 0; i < v.length; i++) {
        this.value(v[i])
        a = mixA(a, this.a)
        b = mixB(b, this.b)
      }
      return this.set(a, b)
    }
    if (v instanceof Map) {
      let a = 0
      let b = 0
      for (const [k, x] of v) {
        this.value(k)
        const ka = this.a
        const kb = this.b
        this.value(x)
        a = (a + fmix32(mixA(ka, this.a))) | 0
        b = (b + fmix32(mixB(kb, this.b))) | 0
      }
      return this.set(mixA(mixA(15, v.size), a), mixB(mixB(15, v.size), b))
    }
    if (v instanceof Set) return this.sum(v, 16, v.size)
    if (v instanceof Uint8Array) {
      let a = mixA(17, v.length)
      let b = mixB(17, v.length)
      for (let i = 0; i < v.length; i++) {
        a = mixA(a, v[i]!)
        b = mixB(b, v[i]!)
      }
      return this.set(a, b)
    }
    // A record by its entries in any order: keys that are addresses are renamed, which reorders them.
    const r = v as Record<string, unknown>
    let a = 0
    let b = 0
    let n = 0
    for (const k in r) {
      if (!Object.hasOwn(r, k) || r[k] === undefined) continue
      n++
      this.str(k)
      const ka = this.a
      const kb = this.b
      this.value(r[k])
      a = (a + fmix32(mixA(ka, this.a))) | 0
      b = (b + fmix32(mixB(kb, this.b))) | 0
    }
    return this.set(mixA(mixA(18, n), a), mixB(mixB(18, n), b))
  }

  /** A node record renamed: state, liveness, timers, storage, client progress. */
  node(n: NodeRec): void {
    let c = this.nodes.get(n)
    if (c === undefined) {
      this.value(n.state)
      let a = mixA(19, this.a)
      let b = mixB(19, this.b)
      a = mixA(a, n.up ? 1 : 0)
      b = mixB(b, n.up ? 1 : 0)
      this.value(n.durable)
      a = mixA(a, this.a)
      b = mixB(b, this.b)
      a = mixA(a, n.timers.length)
      for (const t of n.timers) {
        this.value(t.timer)
        a = mixA(mixA(mixA(a, this.a), t.min * 1000), t.max * 1000)
        b = mixB(mixB(mixB(b, this.b), t.min * 1000), t.max * 1000)
        this.str(t.sub)
        a = mixA(a, this.a)
        b = mixB(b, this.b)
      }
      const cl = n.client
      if (cl) {
        a = mixA(mixA(a, cl.next), cl.pending ? 1 : 2)
        b = mixB(mixB(b, cl.next), cl.pending ? 1 : 2)
        for (let r: Cons<unknown> | undefined = cl.results; r; r = r.tail) {
          this.value(r.head)
          a = mixA(a, this.a)
          b = mixB(b, this.b)
        }
      }
      this.set(a, b)
      this.nodes.set(n, (c = [this.a, this.b]))
    }
    this.a = c[0]
    this.b = c[1]
  }

  /** An envelope renamed: its link and message (not its send number). */
  envelope(e: Envelope): void {
    let c = this.envelopes.get(e)
    if (c === undefined) {
      this.str(e.from)
      let a = mixA(20, this.a)
      let b = mixB(20, this.b)
      this.str(e.to)
      a = mixA(a, this.a)
      b = mixB(b, this.b)
      this.value(e.msg)
      this.set(mixA(a, this.a), mixB(b, this.b))
      this.envelopes.set(e, (c = [this.a, this.b]))
    }
    this.a = c[0]
    this.b = c[1]
  }

  /**
   * The world renamed, into `out`: node records by their renamed positions (`at[j]`: the index of
   * the node renamed to position j), the network as a multiset, or for FIFO links as a set of
   * links each in send order, and the failure of a failed world.
   */
  world(w: World & { readonly failure?: string }, at: ReadonlyArray<number>, fifo: boolean, out: Fingerprint): void {
    let a = 21
    let b = 22
    for (let j = 0; j < at.length; j++) {
      this.node(w.nodes[at[j]!]!)
      a = mixA(a, this.a)
      b = mixB(b, this.b)
    }
    const net = w.net
    let sa = 0
    let sb = 0
    if (!fifo)
      for (let i = 0; i < net.length; i++) {
        this.envelope(net[i]!)
        sa = (sa + this.a) | 0
        sb = (sb + this.b) | 0
      }
    else {
      // The network is ordered by link, then send order: each link's run hashed in order, links summed.
      let la = 0
      let lb = 0
      for (let i = 0; i < net.length; i++) {
        const e = net[i]!
        const first = i === 0 || net[i - 1]!.from !== e.from || net[i - 1]!.to !== e.to
        if (first && i > 0) {
          sa = (sa + fmix32(la)) | 0
          sb = (sb + fmix32(lb)) | 0
        }
        if (first) {
          la = 23
          lb = 24
        }
        this.envelope(e)
        la = mixA(la, this.a)
        lb = mixB(lb, this.b)
      }
      if (net.length > 0) {
        sa = (sa + fmix32(la)) | 0
        sb = (sb + fmix32(lb)) | 0
      }
    }
    a = mixA(mixA(a, net.length), sa)
    b = mixB(mixB(b, net.length), sb)
    if (w.failure !== undefined) {
      this.str(w.failure)
      a = mixA(a, this.a)
      b = mixB(b, this.b)
    }
    const fa = fmix32(a)
    const fb = fmix32(b ^ 0x85ebca6b)
    out.hi = (fa ^ Math.imul(fb, 0x9e3779b1)) >>> 0
    out.lo = (fb ^ fa) >>> 0
  }
}
