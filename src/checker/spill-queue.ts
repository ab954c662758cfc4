/**
 * A FIFO of (state, id) records outside the JS heap, for BFS runs bounded by memory rather than by
 * the heap: records are encoded into 1 MiB segments (number states as 8-byte doubles, others through
 * the system's codec); when the queue holds more than its memory budget, sealed segments go to files
 * in a spill directory and come back when the head reaches them. `save` / `load` write and read the
 * whole queue for checkpoints.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { codecOf } from "./shared-queue.ts"
import type { TransitionSystem } from "./transition-system.ts"

const SEGMENT_BYTES = 1 << 20

export interface Codec<S> {
  readonly encode: (s: S) => Uint8Array
  readonly decode: (b: Uint8Array) => S
}

const F64 = new Float64Array(1)
const F64_BYTES = new Uint8Array(F64.buffer)
const numberCodec: Codec<number> = {
  encode: (s) => ((F64[0] = s), F64_BYTES),
  decode: (b) => (F64_BYTES.set(b), F64[0]!),
}

export const queueCodec = <S, L>(system: TransitionSystem<S, L>, sample: S): Codec<S> =>
  typeof sample === "number" && !system.encode ? (numberCodec as unknown as Codec<S>) : codecOf(system)

/** A segment: records [id u32][length u32][bytes], either in memory or in a file. */
interface Segment {
  bytes: Buffer | undefined
  file: string | undefined
  readonly count: number
  readonly size: number
}

export class SpillQueue<S> {
  private readonly sealed: Segment[] = []
  private tail = Buffer.allocUnsafe(SEGMENT_BYTES)
  private tailUsed = 0
  private tailCount = 0
  private head: Buffer | undefined
  private headOffset = 0
  private headLeft = 0
  private files = 0
  private inMemory = 0
  size = 0
  /** Filled by `shift`. */
  state!: S
  id = 0

  constructor(
    private readonly codec: Codec<S>,
    /** Where segments spill (created on first spill); undefined: never spill. */
    private readonly spillDir: string | undefined,
    /** Bytes the queue may keep in memory before it spills. */
    private memoryBudget = Infinity
  ) {}

  setMemoryBudget(bytes: number): void {
    this.memoryBudget = bytes
  }

  /** Bytes held in memory (sealed segments not spilled, the tail and the head). */
  get bytesInMemory(): number {
    return this.inMemory + this.tail.length + (this.head?.length ?? 0)
  }

  push(state: S, id: number): void {
    const bytes = this.codec.encode(state)
    const need = 8 + bytes.length
    if (this.tailUsed + need > this.tail.length) this.seal(need)
    this.tail.writeUInt32LE(id >>> 0, this.tailUsed)
    this.tail.writeUInt32LE(bytes.length, this.tailUsed + 4)
    this.tail.set(bytes, this.tailUsed + 8)
    this.tailUsed += need
    this.tailCount++
    this.size++
  }

  /** Takes the oldest record into `state` and `id`; false when empty. */
  shift(): boolean {
    if (this.size === 0) return false
    if (this.headLeft === 0) this.nextHead()
    const h = this.head!
    this.id = h.readUInt32LE(this.headOffset)
    const len = h.readUInt32LE(this.headOffset + 4)
    this.state = this.codec.decode(h.subarray(this.headOffset + 8, this.headOffset + 8 + len))
    this.headOffset += 8 + len
    this.headLeft--
    this.size--
    return true
  }

  private seal(need: number): void {
    if (this.tailCount > 0) {
      const bytes = Buffer.from(this.tail.subarray(0, this.tailUsed))
      this.sealed.push({ bytes, file: undefined, count: this.tailCount, size: bytes.length })
      this.inMemory += bytes.length
    }
    this.tail = Buffer.allocUnsafe(Math.max(SEGMENT_BYTES, need))
    this.tailUsed = 0
    this.tailCount = 0
    // Spill the newest sealed segments first: they are read last.
    for (let i = this.sealed.length - 1; i >= 0 && this.bytesInMemory > this.memoryBudget && this.spillDir !== undefined; i--) {
      const seg = this.sealed[i]!
      if (!seg.bytes) continue
      mkdirSync(this.spillDir, { recursive: true })
      seg.file = join(this.spillDir, `segment-${this.files++}.bin`)
      writeFileSync(seg.file, seg.bytes)
      this.inMemory -= seg.size
      seg.bytes = undefined
    }
  }

  private nextHead(): void {
    const seg = this.sealed.shift()
    if (seg) {
      if (seg.bytes) this.inMemory -= seg.size
      this.head = seg.bytes ?? readFileSync(seg.file!)
      if (seg.file) rmSync(seg.file, { force: true })
      this.headLeft = seg.count
    } else {
      this.head = Buffer.from(this.tail.subarray(0, this.tailUsed))
      this.headLeft = this.tailCount
      this.tailUsed = 0
      this.tailCount = 0
    }
    this.headOffset = 0
  }

  /** Writes the records still queued to `file` (records, then their count). */
  save(file: string): void {
    const parts: Buffer[] = []
    if (this.headLeft > 0) parts.push(this.head!.subarray(this.headOffset))
    for (const seg of this.sealed) parts.push(seg.bytes ?? readFileSync(seg.file!))
    parts.push(this.tail.subarray(0, this.tailUsed))
    const count = Buffer.alloc(4)
    count.writeUInt32LE(this.size)
    writeFileSync(file, Buffer.concat([...parts, count]))
  }

  /** A queue holding the records `save` wrote. */
  static load<S>(file: string, codec: Codec<S>, spillDir: string | undefined, memoryBudget = Infinity): SpillQueue<S> {
    const all = readFileSync(file)
    const q = new SpillQueue(codec, spillDir, memoryBudget)
    const count = all.readUInt32LE(all.length - 4)
    q.sealed.push({ bytes: all.subarray(0, all.length - 4), file: undefined, count, size: all.length - 4 })
    q.inMemory = all.length - 4
    q.size = count
    return q
  }
}

/** The in-memory queue of a plain BFS run: the same interface, no encoding. */
export class ArrayQueue<S> {
  private states: S[] = []
  private ids: number[] = []
  private head = 0
  state!: S
  id = 0
  get size(): number {
    return this.states.length - this.head
  }
  push(state: S, id: number): void {
    this.states.push(state)
    this.ids.push(id)
  }
  shift(): boolean {
    if (this.head === this.states.length) return false
    this.state = this.states[this.head]!
    this.id = this.ids[this.head++]!
    // Drop the consumed prefix now and then so expanded states can be collected.
    if (this.head > 1 << 18 && this.head * 2 > this.states.length) {
      this.states = this.states.slice(this.head)
      this.ids = this.ids.slice(this.head)
      this.head = 0
    }
    return true
  }
}

export type BfsQueue<S> = ArrayQueue<S> | SpillQueue<S>
