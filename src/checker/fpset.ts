/**
 * The visited set: 64-bit fingerprints in an open-addressing table over a Uint32Array (hi, lo, id+1
 * per slot, linear probing), not a JS Set (which stops at 2^24 entries and costs ~58 B/entry).
 * Every inserted fingerprint gets a dense id; per id we keep its fingerprint and its parent's id, so a
 * counterexample is rebuilt by walking parents and replaying (TLC's way), without storing states.
 */
import { closeSync, openSync, readFileSync, writeSync } from "node:fs"
import { fmix32 } from "./hash.ts"

export const NO_PARENT = 0xffffffff

/** A fingerprint's home slot in a table of `mask + 1` slots (shared with the parallel table). */
export const slotOf = (hi: number, lo: number, mask: number): number => fmix32((lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0) & mask

export class FingerprintSet {
  private table: Uint32Array
  private mask: number
  private count = 0
  private fpHi: Uint32Array
  private fpLo: Uint32Array
  private parents: Uint32Array

  constructor(initialCapacity = 1 << 16) {
    let cap = 1024
    while (cap < initialCapacity * 2) cap *= 2
    this.table = new Uint32Array(cap * 3)
    this.mask = cap - 1
    const n = Math.max(1024, initialCapacity)
    this.fpHi = new Uint32Array(n)
    this.fpLo = new Uint32Array(n)
    this.parents = new Uint32Array(n)
  }

  get size(): number {
    return this.count
  }

  /** Bytes held by the table and the per-id arrays. */
  get bytes(): number {
    return this.table.byteLength + this.fpHi.byteLength * 3
  }

  /** Offset in `table` of (hi, lo)'s slot, or of the empty slot where it would go (linear probing). */
  private probe(hi: number, lo: number): number {
    const table = this.table
    const mask = this.mask
    for (let slot = slotOf(hi, lo, mask); ; slot = (slot + 1) & mask) {
      const base = slot * 3
      if (table[base + 2] === 0 || (table[base] === hi && table[base + 1] === lo)) return base
    }
  }

  /**
   * Inserts (hi, lo) with the given parent id. Returns the new id, or -1 when already present.
   */
  add(hi: number, lo: number, parent: number): number {
    const table = this.table
    const base = this.probe(hi, lo)
    if (table[base + 2] !== 0) return -1
    const id = this.count++
    table[base] = hi
    table[base + 1] = lo
    table[base + 2] = id + 1
    if (id >= this.fpHi.length) this.growIds()
    this.fpHi[id] = hi
    this.fpLo[id] = lo
    this.parents[id] = parent >>> 0
    if (this.count * 2 > this.mask + 1) this.growTable()
    return id
  }

  has(hi: number, lo: number): boolean {
    return this.idOf(hi, lo) >= 0
  }

  /** The id of (hi, lo), or -1 when absent. */
  idOf(hi: number, lo: number): number {
    return this.table[this.probe(hi, lo) + 2]! - 1
  }

  parentOf(id: number): number {
    return this.parents[id]!
  }

  /** Fingerprints from an initial state down to `id`, as [hi, lo] pairs. */
  pathTo(id: number): Array<readonly [number, number]> {
    const path: Array<readonly [number, number]> = []
    let cur = id
    while (cur !== NO_PARENT) {
      path.push([this.fpHi[cur]!, this.fpLo[cur]!])
      cur = this.parents[cur]!
    }
    return path.reverse()
  }

  /** Writes the whole set (table, fingerprints and parents by id) to `file`, for checkpoints. */
  save(file: string): void {
    const n = this.count
    const head = new Uint32Array([this.count, this.mask])
    const part = (a: Uint32Array) => new Uint8Array(a.buffer, a.byteOffset, n * 4)
    // Part by part: one buffer of the whole would double the table's memory at every checkpoint.
    const fd = openSync(file, "w")
    try {
      for (const bytes of [new Uint8Array(head.buffer), new Uint8Array(this.table.buffer, this.table.byteOffset, this.table.byteLength), part(this.fpHi), part(this.fpLo), part(this.parents)])
        for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at)
    } finally {
      closeSync(fd)
    }
  }

  static load(file: string): FingerprintSet {
    const all = readFileSync(file)
    const words = new Uint32Array(all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength))
    const [count, mask] = [words[0]!, words[1]!]
    const set = new FingerprintSet(1024)
    const slots = (mask + 1) * 3
    set.count = count
    set.mask = mask
    set.table = words.slice(2, 2 + slots)
    const ids = Math.max(1024, count * 2)
    const at = 2 + slots
    for (const [k, name] of (["fpHi", "fpLo", "parents"] as const).entries()) {
      const a = new Uint32Array(ids)
      a.set(words.subarray(at + k * count, at + (k + 1) * count))
      set[name] = a
    }
    return set
  }

  private growIds(): void {
    const n = this.fpHi.length * 2
    const grow = (a: Uint32Array) => {
      const b = new Uint32Array(n)
      b.set(a)
      return b
    }
    this.fpHi = grow(this.fpHi)
    this.fpLo = grow(this.fpLo)
    this.parents = grow(this.parents)
  }

  private growTable(): void {
    const old = this.table
    const cap = (this.mask + 1) * 2
    const table = new Uint32Array(cap * 3)
    const mask = cap - 1
    for (let base = 0; base < old.length; base += 3) {
      const id1 = old[base + 2]!
      if (id1 === 0) continue
      const hi = old[base]!
      const lo = old[base + 1]!
      let slot = slotOf(hi, lo, mask)
      while (table[slot * 3 + 2] !== 0) slot = (slot + 1) & mask
      table[slot * 3] = hi
      table[slot * 3 + 1] = lo
      table[slot * 3 + 2] = id1
    }
    this.table = table
    this.mask = mask
  }
}
