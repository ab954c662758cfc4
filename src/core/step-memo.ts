/**
 * The memo of node steps: a node's step is a function of its record (state, timers, storage, client
 * progress), the event (an envelope, a timer, a restart) and the choices taken, and in a search the
 * same record meets the same event in very many worlds (the other nodes differ). The checker keeps
 * each step's outcomes (the new record and the hashed sends, per choice script) under the record's
 * and the event's 64-bit hashes, so a hit skips the handler, its Effect and the hashing of what it
 * built.
 *
 * The table is open addressing over typed arrays, keyed by all 160 bits (record hash, event hash, a
 * tag naming the node and the kind of event): a wrong hit needs two 64-bit hashes to collide at once.
 * It is bounded: past `maxEntries` it is cleared and refills from the states being expanded. An entry
 * holds about 0.8-1.3 KB beyond the worlds that share its records (measured after Paxos and Raft
 * searches of 100-300 k states: 15 k and 1 k entries), so the default cap of 2^17 entries is at most
 * about 170 MB.
 */
import type { StepCache, StepCacheStats } from "../checker/transition-system.ts"

const EMPTY = -1

/** Where a key's probe starts (before the mask). */
const home = (a: number, b: number, c: number, d: number, e: number): number => {
  const h = Math.imul(a ^ Math.imul(c, 0x9e3779b1) ^ Math.imul(e + 1, 0x85ebca6b), 0xc2b2ae35) ^ b ^ d
  return h ^ (h >>> 15)
}

export class StepMemo<V> implements StepCache {
  private enabled = true
  /** Inside `recheck` (with `enabled` false): entries recomputed once since are served. */
  private rechecking = false
  /** Per value: whether `recheck` has recomputed it once (allocated at the first recheck). */
  private rechecked: Uint8Array | undefined
  private hits = 0
  private misses = 0
  private clears = 0
  private capacity: number
  private keys: Int32Array
  private slots: Int32Array
  private values: V[] = []
  /** The slot the last missed lookup ended at: where `store` puts its value. */
  private pending = -1

  constructor(private readonly maxEntries = 1 << 17) {
    this.capacity = 1 << 12
    this.keys = new Int32Array(this.capacity * 5)
    this.slots = new Int32Array(this.capacity).fill(EMPTY)
  }

  /** Whether lookups are served (off inside `bypass`). */
  get on(): boolean {
    return this.enabled
  }

  /** The value under the key, or undefined (then `store` files the value computed for it). */
  lookup(a: number, b: number, c: number, d: number, e: number): V | undefined {
    // The table holds signed 32-bit words; hashes come as unsigned ones.
    a |= 0
    b |= 0
    c |= 0
    d |= 0
    e |= 0
    const slot = this.slotOf(a, b, c, d, e)
    const v = this.slots[slot]!
    if (v !== EMPTY) {
      this.hits++
      return this.values[v]
    }
    this.misses++
    this.pending = slot
    const k = slot * 5
    const keys = this.keys
    keys[k] = a
    keys[k + 1] = b
    keys[k + 2] = c
    keys[k + 3] = d
    keys[k + 4] = e
    return undefined
  }

  /** The slot holding the key (signed words), or the empty one where it would go. */
  private slotOf(a: number, b: number, c: number, d: number, e: number): number {
    const mask = this.capacity - 1
    const keys = this.keys
    for (let slot = home(a, b, c, d, e) & mask; ; slot = (slot + 1) & mask) {
      if (this.slots[slot] === EMPTY) return slot
      const k = slot * 5
      if (keys[k] === a && keys[k + 1] === b && keys[k + 2] === c && keys[k + 3] === d && keys[k + 4] === e) return slot
    }
  }

  /** Files `value` under the key of the last lookup, which missed. */
  store(value: V): void {
    if (this.pending < 0) return
    this.slots[this.pending] = this.values.length
    this.values.push(value)
    this.pending = -1
    if (this.values.length >= this.maxEntries) this.clear()
    else if (this.values.length * 2 > this.capacity) this.grow()
  }

  /**
   * Inside `recheck`: the value under the key if `recheck` has recomputed it once already; otherwise
   * undefined (the caller computes the step afresh, and not filed), and a held entry counts as
   * recomputed from now on. Outside it: undefined. Counts neither a hit nor a miss.
   */
  recomputed(a: number, b: number, c: number, d: number, e: number): V | undefined {
    if (!this.rechecking) return undefined
    const v = this.slots[this.slotOf(a | 0, b | 0, c | 0, d | 0, e | 0)]!
    if (v === EMPTY) return undefined
    const done = (this.rechecked ??= new Uint8Array(this.maxEntries))
    if (done[v] === 1) return this.values[v]
    done[v] = 1
    return undefined
  }

  private clear(): void {
    this.clears++
    this.values = []
    this.rechecked?.fill(0)
    this.slots.fill(EMPTY)
  }

  private grow(): void {
    const oldKeys = this.keys
    const oldSlots = this.slots
    this.capacity *= 2
    this.keys = new Int32Array(this.capacity * 5)
    this.slots = new Int32Array(this.capacity).fill(EMPTY)
    for (let s = 0; s < oldSlots.length; s++) {
      const v = oldSlots[s]!
      if (v === EMPTY) continue
      const k = s * 5
      this.lookup(oldKeys[k]!, oldKeys[k + 1]!, oldKeys[k + 2]!, oldKeys[k + 3]!, oldKeys[k + 4]!)
      this.slots[this.pending] = v
      this.misses--
    }
    this.pending = -1
  }

  bypass<T>(f: () => T): T {
    const was = this.enabled
    this.enabled = false
    try {
      return f()
    } finally {
      this.enabled = was
    }
  }

  recheck<T>(f: () => T): T {
    const was = this.rechecking
    // Inside `bypass` (a search with the memo off) nothing is served: every step is computed afresh.
    this.rechecking = this.enabled
    try {
      return this.bypass(f)
    } finally {
      this.rechecking = was
    }
  }

  stats(): StepCacheStats {
    return { hits: this.hits, misses: this.misses, entries: this.values.length, clears: this.clears, tableBytes: this.keys.byteLength + this.slots.byteLength }
  }
}
