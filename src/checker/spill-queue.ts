/**
 * A FIFO of (state, id) records outside the JS heap, for BFS runs bounded by memory rather than by
 * the heap: records are encoded into 1 MiB segments (number states as 8-byte doubles, others through
 * the system's codec); when the queue holds more than its memory budget, sealed segments go to files
 * in a spill directory and come back when the head reaches them. `save` / `load` write and read the
 * queue for checkpoints, one file per segment: a segment already spilled is hard-linked, not copied,
 * so a checkpoint of a long run writes only what is in memory, however long the queue.
 */
import { copyFileSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { codecOf } from "./shared-handoff.ts"
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

  /**
   * Writes the records still queued into directory `dir`, one file per segment in order and
   * `queue.json` listing them with their record counts.
   */
  save(dir: string): void {
    mkdirSync(dir, { recursive: true })
    const segments: Array<{ file: string; count: number }> = []
    const put = (count: number, bytes: Uint8Array | undefined, file: string | undefined) => {
      if (count === 0) return
      const name = `segment-${segments.length}.bin`
      if (file !== undefined) linkOrCopy(file, join(dir, name))
      else writeFileSync(join(dir, name), bytes!)
      segments.push({ file: name, count })
    }
    if (this.headLeft > 0) put(this.headLeft, this.head!.subarray(this.headOffset), undefined)
    for (const seg of this.sealed) put(seg.count, seg.bytes, seg.file)
    put(this.tailCount, this.tail.subarray(0, this.tailUsed), undefined)
    writeFileSync(join(dir, "queue.json"), JSON.stringify({ size: this.size, segments }))
  }

  /**
   * The queue `save` wrote in `dir`. Its segments join the spill directory (hard links: the
   * checkpoint keeps its own) and are read when the head reaches them; without a spill directory
   * they are read into memory.
   */
  static load<S>(dir: string, codec: Codec<S>, spillDir: string | undefined, memoryBudget = Infinity): SpillQueue<S> {
    const manifest = JSON.parse(readFileSync(join(dir, "queue.json"), "utf8")) as { size: number; segments: Array<{ file: string; count: number }> }
    const q = new SpillQueue(codec, spillDir, memoryBudget)
    // The spill directory of the run that saved it is dead: start it afresh.
    if (spillDir !== undefined) (rmSync(spillDir, { recursive: true, force: true }), mkdirSync(spillDir, { recursive: true }))
    for (const { file, count } of manifest.segments) {
      if (spillDir === undefined) {
        const bytes = readFileSync(join(dir, file))
        q.sealed.push({ bytes, file: undefined, count, size: bytes.length })
        q.inMemory += bytes.length
      } else {
        const to = join(spillDir, `segment-${q.files++}.bin`)
        linkOrCopy(join(dir, file), to)
        q.sealed.push({ bytes: undefined, file: to, count, size: 0 })
      }
    }
    q.size = manifest.size
    return q
  }
}

/** A hard link where the file system allows one, else a copy. */
const linkOrCopy = (from: string, to: string): void => {
  rmSync(to, { force: true })
  try {
    linkSync(from, to)
  } catch {
    copyFileSync(from, to)
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
    // Let go of it here: an expanded state kept until the prefix is dropped survives every collection till then.
    this.states[this.head] = undefined as S
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
