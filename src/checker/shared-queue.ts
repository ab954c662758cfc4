/**
 * BFS frontiers in shared memory. Each thread appends the states it discovers (with their ids) to its
 * own queue; at the level barrier the queues' buffers are handed to every worker as read-only segments
 * of the next frontier. Nothing is copied between threads: a segment is SharedArrayBuffers plus a count.
 *
 * Number states (packed specs) are stored as a Float64Array; other states as encoded bytes with end
 * offsets, through the system's encode / decode or, without them, structured-clone serialisation.
 */
import { deserialize, serialize } from "node:v8"
import type { TransitionSystem } from "./transition-system.ts"

export type Segment =
  | { readonly kind: "number"; readonly count: number; readonly ids: SharedArrayBuffer; readonly states: SharedArrayBuffer }
  | {
      readonly kind: "bytes"
      readonly count: number
      readonly ids: SharedArrayBuffer
      readonly bytes: SharedArrayBuffer
      /** End offset of each state's bytes. */
      readonly ends: SharedArrayBuffer
    }

export type QueueKind = Segment["kind"]

export interface QueueWriter<S> {
  readonly count: number
  push(state: S, id: number): void
  /** The states pushed so far, shareable with other threads. */
  segment(): Segment
  clear(): void
}

export interface QueueReader<S> {
  readonly count: number
  state(i: number): S
  id(i: number): number
}

/** Number states travel as doubles unless the system brings its own encoding. */
export const queueKindOf = <S, L>(system: TransitionSystem<S, L>, sample: S): QueueKind =>
  typeof sample === "number" && !system.encode ? "number" : "bytes"

const grownU32 = (a: Uint32Array, n: number) => {
  const b = new Uint32Array(new SharedArrayBuffer(n * 4))
  b.set(a)
  return b
}

class NumberWriter implements QueueWriter<number> {
  count = 0
  private states = new Float64Array(new SharedArrayBuffer(8 * 1024))
  private ids = new Uint32Array(new SharedArrayBuffer(4 * 1024))

  push(state: number, id: number): void {
    const i = this.count++
    if (i === this.ids.length) this.grow()
    this.states[i] = state
    this.ids[i] = id
  }

  private grow(): void {
    const n = this.ids.length * 2
    const states = new Float64Array(new SharedArrayBuffer(n * 8))
    states.set(this.states)
    this.states = states
    this.ids = grownU32(this.ids, n)
  }

  segment(): Segment {
    return { kind: "number", count: this.count, ids: this.ids.buffer as SharedArrayBuffer, states: this.states.buffer as SharedArrayBuffer }
  }

  clear(): void {
    this.count = 0
  }
}

class NumberReader implements QueueReader<number> {
  readonly count: number
  private readonly states: Float64Array
  private readonly ids: Uint32Array
  constructor(s: Extract<Segment, { kind: "number" }>) {
    this.count = s.count
    this.states = new Float64Array(s.states)
    this.ids = new Uint32Array(s.ids)
  }
  state(i: number): number {
    return this.states[i]!
  }
  id(i: number): number {
    return this.ids[i]!
  }
}

class BytesWriter<S> implements QueueWriter<S> {
  count = 0
  private used = 0
  private bytes = new Uint8Array(new SharedArrayBuffer(64 * 1024))
  private ends = new Uint32Array(new SharedArrayBuffer(4 * 1024))
  private ids = new Uint32Array(new SharedArrayBuffer(4 * 1024))
  constructor(private readonly encode: (s: S) => Uint8Array) {}

  push(state: S, id: number): void {
    const enc = this.encode(state)
    const end = this.used + enc.length
    if (end > this.bytes.length) {
      let n = this.bytes.length * 2
      while (n < end) n *= 2
      const bytes = new Uint8Array(new SharedArrayBuffer(n))
      bytes.set(this.bytes.subarray(0, this.used))
      this.bytes = bytes
    }
    this.bytes.set(enc, this.used)
    this.used = end
    const i = this.count++
    if (i === this.ids.length) {
      this.ends = grownU32(this.ends, i * 2)
      this.ids = grownU32(this.ids, i * 2)
    }
    this.ends[i] = end
    this.ids[i] = id
  }

  segment(): Segment {
    return {
      kind: "bytes",
      count: this.count,
      ids: this.ids.buffer as SharedArrayBuffer,
      bytes: this.bytes.buffer as SharedArrayBuffer,
      ends: this.ends.buffer as SharedArrayBuffer,
    }
  }

  clear(): void {
    this.count = 0
    this.used = 0
  }
}

class BytesReader<S> implements QueueReader<S> {
  readonly count: number
  private readonly bytes: Uint8Array
  private readonly ends: Uint32Array
  private readonly ids: Uint32Array
  constructor(
    s: Extract<Segment, { kind: "bytes" }>,
    private readonly decode: (b: Uint8Array) => S
  ) {
    this.count = s.count
    this.bytes = new Uint8Array(s.bytes)
    this.ends = new Uint32Array(s.ends)
    this.ids = new Uint32Array(s.ids)
  }
  state(i: number): S {
    return this.decode(this.bytes.subarray(i === 0 ? 0 : this.ends[i - 1]!, this.ends[i]!))
  }
  id(i: number): number {
    return this.ids[i]!
  }
}

/** A state's bytes outside the JS heap (typed explicitly: an inferred Buffer type would leak @types/node's version into the declarations). */
export interface StateCodec<S> {
  readonly encode: (s: S) => Uint8Array
  readonly decode: (b: Uint8Array) => S
}

/** How states become bytes outside the JS heap: the system's own encoding, else structured clone. */
export const codecOf = <S, L>(system: TransitionSystem<S, L>): StateCodec<S> => ({
  encode: system.encode ? (s: S) => system.encode!(s) : (s: S) => serialize(s),
  decode: system.decode ? (b: Uint8Array) => system.decode!(b) : (b: Uint8Array) => deserialize(b) as S,
})

export const queueWriter = <S, L>(system: TransitionSystem<S, L>, kind: QueueKind): QueueWriter<S> =>
  kind === "number" ? (new NumberWriter() as unknown as QueueWriter<S>) : new BytesWriter(codecOf(system).encode)

export const queueReader = <S, L>(system: TransitionSystem<S, L>, segment: Segment): QueueReader<S> =>
  segment.kind === "number" ? (new NumberReader(segment) as unknown as QueueReader<S>) : new BytesReader(segment, codecOf(system).decode)
