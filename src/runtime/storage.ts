/**
 * Durable storage for one node, with etcd's contract: a snapshot file plus a write-ahead log of
 * patches (see patch.ts), each record length-prefixed and CRC-32 checksummed, fdatasync'ed before the
 * outputs of the steps it covers are released, the directory fsync'ed whenever a file is created or
 * renamed. The log is extended with zeroes ahead of its records, so a record's fdatasync rarely changes
 * the file's size (no journal commit: etcd preallocates its WAL segments for the same reason). Own WAL rather than an embedded store: a step persists one whole value, so a record is a
 * diff against the last written one, and group commit (one fdatasync for every step persisted while
 * the previous one was in flight) is a few lines here. Once the log outgrows a limit, the value last
 * written becomes the new snapshot, encoded and written in the background while records still go to
 * the old log, and the old log is deleted, so disk use stays bounded.
 *
 * Recovery reads the snapshot and replays the log; a torn last record (kill -9 mid-write) is cut off,
 * a damaged record elsewhere, or a damaged snapshot, is refused with a StorageError.
 */
import { close, closeSync, existsSync, fdatasync, fdatasyncSync, fsync, fsyncSync, ftruncateSync, mkdirSync, open, openSync, readdirSync, readFileSync, rename, renameSync, statSync, unlink, unlinkSync, write as writeAsync, writeFileSync, writeSync } from "node:fs"
import { join } from "node:path"
import { promisify } from "node:util"
import { crc32 } from "node:zlib"
import { fromJson, type Registry } from "./codec.ts"
import { applyOps, diff, isOps } from "./patch.ts"
import { jsonChunks } from "./snapshot-encode.ts"
import type { Timing } from "./timing.ts"

export class StorageError extends Error {}

export interface StorageMeta {
  readonly protocol: string
  readonly id: string
}

const HEADER = 8
/** Bytes of zeroes the log is extended by at a time (at most the compaction limit). */
const PREALLOCATE = 1 << 20
const MAX_IN_FLIGHT = 2
const SNAPSHOT = "snapshot"
const walName = (gen: number) => `wal-${gen}`
/**
 * Every log starts with a record, this empty patch if nothing else (a compaction's catch-up diff), synced
 * before its snapshot is in place: a log next to a snapshot holding no record has been emptied or cut,
 * not just created, and is refused instead of recovering the snapshot alone.
 */
const FIRST_RECORD = "[]"

export const frameRecord = (payload: string): Buffer => {
  const body = Buffer.from(payload, "utf8")
  const out = Buffer.allocUnsafe(HEADER + body.length)
  out.writeUInt32LE(body.length, 0)
  out.writeUInt32LE(crc32(body), 4)
  body.copy(out, HEADER)
  return out
}

const syncDir = (dir: string) => {
  const fd = openSync(dir, "r")
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/**
 * Whether `bytes`, the part of a record that fails its checksum or runs past the end of the file, can
 * be one torn by kill -9 or a power cut: a record's body is JSON text, which holds no control bytes,
 * and the log is preallocated with zeroes, so a torn body is text with zeroes where it was not written
 * (`unwritten`: at least one, when the record's whole length is in the file). Anything else there (a
 * damaged length prefix pointing past the records that follow, random bytes) is damage.
 */
const tornText = (bytes: Buffer, unwritten: boolean): boolean => {
  let zero = false
  for (const b of bytes) {
    if (b === 0) zero = true
    else if (b < 0x20) return false
  }
  return zero || !unwritten
}

/** Reads the records of a log; returns them and the length of its valid prefix (a torn tail is cut). */
export const readRecords = (buf: Buffer, file: string): { records: string[]; valid: number } => {
  const records: string[] = []
  let off = 0
  while (off < buf.length) {
    const rest = buf.length - off
    const len = rest >= HEADER ? buf.readUInt32LE(off) : -1
    if (len <= 0 || HEADER + len > rest) {
      // A record cut short at the end of the file (or zeroes the file system left there): torn.
      if (len === 0 && !buf.subarray(off).every((b) => b === 0)) throw new StorageError(`${file}: corrupt record at byte ${off} (zero length followed by data)`)
      if (len > 0 && !tornText(buf.subarray(off + HEADER), false))
        throw new StorageError(`${file}: the record at byte ${off} claims ${len} bytes, past the end of the file (${buf.length}), and what follows it is no torn record; refusing to start from a corrupt log`)
      break
    }
    const body = buf.subarray(off + HEADER, off + HEADER + len)
    if (crc32(body) !== buf.readUInt32LE(off + 4)) {
      // The last record, torn mid-write (followed by nothing, or by the log's zeroed preallocation).
      if (buf.subarray(off + HEADER + len).every((b) => b === 0) && tornText(body, true)) break
      throw new StorageError(`${file}: checksum mismatch in the record at byte ${off} (of ${buf.length}); refusing to start from a corrupt log`)
    }
    records.push(body.toString("utf8"))
    off += HEADER + len
  }
  return { records, valid: off }
}

interface SnapshotDoc {
  readonly format: "tla-ts-snapshot"
  readonly gen: number
  readonly meta: StorageMeta
  readonly has: boolean
  readonly value?: unknown
}

export interface StorageOptions {
  /**
   * Write a new snapshot once the log exceeds this many bytes (default 16 MiB) and the size of the last
   * snapshot: a snapshot costs the whole value, so it waits for a log as large as itself, and its cost
   * per record stays that of the record however large the value grows (disk use: at most about twice
   * the value and the log together).
   */
  readonly compactBytes?: number
  readonly log?: (line: string) => void
  /** Why a recovered value is not a record this node persists (undefined: it is); checked before anything on disk changes. */
  readonly check?: (value: unknown) => string | undefined
  /**
   * The recovered value as the node holds it, applied once after the check (the same contents: a
   * service's large maps made persistent, Service.adopt); later records are diffs against it.
   */
  readonly adopt?: (value: unknown) => unknown
  /**
   * Fault injection: each record reaches the file this many ms after it is submitted (a slow disk),
   * so a kill -9 in between loses it as a power cut loses what was not yet synced.
   */
  readonly diskDelayMs?: number
  /** How long a lazy record waits for another write to carry it (ms, default 10: below the Paxos heartbeat period, so a lazy record on a loaded node nearly always rides). */
  readonly lazyMs?: number
  readonly timing?: Timing
  /**
   * Test hook: called at each named point of a compaction (COMPACTION_POINTS), which waits for what it
   * returns. Without it, the environment's TLA_TS_TEST_COMPACTION_HOLD=POINT holds a node's first
   * compaction at POINT for good (it logs "snapshot: held at POINT"), for a test to kill -9 it there.
   */
  readonly hold?: (point: CompactionPoint) => Promise<void> | undefined
}

/**
 * The points of a compaction, in order: the new log created and synced; the first slice of the snapshot
 * written to snapshot.tmp (more to come); the snapshot complete and synced, not yet renamed; renamed
 * into place and the directory synced, the old log still there; the old log deleted, the directory not
 * yet synced again.
 */
export const COMPACTION_POINTS = ["log-created", "snapshot-partial", "before-rename", "after-rename", "old-log-removed"] as const
export type CompactionPoint = (typeof COMPACTION_POINTS)[number]

/** Snapshot text encoded per turn of the event loop, at most (ms; a chunk at a time, see snapshot-encode.ts). */
const SLICE_MS = 4
/** Snapshot bytes handed to the thread pool and not yet written, at most, before the encoding waits for them. */
const MAX_QUEUED = 8 << 20

/**
 * The environment's settings, for operators and tests alike: TLA_TS_COMPACT_BYTES (the log size past
 * which a snapshot is written, StorageOptions.compactBytes) and TLA_TS_TEST_COMPACTION_HOLD (see
 * StorageOptions.hold). A bad value is a StorageError (the node's one line, exit 2).
 */
const fromEnvironment = (log: (line: string) => void): Pick<StorageOptions, "compactBytes" | "hold"> => {
  const out: { compactBytes?: number; hold?: StorageOptions["hold"] } = {}
  const bytes = process.env.TLA_TS_COMPACT_BYTES
  if (bytes !== undefined && bytes !== "") {
    const n = Number(bytes)
    if (!/^\d+$/.test(bytes.trim()) || !(n >= 1024 && n <= 2 ** 31)) throw new StorageError(`TLA_TS_COMPACT_BYTES must be a whole number of bytes from 1024 to 2147483648, got "${bytes.slice(0, 40)}"`)
    out.compactBytes = n
  }
  const at = process.env.TLA_TS_TEST_COMPACTION_HOLD
  if (at !== undefined && at !== "") {
    if (!(COMPACTION_POINTS as ReadonlyArray<string>).includes(at)) throw new StorageError(`TLA_TS_TEST_COMPACTION_HOLD must be one of ${COMPACTION_POINTS.join(", ")}, got "${at.slice(0, 40)}"`)
    out.hold = (point) => {
      if (point !== at) return undefined
      log(`snapshot: held at ${point} (TLA_TS_TEST_COMPACTION_HOLD)`)
      return new Promise<void>(() => {})
    }
  }
  return out
}

interface Compaction {
  readonly gen: number
  /** The snapshot's value (one written to the old log). */
  readonly value: unknown
  /** The new log. */
  fd: number
  /** The snapshot as written: its size, the event-loop turns its encoding took, the longest (ms). */
  written: { readonly bytes: number; readonly slices: number; readonly longestMs: number }
  switched?: boolean
}

export class Storage {
  /** The last value persisted (undefined: the node never persisted anything). */
  value: unknown
  /** The last value on disk (undefined: none yet). */
  durableValue: unknown
  /** Records written and not yet synced: their sequence numbers and values, oldest first. */
  private readonly unsynced: Array<{ readonly seq: number; readonly value: unknown }> = []
  private has: boolean
  private written: unknown
  private seq = 0
  private synced = 0
  /** fdatasyncs under way; a second may start while the first runs (a record written after the first began is made durable by the second). */
  private inFlight = 0
  /** The last sequence number written to the log (durable or not). */
  private writtenSeq = 0
  private scheduled = false
  /** The last sequence number persisted eagerly (not lazy). */
  private eager = 0
  /** Lazy records written since the last flush wait for this timer (or an eager write). */
  private lazyTimer: NodeJS.Timeout | undefined
  private lazyDue = false
  private readonly lazyMs: number
  private gen: number
  private fd: number
  private walBytes: number
  /** The log file's length: past walBytes it holds zeroes written ahead, so a record's fdatasync changes no file size. */
  private allocated: number
  private closed = false
  private readonly listeners: Array<(synced: number) => void> = []
  /** Log writes not yet done, oldest first: one at a time, in order, off the event loop. */
  private readonly writes: Array<{ readonly buf: Buffer; readonly pos: number; readonly then: ((inline: boolean) => void) | undefined }> = []
  private readonly compactBytes: number
  /** Bytes of the current snapshot file. */
  private snapshotBytes: number
  private readonly diskDelayMs: number
  private readonly log: (line: string) => void
  private readonly timing: Timing | undefined
  private readonly hold: (point: CompactionPoint) => Promise<void>
  /** The compaction under way (its snapshot written in the background), if any. */
  private compaction: Compaction | undefined
  /** The compaction's snapshot is written: records wait until the logs are swapped (switchLogs). */
  private switching = false

  private constructor(
    private readonly dir: string,
    private readonly meta: StorageMeta,
    state: { gen: number; has: boolean; value: unknown; fd: number; walBytes: number; allocated: number; snapshotBytes: number },
    options: StorageOptions
  ) {
    this.gen = state.gen
    this.has = state.has
    this.value = state.value
    this.written = state.value
    this.durableValue = state.has ? state.value : undefined
    this.fd = state.fd
    this.walBytes = state.walBytes
    this.allocated = state.allocated
    this.snapshotBytes = state.snapshotBytes
    this.log = options.log ?? (() => {})
    this.compactBytes = options.compactBytes ?? 16 << 20
    const hold = options.hold
    this.hold = async (point) => {
      await hold?.(point)
    }
    this.diskDelayMs = options.diskDelayMs ?? 0
    this.lazyMs = options.lazyMs ?? 10
    this.timing = options.timing
  }

  /** Opens (creating when empty) the data directory and recovers the last complete value. */
  static open(dir: string, meta: StorageMeta, registry: Registry, options: StorageOptions = {}): Storage & { readonly recovered: { readonly records: number; readonly torn: number } } {
    options = { ...fromEnvironment(options.log ?? (() => {})), ...options }
    try {
      return Storage.openDir(dir, meta, registry, options)
    } catch (e) {
      if (e instanceof StorageError) throw e
      const err = e as NodeJS.ErrnoException
      const first = err.message.split("\n")[0]!
      throw new StorageError(`cannot use data directory ${dir}: ${err.code !== undefined && !first.startsWith(err.code) ? `${err.code} ` : ""}${first}`.replace(/\s+/g, " "))
    }
  }

  private static openDir(dir: string, meta: StorageMeta, registry: Registry, options: StorageOptions): Storage & { readonly recovered: { readonly records: number; readonly torn: number } } {
    mkdirSync(dir, { recursive: true })
    lockDir(dir)
    try {
      return Storage.recover(dir, meta, registry, options)
    } catch (e) {
      // A refused directory is not held: the lock goes with the attempt.
      unlinkSync(join(dir, LOCK))
      throw e
    }
  }

  private static recover(dir: string, meta: StorageMeta, registry: Registry, options: StorageOptions): Storage & { readonly recovered: { readonly records: number; readonly torn: number } } {
    const snapFile = join(dir, SNAPSHOT)
    if (!existsSync(snapFile)) {
      // An empty first log: a first start that died before its snapshot was in place.
      const firstLog = (f: string) => f === walName(0) && statSync(join(dir, f)).size <= HEADER + FIRST_RECORD.length
      const stray = readdirSync(dir).filter((f) => !f.startsWith(".") && f !== `${SNAPSHOT}.tmp` && f !== LOCK && !firstLog(f))
      if (stray.length > 0) throw new StorageError(`${dir} holds files (${stray.slice(0, 3).join(", ")}) but no snapshot: not a tla-ts data directory, or a damaged one; refusing to start from nothing`)
      // The log first, as a compaction does: a snapshot found without its log is damage (see below).
      const fd = openSync(join(dir, walName(0)), "w")
      try {
        writeSync(fd, frameRecord(FIRST_RECORD))
        fsyncSync(fd)
      } finally {
        closeSync(fd)
      }
      syncDir(dir)
      writeSnapshot(dir, { format: "tla-ts-snapshot", gen: 0, meta, has: false })
    }
    const snapBuf = readFileSync(snapFile)
    const damaged = new StorageError(`${snapFile}: damaged snapshot (checksum or length mismatch); refusing to start`)
    const { records, valid } = (() => {
      try {
        return readRecords(snapBuf, snapFile)
      } catch {
        throw damaged
      }
    })()
    if (records.length !== 1 || valid !== snapBuf.length) throw damaged
    let doc: SnapshotDoc
    try {
      doc = JSON.parse(records[0]!) as SnapshotDoc
    } catch {
      throw new StorageError(`${snapFile}: snapshot is not valid JSON`)
    }
    if (doc.format !== "tla-ts-snapshot" || !Number.isInteger(doc.gen)) throw new StorageError(`${snapFile}: not a tla-ts snapshot`)
    if (doc.meta?.protocol !== meta.protocol || doc.meta?.id !== meta.id)
      throw new StorageError(`${dir} belongs to node ${doc.meta?.id} (${doc.meta?.protocol}), not ${meta.id} (${meta.protocol})`)
    const revive = (j: unknown) => fromJson(j, registry)
    let value: unknown
    let has = doc.has
    try {
      value = has ? revive(doc.value) : undefined
    } catch (e) {
      throw new StorageError(`${snapFile}: ${(e as Error).message}`)
    }
    const walFile = join(dir, walName(doc.gen))
    // A log is created before its snapshot is put in place (a new directory's first, a compaction's):
    // a snapshot without its log has lost the records written after it.
    if (!existsSync(walFile)) throw new StorageError(`${dir}: the snapshot of generation ${doc.gen} has no log (${walName(doc.gen)} is missing): the records written after it are lost; refusing to start`)
    const fd = openSync(walFile, "r+")
    const walBuf = readFileSync(walFile)
    const wal = readRecords(walBuf, walFile)
    if (wal.records.length === 0)
      throw new StorageError(`${walFile}: no complete record (a log starts with one, synced before its snapshot): the log was emptied or cut short, its records lost; refusing to start`)
    let applied = 0
    wal.records.forEach((text, i) => {
      let ops: unknown
      try {
        ops = JSON.parse(text)
      } catch {
        throw new StorageError(`${walFile}: record ${i} is not valid JSON`)
      }
      if (!isOps(ops)) throw new StorageError(`${walFile}: record ${i} is not a patch`)
      if (ops.length === 0) return
      applied++
      try {
        value = applyOps(has ? value : undefined, ops, revive)
      } catch (e) {
        throw new StorageError(`${walFile}: record ${i} does not apply: ${(e as Error).message}`)
      }
      has = true
    })
    const why = has ? options.check?.(value) : undefined
    if (why !== undefined) {
      closeSync(fd)
      throw new StorageError(`${dir}: the recovered record is not one this ${meta.protocol} node writes (${why}); refusing to start, the data left as it is`)
    }
    if (has && options.adopt) value = options.adopt(value)
    // Zeroes after the last record are the log's preallocation; anything else there is a torn record, cut off.
    let end = walBuf.length
    while (end > wal.valid && walBuf[end - 1] === 0) end--
    const torn = end - wal.valid
    if (torn > 0) {
      ftruncateSync(fd, wal.valid)
      fsyncSync(fd)
    }
    for (const f of readdirSync(dir)) if (/^wal-\d+$/.test(f) && f !== walName(doc.gen)) unlinkSync(join(dir, f))
    syncDir(dir)
    const s = new Storage(dir, meta, { gen: doc.gen, has, value, fd, walBytes: wal.valid, allocated: torn > 0 ? wal.valid : walBuf.length, snapshotBytes: snapBuf.length }, options) as Storage & { recovered: { records: number; torn: number } }
    s.recovered = { records: applied, torn }
    return s
  }

  get hasValue(): boolean {
    return this.has
  }

  /**
   * Records `value` as the node's durable value; returns the sequence number to wait for. A `lazy`
   * value (one the protocol could re-learn) waits up to `lazyMs` for another write to carry it to disk
   * instead of taking an fdatasync of its own; it is durable, as any other, once its number is.
   */
  persist(value: unknown, lazy = false): number {
    this.value = value
    this.has = true
    this.seq++
    if (!lazy) {
      this.eager = this.seq
      this.schedule()
    } else if (this.lazyTimer === undefined && !this.lazyDue)
      this.lazyTimer = setTimeout(() => {
        this.lazyTimer = undefined
        this.lazyDue = true
        this.schedule()
      }, this.lazyMs)
    return this.seq
  }

  /** Whether a record is waiting that may not wait longer (an eager one, or a lazy one past its time). */
  private get due(): boolean {
    return this.writtenSeq < this.seq && (this.eager > this.writtenSeq || this.lazyDue)
  }

  private schedule(): void {
    // Written at the end of the current callback (every step of one batch of frames in one record),
    // not a turn of the event loop later: the fdatasync starts as soon as the steps are done.
    if (!this.scheduled && this.inFlight < MAX_IN_FLIGHT) {
      this.scheduled = true
      process.nextTick(() => {
        this.scheduled = false
        this.flush()
      })
    }
  }

  /** Sequence number of the last persist (on disk or not). */
  get lastSeq(): number {
    return this.seq
  }

  /** Sequence number of the last eager (not lazy) persist, on disk or not. */
  get eagerSeq(): number {
    return this.eager
  }

  /** Sequence number of the last persist that is on disk. */
  get durableSeq(): number {
    return this.synced
  }

  onDurable(f: (synced: number) => void): void {
    this.listeners.push(f)
  }

  private flush(): void {
    // While a compaction swaps the log (`switchLogs`), records wait: it needs the old log's syncs done.
    if (this.inFlight >= MAX_IN_FLIGHT || this.closed || this.switching || this.writtenSeq === this.seq) return
    const target = this.seq
    const steps = target - this.writtenSeq
    this.lazyDue = false
    if (this.lazyTimer !== undefined) {
      clearTimeout(this.lazyTimer)
      this.lazyTimer = undefined
    }
    const ops = diff(this.written, this.value)
    this.written = this.value
    this.writtenSeq = target
    const rec = frameRecord(JSON.stringify(ops))
    // With no fdatasync under way nothing of the log is being written back, so a write into the page
    // cache does not wait on the disk: it is done here, without a hop through the thread pool.
    const idle = this.inFlight === 0 && this.diskDelayMs === 0
    this.inFlight++
    this.unsynced.push({ seq: target, value: this.value })
    const at = this.walBytes
    this.walBytes += rec.length
    // Zeroes written ahead (unsynced: the fdatasync of the record that first needs them syncs them too),
    // so the fdatasync of most records changes no file size: fdatasync then flushes data without a journal commit.
    if (this.walBytes > this.allocated) {
      const more = Math.max(this.walBytes - this.allocated, Math.min(PREALLOCATE, this.compactBytes))
      this.queueWrite(Buffer.alloc(more), this.allocated, false)
      this.allocated += more
    }
    // The record of a lone step on an idle log (a put of one client) is synced here too, the event loop
    // having nothing else to do meanwhile: no hop to the thread pool and back, which costs the
    // operation two wake-ups (each a wait for a core on a busy machine). A record of several steps (a
    // loaded node) syncs in the pool while the loop reads and steps through the next batch.
    const here = idle && steps === 1
    const write = () =>
      this.queueWrite(rec, at, idle, (inline) => {
        this.timing?.mark(`write ${target}`)
        const sync = (cb: (err: Error | null) => void) => {
          if (!(here && inline)) return fdatasync(this.fd, cb)
          let err: Error | null = null
          try {
            fdatasyncSync(this.fd)
          } catch (e) {
            err = e as Error
          }
          cb(err)
        }
        sync((err) => {
          if (err) return this.fatal(err)
          this.timing?.mark(`durable ${target}`)
          this.inFlight--
          let value: unknown
          while (this.unsynced.length > 0 && this.unsynced[0]!.seq <= target) value = this.unsynced.shift()!.value
          this.done(target, value)
          if (this.switching) this.switchLogs()
          else if (this.due) this.flush()
        })
      })
    if (this.diskDelayMs > 0) setTimeout(write, this.diskDelayMs)
    else write()
    if (this.compaction === undefined && this.walBytes > this.compactBytes && this.walBytes > this.snapshotBytes) this.compact()
  }

  /**
   * Writes `buf` at `pos` after every write queued before it (so the fdatasync that follows a record's
   * write covers every earlier record), then runs `then`: off the event loop unless `here` and nothing
   * is queued. A write into the page cache can wait on the disk (a page still being written back by an
   * fdatasync under way): on the event loop it stalls the node's every socket for milliseconds
   * (bench/runtime-wal-stall.ts).
   */
  private queueWrite(buf: Buffer, pos: number, here: boolean, then?: (inline: boolean) => void): void {
    if (here && this.writes.length === 0) {
      try {
        writeSync(this.fd, buf, 0, buf.length, pos)
      } catch (e) {
        this.fatal(e as Error)
      }
      then?.(true)
      return
    }
    this.writes.push({ buf, pos, then })
    if (this.writes.length === 1) this.nextWrite()
  }

  private nextWrite(): void {
    const w = this.writes[0]
    if (w === undefined) return
    writeAsync(this.fd, w.buf, 0, w.buf.length, w.pos, (err, n) => {
      if (err) return this.fatal(err)
      if (n !== w.buf.length) return this.fatal(new Error(`short write: ${n} of ${w.buf.length} bytes`))
      this.writes.shift()
      w.then?.(false)
      this.nextWrite()
    })
  }

  private done(target: number, value: unknown) {
    if (target <= this.synced) return
    this.synced = target
    this.durableValue = value
    for (const f of this.listeners) f(target)
  }

  /**
   * The value last written becomes the snapshot of a new generation, in the background: records go on
   * being written to the old log, each durable on its own fdatasync, while the snapshot is encoded a
   * slice at a time between turns of the event loop (snapshot-encode.ts; the value is immutable) and
   * written to snapshot.tmp through the thread pool. Only then does `switchLogs` hold the records back
   * for a moment to swap the logs. The new log is created (and synced) before the snapshot is renamed
   * into place, so a crash at any point recovers the old generation (old snapshot and log, every record
   * reported durable in it) or the new one.
   */
  private compact(): void {
    const c: Compaction = { gen: this.gen + 1, value: this.written, fd: -1, written: { bytes: 0, slices: 0, longestMs: 0 } }
    this.compaction = c
    const doc = { format: "tla-ts-snapshot", gen: c.gen, meta: this.meta, has: true, value: c.value } as const
    void (async () => {
      c.fd = await openP(join(this.dir, walName(c.gen)), "w+")
      await fsyncP(c.fd)
      await this.hold("log-created")
      c.written = await writeSnapshotTmp(this.dir, doc, this.hold)
    })().then(() => {
      this.switching = true
      this.switchLogs()
    }, (e: Error) => this.fatal(e))
  }

  /**
   * Once the old log's syncs are done (records wait meanwhile): what was written to the old log since
   * the snapshot's value goes to the new log as one record (a diff), synced; the snapshot is renamed
   * into place and the directory synced; records then go to the new log. The old log is closed and
   * deleted behind them (a crash that leaves it: recovery deletes it).
   */
  private switchLogs(): void {
    const c = this.compaction
    if (c === undefined || this.inFlight > 0 || c.switched) return
    c.switched = true
    const oldFd = this.fd
    const oldWal = join(this.dir, walName(this.gen))
    const walBytes = this.walBytes
    const catchUp = frameRecord(this.written === c.value ? FIRST_RECORD : JSON.stringify(diff(c.value, this.written)))
    void (async () => {
      await writeAll(c.fd, catchUp, 0)
      await fdatasyncP(c.fd)
      await this.hold("before-rename")
      await renameP(join(this.dir, `${SNAPSHOT}.tmp`), join(this.dir, SNAPSHOT))
      await syncDirP(this.dir)
      await this.hold("after-rename")
    })().then(() => {
      const w = c.written
      this.log(`snapshot: generation ${c.gen}, log of ${walBytes} bytes compacted (snapshot of ${w.bytes} bytes encoded in ${w.slices} turns of the event loop, the longest ${w.longestMs.toFixed(1)} ms)`)
      this.gen = c.gen
      this.fd = c.fd
      this.walBytes = this.allocated = catchUp.length
      this.snapshotBytes = c.written.bytes
      this.switching = false
      if (this.due) this.flush()
      void (async () => {
        await closeP(oldFd)
        await unlinkP(oldWal)
        await this.hold("old-log-removed")
        await syncDirP(this.dir)
      })().then(() => {
        this.compaction = undefined
      }, (e: Error) => this.fatal(e))
    }, (e: Error) => this.fatal(e))
  }

  private fatal(err: Error): never {
    process.stderr.write(`tla-ts: storage failure in ${this.dir}: ${err.message}\n`)
    process.exit(1)
  }

  /** Waits for pending writes, then closes the log. */
  async close(): Promise<void> {
    this.lazyDue = true
    while (this.inFlight > 0 || this.scheduled || this.synced !== this.seq || this.compaction !== undefined) {
      if (this.inFlight === 0 && !this.scheduled) this.flush()
      await new Promise((r) => setTimeout(r, 1))
    }
    this.closed = true
    closeSync(this.fd)
    try {
      unlinkSync(join(this.dir, LOCK))
    } catch {}
  }
}

const LOCK = "LOCK"

/** One process per data directory: a LOCK file holds the owner's pid (a dead owner's lock is taken over). */
const lockDir = (dir: string) => {
  const file = join(dir, LOCK)
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, "utf8").trim())
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) throw new StorageError(`${dir} is in use by another process (pid ${pid})`)
  }
  writeFileSync(file, `${process.pid}\n`)
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"
  }
}

/** Writes the first snapshot of a new directory (durably, then renamed into place). */
const writeSnapshot = (dir: string, doc: SnapshotDoc): void => {
  const tmp = join(dir, `${SNAPSHOT}.tmp`)
  const fd = openSync(tmp, "w")
  try {
    writeSync(fd, frameRecord(JSON.stringify(doc)))
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, join(dir, SNAPSHOT))
  syncDir(dir)
}

const openP = promisify(open)
const fsyncP = promisify(fsync)
const fdatasyncP = promisify(fdatasync)
const closeP = promisify(close)
const unlinkP = promisify(unlink)
const renameP = promisify(rename)
const writeP = promisify(writeAsync)

const syncDirP = async (dir: string): Promise<void> => {
  const fd = await openP(dir, "r")
  try {
    await fsyncP(fd)
  } finally {
    await closeP(fd)
  }
}

/**
 * Writes the snapshot record of `doc` (the framing of frameRecord: length, CRC-32, JSON text) to
 * snapshot.tmp a slice at a time, each slice at most about SLICE_MS of encoding on the event loop, its
 * bytes written through the thread pool while the next slice is encoded, the checksum computed along
 * and the header written last; then synced (switchLogs renames it into place). Returns the record's
 * bytes, the slices its encoding took and the longest of them (ms).
 */
const writeSnapshotTmp = async (dir: string, doc: object, at: (point: CompactionPoint) => Promise<void>): Promise<Compaction["written"]> => {
  const tmp = join(dir, `${SNAPSHOT}.tmp`)
  const fd = await openP(tmp, "w")
  let open = true
  try {
    let end = HEADER
    let crc = 0
    let queued = 0
    /** The writes handed to the pool, chained: a failure reaches the last one, awaited below. */
    let written: Promise<void> = Promise.resolve()
    const chunks = jsonChunks(doc)
    let partial = false
    let slices = 0
    let longestMs = 0
    for (let next = chunks.next(); !next.done; ) {
      const sliceStart = performance.now()
      slices++
      do {
        const buf = Buffer.from(next.value, "utf8")
        crc = crc32(buf, crc)
        const pos = end
        end += buf.length
        queued += buf.length
        written = written.then(async () => {
          await writeAll(fd, buf, pos)
          queued -= buf.length
        })
        next = chunks.next()
      } while (!next.done && partial && performance.now() - sliceStart < SLICE_MS && queued < MAX_QUEUED)
      longestMs = Math.max(longestMs, performance.now() - sliceStart)
      if (next.done) break
      if (!partial) {
        // The first chunk alone, on disk before the rest: the point a test holds to find a partial snapshot.tmp.
        partial = true
        await written
        await at("snapshot-partial")
      } else if (queued >= MAX_QUEUED) await written
      else await new Promise((r) => setImmediate(r))
    }
    const length = end - HEADER
    if (length > 0xffffffff) throw new Error(`snapshot of ${length} bytes: more than a record holds (4 GiB)`)
    const header = Buffer.allocUnsafe(HEADER)
    header.writeUInt32LE(length, 0)
    header.writeUInt32LE(crc, 4)
    await written
    await writeAll(fd, header, 0)
    await fsyncP(fd)
    open = false
    await closeP(fd)
    return { bytes: end, slices, longestMs }
  } finally {
    if (open) await closeP(fd).catch(() => {})
  }
}

const writeAll = async (fd: number, buf: Buffer, pos: number): Promise<void> => {
  for (let done = 0; done < buf.length; ) done += (await writeP(fd, buf, done, buf.length - done, pos + done)).bytesWritten
}
