/**
 * A persistent (structurally shared) map: a hash array mapped trie (32-way, 5 bits of a key's 32-bit
 * hash per level, a collision bucket below the last level). `with` and `without` copy one path of at
 * most 7 small nodes and share the rest, so an update costs O(log32 n) whatever the size; `changes`
 * walks two versions and skips every subtree they share, so it costs the size of the difference.
 *
 * It is a ReadonlyMap, and `instanceof Map` is true (it extends Map, overriding every read: its own
 * Map storage stays empty), so code that reads a Map -- hashing (checker/hash.ts, plain.ts), the
 * canonical encoding (core/encode.ts), the runtime codec, show, symmetry -- takes a Map's path and
 * gives the same result as for a Map of the same contents: all of them combine a Map's entries by
 * content, never by insertion order. Iteration is in trie order (by key hash), not insertion order.
 * The mutators (`set`, `delete`, `clear`) throw: state is immutable, and a silent no-op would be worse.
 * Keys are strings or numbers (hashed by value).
 */
import { fmix32 } from "../checker/hash.ts"

const BITS = 5
const MASK = 31
/** Below this shift every hash bit is used: equal hashes share a collision bucket. */
const MAX_SHIFT = 30

class Leaf<K, V> {
  constructor(
    readonly hash: number,
    readonly key: K,
    readonly value: V,
  ) {}
}
class Branch<K, V> {
  constructor(
    readonly bitmap: number,
    readonly kids: ReadonlyArray<Node<K, V>>,
  ) {}
}
class Bucket<K, V> {
  constructor(
    readonly hash: number,
    readonly leaves: ReadonlyArray<Leaf<K, V>>,
  ) {}
}
type Node<K, V> = Leaf<K, V> | Branch<K, V> | Bucket<K, V>

const popcount = (x: number): number => {
  x -= (x >>> 1) & 0x55555555
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  x = (x + (x >>> 4)) & 0x0f0f0f0f
  return Math.imul(x, 0x01010101) >>> 24
}

const F64 = new Float64Array(1)
const U32 = new Uint32Array(F64.buffer)

/** The 32-bit hash of a key (FNV-1a over a string's code units, then a murmur finaliser). */
export const keyHash = (k: unknown): number => {
  let h: number
  if (typeof k === "string") {
    h = 0x811c9dc5
    for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193)
  } else if (typeof k === "number") {
    if ((k | 0) === k) h = k ^ 0x5bd1e995
    else {
      F64[0] = k
      h = U32[0]! ^ Math.imul(U32[1]!, 0x27d4eb2f)
    }
  } else throw new TypeError(`PersistentMap keys are strings or numbers, not ${typeof k}`)
  return fmix32(h)
}

const lookup = <K, V>(node: Node<K, V> | undefined, hash: number, key: K): Leaf<K, V> | undefined => {
  let shift = 0
  while (node !== undefined) {
    if (node instanceof Leaf) return node.key === key ? node : undefined
    if (node instanceof Bucket) {
      if (node.hash !== hash) return undefined
      for (const l of node.leaves) if (l.key === key) return l
      return undefined
    }
    const bit = 1 << ((hash >>> shift) & MASK)
    if ((node.bitmap & bit) === 0) return undefined
    node = node.kids[popcount(node.bitmap & (bit - 1))]
    shift += BITS
  }
  return undefined
}

/** A node holding two leaves of different keys, at `shift`. */
const pair = <K, V>(a: Leaf<K, V>, b: Leaf<K, V>, shift: number): Node<K, V> => {
  if (a.hash === b.hash || shift > MAX_SHIFT) return new Bucket(a.hash, [a, b])
  const ia = (a.hash >>> shift) & MASK
  const ib = (b.hash >>> shift) & MASK
  if (ia === ib) return new Branch(1 << ia, [pair(a, b, shift + BITS)])
  return new Branch((1 << ia) | (1 << ib), ia < ib ? [a, b] : [b, a])
}

const replaced = <T>(arr: ReadonlyArray<T>, i: number, x: T): T[] => {
  const out = arr.slice()
  out[i] = x
  return out
}

/** `node` with `leaf` in it (its key added or its value replaced); `grew` tells whether a key was added. */
const insert = <K, V>(node: Node<K, V> | undefined, leaf: Leaf<K, V>, shift: number, grew: { v: boolean }): Node<K, V> => {
  if (node === undefined) {
    grew.v = true
    return leaf
  }
  if (node instanceof Leaf) {
    if (node.key === leaf.key) return node.value === leaf.value ? node : leaf
    grew.v = true
    return pair(node, leaf, shift)
  }
  if (node instanceof Bucket) {
    if (node.hash !== leaf.hash) {
      // A bucket sits where only equal hashes reach at the last level; above it, split by the next bits.
      grew.v = true
      return shift > MAX_SHIFT ? new Bucket(node.hash, [...node.leaves, leaf]) : splitBucket(node, leaf, shift)
    }
    const i = node.leaves.findIndex((l) => l.key === leaf.key)
    if (i >= 0) return node.leaves[i]!.value === leaf.value ? node : new Bucket(node.hash, replaced(node.leaves, i, leaf))
    grew.v = true
    return new Bucket(node.hash, [...node.leaves, leaf])
  }
  const bit = 1 << ((leaf.hash >>> shift) & MASK)
  const i = popcount(node.bitmap & (bit - 1))
  if ((node.bitmap & bit) === 0) {
    grew.v = true
    const kids = node.kids.slice()
    kids.splice(i, 0, leaf)
    return new Branch(node.bitmap | bit, kids)
  }
  const kid = node.kids[i]!
  const next = insert(kid, leaf, shift + BITS, grew)
  return next === kid ? node : new Branch(node.bitmap, replaced(node.kids, i, next))
}

const splitBucket = <K, V>(b: Bucket<K, V>, leaf: Leaf<K, V>, shift: number): Node<K, V> => {
  const ib = (b.hash >>> shift) & MASK
  const il = (leaf.hash >>> shift) & MASK
  if (ib === il) return new Branch(1 << ib, [splitBucket(b, leaf, shift + BITS)])
  return new Branch((1 << ib) | (1 << il), ib < il ? [b, leaf] : [leaf, b])
}

/** `node` without `key`; the same node when the key is absent. */
const remove = <K, V>(node: Node<K, V> | undefined, hash: number, key: K, shift: number): Node<K, V> | undefined => {
  if (node === undefined) return undefined
  if (node instanceof Leaf) return node.key === key ? undefined : node
  if (node instanceof Bucket) {
    const i = node.leaves.findIndex((l) => l.key === key)
    if (i < 0) return node
    if (node.leaves.length === 2) return node.leaves[1 - i]
    return new Bucket(node.hash, node.leaves.filter((_, j) => j !== i))
  }
  const bit = 1 << ((hash >>> shift) & MASK)
  if ((node.bitmap & bit) === 0) return node
  const i = popcount(node.bitmap & (bit - 1))
  const kid = node.kids[i]!
  const next = remove(kid, hash, key, shift + BITS)
  if (next === kid) return node
  if (next === undefined) {
    if (node.kids.length === 1) return undefined
    const kids = node.kids.filter((_, j) => j !== i)
    // A branch left with one leaf (or bucket) is that leaf: the trie stays canonical for its contents.
    if (kids.length === 1 && !(kids[0] instanceof Branch)) return kids[0]
    return new Branch(node.bitmap & ~bit, kids)
  }
  if (node.kids.length === 1 && !(next instanceof Branch)) return next
  return new Branch(node.bitmap, replaced(node.kids, i, next))
}

const eachLeaf = <K, V>(node: Node<K, V> | undefined, f: (l: Leaf<K, V>) => void): void => {
  if (node === undefined) return
  if (node instanceof Leaf) f(node)
  else if (node instanceof Bucket) for (const l of node.leaves) f(l)
  else for (const k of node.kids) eachLeaf(k, f)
}

/** Iterates the leaves of a trie with an explicit stack (no generator frames). */
class LeafIterator<K, V, T> implements IterableIterator<T> {
  private readonly nodes: Array<Node<K, V>> = []
  private readonly at: number[] = []
  private bucket: ReadonlyArray<Leaf<K, V>> | undefined = undefined
  private bi = 0
  constructor(
    root: Node<K, V> | undefined,
    private readonly out: (l: Leaf<K, V>) => T,
  ) {
    if (root !== undefined) {
      this.nodes.push(root)
      this.at.push(-1)
    }
  }
  [Symbol.iterator](): this {
    return this
  }
  next(): IteratorResult<T> {
    if (this.bucket !== undefined) {
      if (this.bi < this.bucket.length) return { done: false, value: this.out(this.bucket[this.bi++]!) }
      this.bucket = undefined
    }
    while (this.nodes.length > 0) {
      const top = this.nodes.length - 1
      const n = this.nodes[top]!
      if (n instanceof Branch) {
        const i = ++this.at[top]!
        if (i >= n.kids.length) {
          this.nodes.pop()
          this.at.pop()
          continue
        }
        const kid = n.kids[i]!
        if (kid instanceof Leaf) return { done: false, value: this.out(kid) }
        this.nodes.push(kid)
        this.at.push(-1)
        continue
      }
      this.nodes.pop()
      this.at.pop()
      if (n instanceof Leaf) return { done: false, value: this.out(n) }
      this.bucket = n.leaves
      this.bi = 1
      return { done: false, value: this.out(n.leaves[0]!) }
    }
    return { done: true, value: undefined }
  }
}

const entryOf = <K, V>(l: Leaf<K, V>): [K, V] => [l.key, l.value]
const keyOf = <K, V>(l: Leaf<K, V>): K => l.key
const valueOf = <K, V>(l: Leaf<K, V>): V => l.value

/** What `changes` reports for a key: its value in the newer version, or `ABSENT` when it was removed. */
export const ABSENT: unique symbol = Symbol("absent")

const collect = <K, V>(node: Node<K, V> | undefined): Map<K, V> => {
  const m = new Map<K, V>()
  eachLeaf(node, (l) => void m.set(l.key, l.value))
  return m
}

const changedNodes = <K, V>(a: Node<K, V> | undefined, b: Node<K, V> | undefined, f: (k: K, v: V | typeof ABSENT, old: V | typeof ABSENT) => void): void => {
  if (a === b) return
  if (a instanceof Branch && b instanceof Branch) {
    const both = a.bitmap | b.bitmap
    for (let bits = both; bits !== 0; bits &= bits - 1) {
      const bit = bits & -bits
      const ka = (a.bitmap & bit) === 0 ? undefined : a.kids[popcount(a.bitmap & (bit - 1))]
      const kb = (b.bitmap & bit) === 0 ? undefined : b.kids[popcount(b.bitmap & (bit - 1))]
      changedNodes(ka, kb, f)
    }
    return
  }
  // A leaf or bucket against anything: the subtrees are small (a leaf turned into a branch of two, ...).
  const ma = collect(a)
  const mb = collect(b)
  for (const [k, v] of mb) {
    const old = ma.has(k) ? ma.get(k)! : ABSENT
    if (old !== v) f(k, v, old)
  }
  for (const [k, v] of ma) if (!mb.has(k)) f(k, ABSENT, v)
}

export class PersistentMap<K, V> extends Map<K, V> implements ReadonlyMap<K, V> {
  static readonly EMPTY: PersistentMap<never, never> = new PersistentMap<never, never>(undefined, 0)

  private constructor(
    private readonly root: Node<K, V> | undefined,
    private readonly count: number,
  ) {
    super()
  }

  static empty<K, V>(): PersistentMap<K, V> {
    return PersistentMap.EMPTY as unknown as PersistentMap<K, V>
  }

  /** A persistent map of `entries` (a later entry of a key wins, as in `new Map`). */
  static from<K, V>(entries: Iterable<readonly [K, V]>): PersistentMap<K, V> {
    if (entries instanceof PersistentMap) return entries as PersistentMap<K, V>
    let root: Node<K, V> | undefined
    let count = 0
    const grew = { v: false }
    for (const [k, v] of entries) {
      grew.v = false
      root = insert(root, new Leaf(keyHash(k), k, v), 0, grew)
      if (grew.v) count++
    }
    return new PersistentMap(root, count)
  }

  override get size(): number {
    return this.count
  }
  override get(key: K): V | undefined {
    return lookup(this.root, keyHash(key), key)?.value
  }
  override has(key: K): boolean {
    return lookup(this.root, keyHash(key), key) !== undefined
  }

  /** This map with `key` set to `value` (this map itself when it already holds exactly that). */
  with(key: K, value: V): PersistentMap<K, V> {
    const grew = { v: false }
    const root = insert(this.root, new Leaf(keyHash(key), key, value), 0, grew)
    return root === this.root ? this : new PersistentMap(root, this.count + (grew.v ? 1 : 0))
  }

  /** This map without `key` (this map itself when the key is absent). */
  without(key: K): PersistentMap<K, V> {
    const root = remove(this.root, keyHash(key), key, 0)
    return root === this.root ? this : new PersistentMap(root, this.count - 1)
  }

  /**
   * Calls `f` for each key whose value differs between `older` and this map (by `===`), with its value
   * here (`ABSENT` if removed) and in `older` (`ABSENT` if added). Subtrees the two share are skipped, so
   * the cost is that of the difference, not of the maps.
   */
  changesSince(older: PersistentMap<K, V>, f: (k: K, v: V | typeof ABSENT, old: V | typeof ABSENT) => void): void {
    changedNodes(older.root, this.root, f)
  }

  override forEach(f: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    eachLeaf(this.root, (l) => f.call(thisArg, l.value, l.key, this))
  }
  override [Symbol.iterator](): MapIterator<[K, V]> {
    return new LeafIterator(this.root, entryOf) as unknown as MapIterator<[K, V]>
  }
  override entries(): MapIterator<[K, V]> {
    return new LeafIterator(this.root, entryOf) as unknown as MapIterator<[K, V]>
  }
  override keys(): MapIterator<K> {
    return new LeafIterator(this.root, keyOf) as unknown as MapIterator<K>
  }
  override values(): MapIterator<V> {
    return new LeafIterator(this.root, valueOf) as unknown as MapIterator<V>
  }

  override set(): this {
    throw new TypeError("PersistentMap is immutable: use with(key, value)")
  }
  override delete(): boolean {
    throw new TypeError("PersistentMap is immutable: use without(key)")
  }
  override clear(): void {
    throw new TypeError("PersistentMap is immutable")
  }
  override get [Symbol.toStringTag](): string {
    return "PersistentMap"
  }
}

/**
 * Maps of at most this many keys are copied whole on a write (a plain Map: the checker's states,
 * hashed and compared exactly as before); a larger one becomes a PersistentMap, whose writes copy one
 * path of the trie, so a write costs O(log n) however large the map grows (the runtime's KV store, its
 * dedup table). Both are Maps of the same contents to every reader: hash, encoding, equality by content.
 */
export const COPY_UP_TO = 64

/** `m` with `key` set to `value`; `m` itself unchanged (see COPY_UP_TO). */
export const setIn = <K, V>(m: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> => {
  if (m instanceof PersistentMap) return (m as PersistentMap<K, V>).with(key, value)
  if (m.size < COPY_UP_TO || (m.size === COPY_UP_TO && m.has(key))) return new Map(m).set(key, value)
  return PersistentMap.from(m).with(key, value)
}

/** `m` without `key`; `m` itself unchanged (a Map is copied, a PersistentMap loses one path). */
export const deleteIn = <K, V>(m: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> => {
  if (m instanceof PersistentMap) return (m as PersistentMap<K, V>).without(key)
  const out = new Map(m)
  out.delete(key)
  return out
}

/** `m` without the keys `drop` accepts (`m` itself when none): a PersistentMap loses them path by path, a Map is copied. */
export const deleteWhere = <K, V>(m: ReadonlyMap<K, V>, drop: (key: K) => boolean): ReadonlyMap<K, V> => {
  if (m instanceof PersistentMap) {
    let out = m as PersistentMap<K, V>
    for (const k of m.keys()) if (drop(k)) out = out.without(k)
    return out
  }
  let out: Map<K, V> | undefined
  for (const k of m.keys()) if (drop(k)) (out ??= new Map(m)).delete(k)
  return out ?? m
}

/**
 * Whether some key of `after` holds a value other than in `before` (by ===; `old` undefined when
 * `before` lacks the key) that `f` accepts; removed keys are not asked about. Two versions of one
 * PersistentMap are compared by their difference only (changesSince), anything else key by key.
 */
export const someChanged = <K, V>(before: ReadonlyMap<K, V>, after: ReadonlyMap<K, V>, f: (key: K, value: V, old: V | undefined) => boolean): boolean => {
  if (before === after) return false
  if (before instanceof PersistentMap && after instanceof PersistentMap) {
    let found = false
    ;(after as PersistentMap<K, V>).changesSince(before as PersistentMap<K, V>, (k, v, old) => {
      if (!found && v !== ABSENT && f(k, v, old === ABSENT ? undefined : old)) found = true
    })
    return found
  }
  for (const [k, v] of after) {
    const old = before.get(k)
    if (old !== v && f(k, v, old)) return true
  }
  return false
}
