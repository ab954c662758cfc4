/** Seeded pseudo-random numbers (sfc32): fast, small state, and reproducible from a user-visible seed. */
import { deriveSeed } from "./hash.ts"

export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    this.a = 0x9e3779b9
    this.b = 0x243f6a88
    this.c = 0xb7e15162
    this.d = seed | 0
    for (let i = 0; i < 12; i++) this.nextU32()
  }

  /** The generator's whole state, to store in an immutable simulation state. */
  save(): readonly [number, number, number, number] {
    return [this.a, this.b, this.c, this.d]
  }

  static restore(saved: readonly [number, number, number, number]): Rng {
    const r = new Rng(0)
    ;[r.a, r.b, r.c, r.d] = saved
    return r
  }

  /** Derived generator for sample `i` of a run seeded with `seed`: hash(seed, i). */
  static forSample(seed: number, i: number): Rng {
    return new Rng(deriveSeed(seed, i))
  }

  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1)
  }

  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const t = xs[i]!
      xs[i] = xs[j]!
      xs[j] = t
    }
    return xs
  }
}

/** A fresh seed for runs where the user gave none; printed so the run can be repeated. */
export const freshSeed = (): number => (Date.now() ^ (process.pid << 16)) >>> 0
