/**
 * The visited set of parallel BFS: FingerprintSet's layout (open addressing, linear probing, an id per
 * fingerprint with its fingerprint and parent id per id) in SharedArrayBuffers, so that every worker
 * inserts into one table.
 *
 * A slot is three int32 words: tag, hi, lo. The tag goes EMPTY -> BUSY by compareExchange (the
 * inserting thread owns the slot), the thread writes hi and lo, then publishes with an atomic store of
 * READY; a reader that meets BUSY spins the few instructions until READY.
 *
 * Lookups read plainly: V8 does not inline Atomics.load (a builtin call; 20 M lookups in a 48 MB
 * table took 4.0-4.2 s with it against 0.9-1.8 s without), and every successor is looked up. A plain
 * read is tear-free and each word is written once, from zero, so it sees either 0 or the word's final
 * value: a tag seen EMPTY is confirmed by the claim's compareExchange, one seen BUSY is waited on
 * atomically, and a READY slot whose words read non-zero holds exactly those. Only a word read 0 may
 * be one not yet visible: `add` then reads the tag atomically (which orders the words' writes before
 * its reads) and reads them again; `has` takes it for another fingerprint -- it answers "may this
 * successor be left unbuilt?", where "not held" costs only the building, and `add` decides.
 *
 * Ids are handed out in blocks of ID_BLOCK per thread, so that two threads do not write the per-id
 * arrays in one cache line (false sharing) nor contend on one counter per insert; a block's unused
 * tail leaves holes in the id space, which only the parent walk reads, and it never meets a hole.
 * So `claimed` only bounds the ids in use; each thread counts its own inserts (`add` returns an id).
 *
 * The table never grows while workers insert: the coordinator grows it between their runs (workers
 * stop once `claimed >= growAt`, which leaves slack for the successors of the states in flight), and
 * the workers re-insert the old slots into the new table, each a slice.
 */
import { NO_PARENT, slotOf } from "./fpset.ts"

const EMPTY = 0
const BUSY = 1
const READY = 2

/** Grow once this share of the slots is used; ids are allocated up to MAX_LOAD. */
const GROW_LOAD = 0.5
const MAX_LOAD = 0.65

/** Word in `counters`: ids handed out to threads (in blocks); read before every state, so 64 bytes from either end of its buffer (no other memory in its cache line). */
const CLAIMED = 16
const COUNTER_BYTES = 192
const ID_BLOCK = 1024

/**
 * A table grows fourfold up to this many slots (48 MiB), then twofold. Each growth stops every
 * searching thread (a barrier), allocates and zeroes the new buffers and re-inserts every fingerprint:
 * from 2^18 slots, a search of 1-2 M states (Raft's election to depth 12, TwoPhase RM=8) grew four
 * times, now twice, and ends in the same 2^22 slots. Past 2^22 the table doubles, as the
 * single-threaded one does, so that a large search (TwoPhase RM=9) does not take twice the memory it needs.
 * The cost: a search that ends with 0.5-1 M fingerprints holds 2^22 slots and their ids (81 MiB) where
 * twofold growth stopped at 2^21 (40 MiB).
 */
const QUADRUPLE_UP_TO = 1 << 22

export interface SharedFpSetBuffers {
  readonly table: SharedArrayBuffer
  readonly counters: SharedArrayBuffer
  readonly fpHi: SharedArrayBuffer
  readonly fpLo: SharedArrayBuffer
  readonly parents: SharedArrayBuffer
}


export class SharedFpSet {
  private readonly table: Int32Array
  private readonly counters: Int32Array
  private readonly fpHi: Int32Array
  private readonly fpLo: Int32Array
  private readonly parents: Uint32Array
  private readonly mask: number
  /** Workers stop expanding states once `claimed` reaches this (see the module comment). */
  readonly growAt: number
  private nextId = 0
  private blockEnd = 0

  constructor(readonly buffers: SharedFpSetBuffers) {
    this.table = new Int32Array(buffers.table)
    this.counters = new Int32Array(buffers.counters)
    this.fpHi = new Int32Array(buffers.fpHi)
    this.fpLo = new Int32Array(buffers.fpLo)
    this.parents = new Uint32Array(buffers.parents)
    const slots = this.table.length / 3
    this.mask = slots - 1
    this.growAt = Math.floor(slots * GROW_LOAD)
  }

  /** A table with room for `expected` fingerprints before it must grow (at least 2^18 slots, 3 MiB). */
  static create(expected: number): SharedFpSet {
    let slots = 1 << 18
    while (slots * GROW_LOAD < expected) slots *= 2
    const ids = Math.floor(slots * MAX_LOAD)
    return new SharedFpSet({
      table: new SharedArrayBuffer(slots * 12),
      counters: new SharedArrayBuffer(COUNTER_BYTES),
      fpHi: new SharedArrayBuffer(ids * 4),
      fpLo: new SharedArrayBuffer(ids * 4),
      parents: new SharedArrayBuffer(ids * 4),
    })
  }

  /** Ids handed out to all threads: at least the number of fingerprints in the table. */
  get claimed(): number {
    return Atomics.load(this.counters, CLAIMED)
  }

  /** `claimed` has reached `growAt`, by a plain read: a poll before each state, which a stale read delays by a state or two (growAt leaves slack). */
  get due(): boolean {
    return this.counters[CLAIMED]! >= this.growAt
  }

  get capacity(): number {
    return this.mask + 1
  }

  /** Inserts (hi, lo) with its parent's id; returns the new id, or -1 when already present. Thread-safe. */
  add(hi: number, lo: number, parent: number): number {
    const table = this.table
    const h = hi | 0
    const l = lo | 0
    let i = slotOf(hi, lo, this.mask) * 3
    for (;;) {
      let tag = table[i]!
      if (tag === EMPTY) {
        tag = Atomics.compareExchange(table, i, EMPTY, BUSY)
        if (tag === EMPTY) {
          table[i + 1] = h
          table[i + 2] = l
          if (this.nextId === this.blockEnd) {
            this.nextId = Atomics.add(this.counters, CLAIMED, ID_BLOCK)
            this.blockEnd = this.nextId + ID_BLOCK
          }
          const id = this.nextId++
          if (id >= this.parents.length) throw new RangeError("shared fingerprint table overfull: a state had more successors than the growth slack")
          this.fpHi[id] = h
          this.fpLo[id] = l
          this.parents[id] = parent
          Atomics.store(table, i, READY)
          return id
        }
      }
      while (tag === BUSY) tag = Atomics.load(table, i)
      let th = table[i + 1]!
      let tl = table[i + 2]!
      if (th === 0 || tl === 0) {
        Atomics.load(table, i)
        th = table[i + 1]!
        tl = table[i + 2]!
      }
      if (th === h && tl === l) return -1
      i += 3
      if (i === table.length) i = 0
    }
  }

  /**
   * Whether (hi, lo) is in the table; false also, possibly, for one that another thread is inserting
   * at that moment (plain reads: see the module comment). Thread-safe.
   */
  has(hi: number, lo: number): boolean {
    const table = this.table
    const h = hi | 0
    const l = lo | 0
    let i = slotOf(hi, lo, this.mask) * 3
    for (;;) {
      const tag = table[i]
      if (tag === EMPTY) return false
      if (tag === READY && table[i + 1] === h && table[i + 2] === l && h !== 0 && l !== 0) return true
      i += 3
      if (i === table.length) i = 0
    }
  }

  /**
   * An empty table with four times the slots (twice past QUADRUPLE_UP_TO), holding this one's ids; fill it with `rehashPart`.
   * Only while no thread inserts.
   */
  grownIds(): SharedFpSet {
    const claimed = this.claimed
    const factor = this.capacity * 4 <= QUADRUPLE_UP_TO ? 4 : 2
    const next = SharedFpSet.create(Math.max(claimed + ID_BLOCK, this.growAt * factor))
    next.fpHi.set(this.fpHi.subarray(0, claimed))
    next.fpLo.set(this.fpLo.subarray(0, claimed))
    next.parents.set(this.parents.subarray(0, claimed))
    next.counters[CLAIMED] = claimed
    return next
  }

  /**
   * Re-inserts the fingerprints in slice `part` of `parts` of `from`'s slots; the threads that share
   * the parts run at once (so growth is parallel too) and no one reads until all are done.
   */
  rehashPart(from: SharedFpSet, part: number, parts: number): void {
    const src = from.table
    const to = this.table
    const mask = this.mask
    const slots = src.length / 3
    const end = Math.floor((slots * (part + 1)) / parts) * 3
    for (let j = Math.floor((slots * part) / parts) * 3; j < end; j += 3) {
      if (src[j] !== READY) continue
      const h = src[j + 1]!
      const l = src[j + 2]!
      let i = slotOf(h, l, mask) * 3
      while (Atomics.compareExchange(to, i, EMPTY, READY) !== EMPTY) {
        i += 3
        if (i === to.length) i = 0
      }
      to[i + 1] = h
      to[i + 2] = l
    }
  }

  /** Fingerprints from an initial state down to `id`, as [hi, lo] pairs (unsigned). */
  pathTo(id: number): Array<readonly [number, number]> {
    const path: Array<readonly [number, number]> = []
    for (let cur = id; cur !== NO_PARENT; cur = this.parents[cur]!) path.push([this.fpHi[cur]! >>> 0, this.fpLo[cur]! >>> 0])
    return path.reverse()
  }
}
