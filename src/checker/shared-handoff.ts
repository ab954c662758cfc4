/**
 * States handed from one searching thread of parallel BFS to another (work stealing,
 * parallel-search.ts). Each thread keeps its frontier in its own heap, as plain objects that never
 * cross a thread; only the states a thread gives away to an idle one are encoded, into the idle
 * thread's hand-off buffer: fixed-size SharedArrayBuffers (no message, nothing allocated per steal),
 * filled by the giver and read back by the taker before it asks again.
 *
 * Number states (packed specs) travel as doubles; other states as encoded bytes with end offsets,
 * through the system's encode / decode or, without them, structured-clone serialisation (node:v8) of
 * the whole batch at once: siblings share most of their objects (unchanged nodes, the history), which
 * one serialisation writes once and restores shared, about 5x fewer bytes and 5x less time than a
 * state at a time (Raft: 560 against 2,900 bytes a state).
 */
import { deserialize, serialize } from "node:v8"
import type { TransitionSystem } from "./transition-system.ts"

export type StateKind = "number" | "bytes"

/** Number states travel as doubles unless the system brings its own encoding. */
export const stateKindOf = <S, L>(system: TransitionSystem<S, L>, sample: S): StateKind =>
  typeof sample === "number" && !system.encode ? "number" : "bytes"

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

export interface HandoffBuffers {
  /** Encoded states (bytes kind) or doubles (number kind). */
  readonly data: SharedArrayBuffer
  /** Per state: its id, then (bytes kind) the end offset of its bytes. */
  readonly meta: SharedArrayBuffer
}

/** States one hand-off carries at most, and its bytes (a state's encoding must fit: see `give`). */
export const HANDOFF_STATES = 1 << 12
export const HANDOFF_BYTES = 1 << 23

export const handoffBuffers = (states = HANDOFF_STATES, bytes = HANDOFF_BYTES): HandoffBuffers => ({
  data: new SharedArrayBuffer(bytes),
  meta: new SharedArrayBuffer(states * 8),
})

/** One thread's hand-off buffer, as seen by a giver (`give`) or by its owner (`take`). */
export interface Handoff<S> {
  /**
   * Writes states[at - 1], states[at - 2], ... (at most `max`, down to index `from`) while they fit;
   * returns how many. The giver then drops them from the end of its frontier.
   */
  give(states: ReadonlyArray<S>, ids: ReadonlyArray<number>, from: number, at: number, max: number): number
  /** Bytes the last `give` wrote. */
  readonly bytes: number
  /** Appends the `count` states given last to `states` / `ids` (decoded: nothing kept points into shared memory). */
  take(count: number, states: S[], ids: number[]): void
}

class NumberHandoff implements Handoff<number> {
  bytes = 0
  private readonly data: Float64Array
  private readonly ids: Uint32Array
  constructor(b: HandoffBuffers) {
    this.data = new Float64Array(b.data)
    this.ids = new Uint32Array(b.meta)
  }
  give(states: ReadonlyArray<number>, ids: ReadonlyArray<number>, from: number, at: number, max: number): number {
    const n = Math.min(max, at - from, this.data.length, this.ids.length)
    for (let k = 0; k < n; k++) {
      this.data[k] = states[at - 1 - k]!
      this.ids[k] = ids[at - 1 - k]!
    }
    this.bytes = 8 * n
    return n
  }
  take(count: number, states: number[], ids: number[]): void {
    for (let k = 0; k < count; k++) {
      states.push(this.data[k]!)
      ids.push(this.ids[k]!)
    }
  }
}

/** States in the system's own encoding, one after another. */
class BytesHandoff<S> implements Handoff<S> {
  bytes = 0
  private readonly data: Uint8Array
  /** ids at [2k], end offsets at [2k + 1]. */
  private readonly meta: Uint32Array
  constructor(
    b: HandoffBuffers,
    private readonly codec: StateCodec<S>
  ) {
    this.data = new Uint8Array(b.data)
    this.meta = new Uint32Array(b.meta)
  }
  give(states: ReadonlyArray<S>, ids: ReadonlyArray<number>, from: number, at: number, max: number): number {
    const n = Math.min(max, at - from, this.meta.length / 2)
    let used = 0
    for (let k = 0; k < n; k++) {
      const enc = this.codec.encode(states[at - 1 - k]!)
      if (used + enc.length > this.data.length) {
        if (k === 0) throw tooBig(enc.length, this.data)
        this.bytes = used
        return k
      }
      this.data.set(enc, used)
      used += enc.length
      this.meta[2 * k] = ids[at - 1 - k]!
      this.meta[2 * k + 1] = used
    }
    this.bytes = used
    return n
  }
  take(count: number, states: S[], ids: number[]): void {
    let start = 0
    for (let k = 0; k < count; k++) {
      const end = this.meta[2 * k + 1]!
      states.push(this.codec.decode(this.data.subarray(start, end)))
      ids.push(this.meta[2 * k]!)
      start = end
    }
  }
}

const tooBig = (bytes: number, buffer: Uint8Array) => new RangeError(`a state's encoding (${bytes} bytes) exceeds the ${buffer.length}-byte hand-off buffer of parallel BFS`)

/** A batch as one structured-clone serialisation (states without an encoding of their own). */
class SerializedHandoff<S> implements Handoff<S> {
  bytes = 0
  private readonly data: Uint8Array
  /** ids at [k + 1], the serialisation's length at [0]. */
  private readonly meta: Uint32Array
  constructor(b: HandoffBuffers) {
    this.data = new Uint8Array(b.data)
    this.meta = new Uint32Array(b.meta)
  }
  give(states: ReadonlyArray<S>, ids: ReadonlyArray<number>, from: number, at: number, max: number): number {
    let n = Math.min(max, at - from, this.meta.length - 1)
    for (;;) {
      const batch: S[] = []
      for (let k = 0; k < n; k++) batch.push(states[at - 1 - k]!)
      const bytes = serialize(batch)
      if (bytes.length <= this.data.length) {
        this.data.set(bytes)
        this.meta[0] = bytes.length
        this.bytes = bytes.length
        for (let k = 0; k < n; k++) this.meta[k + 1] = ids[at - 1 - k]!
        return n
      }
      if (n === 1) throw tooBig(bytes.length, this.data)
      n >>= 1
    }
  }
  take(count: number, states: S[], ids: number[]): void {
    const batch = deserialize(this.data.subarray(0, this.meta[0]!)) as S[]
    for (let k = 0; k < count; k++) {
      states.push(batch[k]!)
      ids.push(this.meta[k + 1]!)
    }
  }
}

export const handoff = <S, L>(system: TransitionSystem<S, L>, kind: StateKind, buffers: HandoffBuffers): Handoff<S> =>
  kind === "number"
    ? (new NumberHandoff(buffers) as unknown as Handoff<S>)
    : system.encode
      ? new BytesHandoff(buffers, codecOf(system))
      : new SerializedHandoff(buffers)
