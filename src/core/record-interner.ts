/**
 * A searching thread's own node records, by hash, for worlds that arrive from another thread (parallel
 * BFS's work stealing decodes them as fresh objects). The caches of a search key on object identity:
 * Raft's invariant verdicts per tuple of node states and storages, the Paxos refinement's summaries per
 * log object. A decoded world's records, and what its descendants keep of them (every node that has not
 * stepped since), would miss those caches for the rest of the search. `adopt` puts back, in place, the
 * record this thread already holds under the same 64-bit hash; for a record it does not hold, the node
 * state and storage it holds under their own hashes (`sh`/`sl`, `dh`/`dl`). `keep` files the records of
 * the worlds the thread expands. Equal hashes are taken for equal values, as fingerprints and the step
 * memo already take them.
 *
 * Bounded: each table is direct-mapped (a slot per hash, the newer entry replacing the older), so it
 * holds the most recent records and never grows.
 */
import type { StateInterner } from "../checker/transition-system.ts"
import type { NodeRec, World } from "./world.ts"

/** Objects by 64-bit hash, one per slot. */
class ByHash<T extends object> {
  private readonly his: Int32Array
  private readonly los: Int32Array
  private readonly objects: Array<T | undefined>
  private readonly mask: number

  constructor(bits: number) {
    this.mask = (1 << bits) - 1
    this.his = new Int32Array(1 << bits)
    this.los = new Int32Array(1 << bits)
    this.objects = new Array<T | undefined>(1 << bits).fill(undefined)
  }

  private slot(hi: number, lo: number): number {
    const h = Math.imul(hi ^ Math.imul(lo, 0x9e3779b1), 0x85ebca6b)
    return (h ^ (h >>> 16)) & this.mask
  }

  get(hi: number, lo: number): T | undefined {
    const s = this.slot(hi, lo)
    return this.his[s] === (hi | 0) && this.los[s] === (lo | 0) ? this.objects[s] : undefined
  }

  /** Files `v` under (hi, lo); false when it was already there. */
  put(hi: number, lo: number, v: T): boolean {
    const s = this.slot(hi, lo)
    if (this.objects[s] === v) return false
    this.his[s] = hi
    this.los[s] = lo
    this.objects[s] = v
    return true
  }
}

const isObject = (v: unknown): v is object => typeof v === "object" && v !== null

export interface RecordInternerStats {
  readonly held: number
  readonly missed: number
}

export class RecordInterner<W extends World = World> implements StateInterner<W> {
  private readonly records: ByHash<NodeRec>
  private readonly states: ByHash<object>
  private readonly durables: ByHash<object>
  private held = 0
  private worlds = 0
  private missed = 0

  /** 2^bits slots per table (default 2^16: about 3 MB of tables); `keep` files one world in `keepEvery`. */
  constructor(
    bits = 16,
    private readonly keepEvery = 8
  ) {
    this.records = new ByHash(bits)
    this.states = new ByHash(bits)
    this.durables = new ByHash(bits)
  }

  /**
   * Files the records of a world of this thread's (one it is about to expand): the first world in each
   * `keepEvery`, since a search meets the same records in very many worlds, and the table is a cache.
   */
  keep(w: W): void {
    if (this.worlds++ % this.keepEvery !== 0) return
    const nodes = w.nodes
    for (let i = 0; i < nodes.length; i++) this.keepRecord(nodes[i]!)
  }

  private keepRecord(r: NodeRec): void {
    if (!this.records.put(r.hi, r.lo, r)) return
    if (isObject(r.state)) this.states.put(r.sh, r.sl, r.state)
    if (isObject(r.durable)) this.durables.put(r.dh, r.dl, r.durable)
  }

  /**
   * A world decoded from another thread, its records replaced in place by this thread's equal ones (the
   * decoded world and its node array are the caller's alone); records new to this thread are filed.
   */
  adopt(w: W): W {
    const nodes = w.nodes as NodeRec[]
    for (let i = 0; i < nodes.length; i++) {
      const r = nodes[i]!
      const own = this.records.get(r.hi, r.lo)
      if (own) {
        nodes[i] = own
        this.held++
        continue
      }
      this.missed++
      const state = isObject(r.state) ? (this.states.get(r.sh, r.sl) ?? r.state) : r.state
      const durable = isObject(r.durable) ? (this.durables.get(r.dh, r.dl) ?? r.durable) : r.durable
      const rec: NodeRec =
        state === r.state && durable === r.durable
          ? r
          : { state, timers: r.timers, up: r.up, durable: durable as NodeRec["durable"], client: r.client, hi: r.hi, lo: r.lo, sh: r.sh, sl: r.sl, dh: r.dh, dl: r.dl }
      nodes[i] = rec
      this.keepRecord(rec)
    }
    return w
  }

  replaced(): number {
    return this.held
  }

  /** Records of adopted worlds that were replaced by this thread's own, and those that were not (their state or storage possibly replaced). */
  stats(): RecordInternerStats {
    return { held: this.held, missed: this.missed }
  }
}
