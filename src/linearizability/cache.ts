/**
 * Lowe's memo of search nodes already visited: (set of linearised operations, model state id),
 * with subsumption: a node is covered by a visited node with the same state that linearised the
 * same operations except for fewer optional ones (those that never returned). See search.ts for
 * why pruning covered nodes is sound.
 *
 * A hash table with chaining over typed arrays. A node's hash leaves out the optional operations,
 * so the nodes that may cover each other share a chain; the sets are then compared exactly, bitset
 * word by word, so a hash collision costs time but never a wrong verdict. Per key the chain holds an
 * antichain: a new node unlinks the nodes it covers.
 *
 * A set is stored as its window: the words from the first that is not all ones to the last that is
 * not zero (the search linearises operations roughly in history order, so this stays short even
 * when the partition holds tens of thousands of operations).
 */
export class VisitedSet {
  private heads: Int32Array
  private chain: Int32Array
  private hashHi: Int32Array
  private hashLo: Int32Array
  private states: Int32Array
  /** Window of each set: its first and end word, and where its words start in `pool`. */
  private from: Int32Array
  private to: Int32Array
  private at: Int32Array
  private pool: Uint32Array
  private used = 0
  private readonly words: number
  private size = 0

  /** `optional`: bitset of the operations that never returned. */
  constructor(
    private readonly optional: Uint32Array,
    capacity = 1024
  ) {
    this.words = optional.length
    this.heads = new Int32Array(capacity).fill(-1)
    this.chain = new Int32Array(capacity)
    this.hashHi = new Int32Array(capacity)
    this.hashLo = new Int32Array(capacity)
    this.states = new Int32Array(capacity)
    this.from = new Int32Array(capacity)
    this.to = new Int32Array(capacity)
    this.at = new Int32Array(capacity)
    this.pool = new Uint32Array(capacity)
  }

  /**
   * Adds the node; false when a visited node covers it. (hi, lo): hash of state and returned operations.
   * `first` and `end`, when the caller keeps them: the set's window (its first word that is not all
   * ones, one past its last word that is not zero), found by scanning otherwise.
   */
  add(hi: number, lo: number, state: number, set: Uint32Array, first?: number, end?: number): boolean {
    const { words, hashHi, hashLo, states, chain } = this
    const bucket = (lo ^ Math.imul(hi, 0x9e3779b1)) & (this.heads.length - 1)
    let before = -1
    for (let e = this.heads[bucket]!; e >= 0; ) {
      const after = chain[e]!
      if (hashLo[e] === lo && hashHi[e] === hi && states[e] === state) {
        const rel = this.compare(e, set)
        if (rel === COVERS) return false
        if (rel === COVERED) {
          // Unlink: the new node will cover it.
          if (before < 0) this.heads[bucket] = after
          else chain[before] = after
          e = after
          continue
        }
      }
      before = e
      e = after
    }
    const e = this.size++
    if (e === this.states.length) this.grow()
    this.hashHi[e] = hi
    this.hashLo[e] = lo
    this.states[e] = state
    let from = first ?? 0
    if (first === undefined) while (from < words && set[from] === 0xffffffff) from++
    let to = end === undefined ? words : Math.max(from, end)
    if (end === undefined) while (to > from && set[to - 1] === 0) to--
    if (this.used + to - from > this.pool.length) {
      const pool = new Uint32Array(Math.max(2 * this.pool.length, this.used + to - from))
      pool.set(this.pool)
      this.pool = pool
    }
    for (let w = from; w < to; w++) this.pool[this.used + w - from] = set[w]!
    this.from[e] = from
    this.to[e] = to
    this.at[e] = this.used
    this.used += to - from
    this.chain[e] = this.heads[bucket]!
    this.heads[bucket] = e
    return true
  }

  /** How the stored set of entry `e` relates to `set`: COVERS it, is COVERED by it, or neither. */
  private compare(e: number, set: Uint32Array): number {
    const { pool, optional } = this
    const from = this.from[e]!
    const to = this.to[e]!
    const at = this.at[e]!
    let stored = 0
    let now = 0
    for (let w = 0; w < set.length; w++) {
      const a = w < from ? 0xffffffff : w < to ? pool[at + w - from]! : 0
      const b = set[w]!
      if (((a ^ b) & ~optional[w]!) !== 0) return NEITHER
      stored |= a & ~b
      now |= b & ~a
    }
    return stored === 0 ? COVERS : now === 0 ? COVERED : NEITHER
  }

  /** Doubles the pool and the buckets, and rebuilds the chains. */
  private grow(): void {
    const cap = this.states.length * 2
    const copy = <T extends Int32Array | Uint32Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n)
      b.set(a)
      return b
    }
    this.hashHi = copy(this.hashHi, cap)
    this.hashLo = copy(this.hashLo, cap)
    this.states = copy(this.states, cap)
    this.from = copy(this.from, cap)
    this.to = copy(this.to, cap)
    this.at = copy(this.at, cap)
    const old = this.heads
    this.heads = new Int32Array(cap).fill(-1)
    const chain = new Int32Array(cap)
    // Re-bucket only the nodes still linked (unlinked ones are dead).
    for (let b = 0; b < old.length; b++) {
      for (let e = old[b]!; e >= 0; e = this.chain[e]!) {
        const bucket = (this.hashLo[e]! ^ Math.imul(this.hashHi[e]!, 0x9e3779b1)) & (cap - 1)
        chain[e] = this.heads[bucket]!
        this.heads[bucket] = e
      }
    }
    this.chain = chain
  }
}

const NEITHER = 0
const COVERS = 1
const COVERED = 2
