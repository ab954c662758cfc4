import test from "ava"
import fc from "fast-check"
import { closeSync, mkdtempSync, openSync, writeSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { AMOResult } from "../../src/core/application.ts"
import { PutOk } from "../../src/core/kv.ts"
import { DecodeError, decode, encode, Registry } from "../../src/runtime/codec.ts"
import { applyOps, diff } from "../../src/runtime/patch.ts"
import { readRecords, Storage, StorageError } from "../../src/runtime/storage.ts"
import { fromJson } from "../../src/runtime/codec.ts"

const registry = new Registry([AMOResult, PutOk])
const meta = { protocol: "raft", id: "n1" }
const dir = () => mkdtempSync(join(tmpdir(), "tla-ts-storage-"))
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Persists each value and waits until it is on disk. */
const persistAll = async (s: Storage, values: ReadonlyArray<unknown>) => {
  for (const v of values) {
    const seq = s.persist(v)
    while (s.durableSeq < seq) await wait(1)
  }
}

const sample = (i: number) => ({
  term: i,
  log: Array.from({ length: i % 5 }, (_, k) => ({ term: k, command: `c${k}` })),
  app: new Map(Array.from({ length: i }, (_, k) => [`k${k % 7}`, `v${i}`])),
  last: new Map([["client", new AMOResult({ result: new PutOk(), client: "client", seq: i })]]),
  votes: new Set(["n1", `n${i % 3}`]),
})

test("codec: tagged classes come back as instances; unknown tags and invalid fields are refused", (t) => {
  const v = sample(3)
  const back = decode(encode(v), registry) as ReturnType<typeof sample>
  t.deepEqual(back, v)
  t.true(back.last.get("client") instanceof AMOResult)
  t.throws(() => decode(`{"_tag":"Evil","x":1}`, registry), { instanceOf: DecodeError, message: /unknown tag "Evil"/ })
  t.throws(() => decode(`{"_tag":"AMOResult","result":null,"client":3,"seq":1}`, registry), { instanceOf: DecodeError, message: /invalid AMOResult/ })
  t.throws(() => decode(`{"a":`, registry), { instanceOf: DecodeError })
})

const jsonValue = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    fc.string({ maxLength: 3 }),
    fc.integer(),
    fc.constant(null),
    fc.array(tie("v"), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom("a", "b", "c"), tie("v"), { maxKeys: 3 }),
    fc.array(fc.tuple(fc.oneof(fc.constantFrom("x", "y"), fc.nat(3)), tie("v")), { maxLength: 3 }).map((es) => new Map(es))
  ),
}))

test("patch: applying diff(a, b) to a copy of a gives b (property)", (t) => {
  fc.assert(
    fc.property(jsonValue.v, jsonValue.v, (a, b) => {
      // Share structure as handlers do: b often reuses parts of a.
      const mixed = b !== null && typeof b === "object" && !Array.isArray(b) && !(b instanceof Map) && a !== null && typeof a === "object" ? { ...(b as object), shared: a } : b
      const base = { x: a, y: [a, 1] }
      const next = { x: mixed, y: [a, 2] }
      const copy = fromJson(JSON.parse(encode(base)), registry)
      const out = applyOps(copy, diff(base, next), (j) => fromJson(j, registry))
      t.deepEqual(out, next)
    }),
    { seed: 11, numRuns: 300 }
  )
})

test("patch: an immutable Map update (set, append, delete at the end, or keys reordered) diffs to just its change", (t) => {
  const a = new Map(Array.from({ length: 50 }, (_, i) => [`k${i}`, { v: i }] as const))
  const cases: ReadonlyArray<readonly [string, Map<string, { v: number }>, number]> = [
    ["set of a present key", new Map(a).set("k7", { v: -7 }), 1],
    ["set of a new key", new Map(a).set("k50", { v: 50 }), 1],
    ["delete of the last key", (() => { const m = new Map(a); m.delete("k49"); return m })(), 1],
    ["delete in the middle", (() => { const m = new Map(a); m.delete("k3"); return m })(), 1],
    ["keys reordered", new Map([...a].reverse()), 1],
  ]
  for (const [what, b, n] of cases) {
    const ops = diff({ m: a }, { m: b })
    t.is(ops.length, n, what)
    const out = applyOps(fromJson(JSON.parse(encode({ m: a })), registry), ops, (j) => fromJson(j, registry)) as { m: Map<string, unknown> }
    t.deepEqual([...out.m], [...b], what)
  }
})

test("storage: a reopened store reads back the last persisted value, with group commit batching steps", async (t) => {
  const d = dir()
  const s = Storage.open(d, meta, registry)
  t.false(s.hasValue)
  await persistAll(s, [sample(1), sample(2)])
  // Many persists in one turn of the event loop: one record (and one fdatasync).
  for (let i = 3; i <= 20; i++) s.persist(sample(i))
  await s.close()
  const r = Storage.open(d, meta, registry)
  t.deepEqual(r.value, sample(20))
  t.is(r.recovered.records, 3)
  await r.close()
})

test("storage: a lone step's record on an idle log is synced on the event loop, in the turn that persisted it; a record of several steps in the thread pool", async (t) => {
  const d = dir()
  const s = Storage.open(d, meta, registry)
  // Storage writes at the end of the current callback (process.nextTick); a tick queued after that sees what it did.
  const afterFlush = () => new Promise<void>((r) => process.nextTick(() => process.nextTick(r)))
  // The first record waits behind the log's zeroes written ahead (in the pool).
  await persistAll(s, [sample(1)])
  let seq = s.persist(sample(2))
  await afterFlush()
  t.is(s.durableSeq, seq, "one step, nothing under way: durable before the event loop turns")
  s.persist(sample(3))
  seq = s.persist(sample(4))
  await afterFlush()
  t.true(s.durableSeq < seq, "two steps in one record: its fdatasync is the pool's, done on a later turn")
  while (s.durableSeq < seq) await wait(1)
  await s.close()
  const r = Storage.open(d, meta, registry)
  t.deepEqual(r.value, sample(4))
  await r.close()
})

test("storage: a lazy record takes no fdatasync of its own: it rides on the next eager write, or goes alone after lazyMs", async (t) => {
  const d = dir()
  const s = Storage.open(d, meta, registry, { lazyMs: 200 })
  await persistAll(s, [sample(1)])
  const lazy = s.persist(sample(2), true)
  await wait(50)
  t.true(s.durableSeq < lazy, "a lazy record alone waits")
  const eager = s.persist(sample(3))
  while (s.durableSeq < eager) await wait(1)
  t.true(s.durableSeq >= lazy, "the eager write carried it")
  const alone = s.persist(sample(4), true)
  const t0 = performance.now()
  while (s.durableSeq < alone) await wait(5)
  t.true(performance.now() - t0 >= 150, "alone, it went after lazyMs")
  await s.close()
  const r = Storage.open(d, meta, registry)
  t.deepEqual(r.value, sample(4))
  t.is(r.recovered.records, 3, "sample 2 and 3 in one record")
  await r.close()
})

test("storage: a torn last record is cut off and the previous state recovered", async (t) => {
  const d = dir()
  const s = Storage.open(d, meta, registry)
  await persistAll(s, [sample(1), sample(2)])
  await s.close()
  const wal = join(d, "wal-0")
  const whole = readFileSync(wal)
  const { valid } = readRecords(whole, wal)
  t.true(whole.length > valid && whole.subarray(valid).every((b) => b === 0), "the log is preallocated with zeroes")
  const fd = openSync(wal, "r+")
  const data = 8 + whole.readUInt32LE(0) // the first data record (the log's first is its empty patch)
  writeSync(fd, whole.subarray(data, data + 11), 0, 11, valid) // half a record, as kill -9 mid-write leaves it
  closeSync(fd)
  const r = Storage.open(d, meta, registry)
  t.deepEqual(r.value, sample(2))
  t.is(r.recovered.torn, 11)
  t.is(statSync(wal).size, valid)
  await r.close()
})

test("storage: a damaged record before the end, or a damaged snapshot, is refused with a clear error", async (t) => {
  const d = dir()
  const s = Storage.open(d, meta, registry)
  await persistAll(s, [sample(1), sample(2), sample(3)])
  await s.close()
  const wal = join(d, "wal-0")
  const buf = readFileSync(wal)
  const data = 8 + buf.readUInt32LE(0) // the first data record (the log's first is its empty patch)
  buf[data + 12] = buf[data + 12]! ^ 0xff
  writeFileSync(wal, buf)
  t.throws(() => Storage.open(d, meta, registry), { instanceOf: StorageError, message: new RegExp(`checksum mismatch in the record at byte ${data}\\b`) })
  const snap = join(d, "snapshot")
  const sb = readFileSync(snap)
  sb[sb.length - 2] = sb[sb.length - 2]! ^ 0xff
  writeFileSync(snap, sb)
  t.throws(() => Storage.open(d, meta, registry), { instanceOf: StorageError, message: /damaged snapshot/ })
})

test("storage: a log damaged as an operator might (emptied, replaced, a length or a last record altered, cut, garbage after it) is refused or recovers a complete prefix, never silently less", async (t) => {
  const base = dir()
  const s = Storage.open(base, meta, registry)
  await persistAll(s, [sample(1), sample(2), sample(3)])
  await s.close()
  const whole = readFileSync(join(base, "wal-0"))
  const starts: number[] = []
  for (let off = 0; whole.readUInt32LE(off) > 0; off += 8 + whole.readUInt32LE(off)) starts.push(off)
  const [, second, , last] = starts as [number, number, number, number]
  const end = last + 8 + whole.readUInt32LE(last)
  const flipped = (at: number, to: number) => Buffer.concat([whole.subarray(0, at), Buffer.from([to]), whole.subarray(at + 1)])
  // Each case: the log's new bytes, and the value recovered (an index into the samples) or the refusal.
  const cases: ReadonlyArray<readonly [string, Buffer, number | RegExp]> = [
    ["emptied (zero length)", Buffer.alloc(0), /wal-0: no complete record/],
    ["replaced by random bytes", Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)), /wal-0: .*(past the end of the file|checksum mismatch|zero length followed)/],
    ["a middle record's length pointing past the end", flipped(second + 2, 0x7f), /past the end of the file .* no torn record/],
    ["a byte of the last record's body flipped", flipped(last + 12, whole[last + 12]! ^ 0x01), /checksum mismatch in the record at byte/],
    ["garbage appended after the preallocated zeroes", Buffer.concat([whole, Buffer.from("garbage")]), /zero length followed by data/],
    ["cut in the middle of the last record", whole.subarray(0, last + 20), 2],
    ["cut at the end of the records", whole.subarray(0, end), 3],
  ]
  for (const [what, bytes, expected] of cases) {
    const d = dir()
    writeFileSync(join(d, "snapshot"), readFileSync(join(base, "snapshot")))
    writeFileSync(join(d, "wal-0"), bytes)
    if (typeof expected === "number") {
      const r = Storage.open(d, meta, registry)
      t.deepEqual(r.value, sample(expected), what)
      await r.close()
    } else t.throws(() => Storage.open(d, meta, registry), { instanceOf: StorageError, message: expected }, what)
  }
})

test("storage: another node's directory, or a directory of other files, is refused", (t) => {
  const d = dir()
  Storage.open(d, meta, registry)
  t.throws(() => Storage.open(d, { protocol: "raft", id: "n2" }, registry), { instanceOf: StorageError, message: /belongs to node n1/ })
  const other = dir()
  writeFileSync(join(other, "notes.txt"), "hello")
  t.throws(() => Storage.open(other, meta, registry), { instanceOf: StorageError, message: /no snapshot/ })
})

test("storage: compaction keeps the log bounded and the value intact", async (t) => {
  const d = dir()
  const logged: string[] = []
  const s = Storage.open(d, meta, registry, { compactBytes: 1000, log: (l) => logged.push(l) })
  const values = Array.from({ length: 25 }, (_, i) => sample(i + 1))
  await persistAll(s, values)
  await s.close()
  t.true(logged.some((l) => /^snapshot: generation \d+/.test(l)))
  const files = readdirSync(d).sort()
  t.is(files.length, 2, files.join(","))
  for (const f of files) t.true(statSync(join(d, f)).size < 8000, `${f} ${statSync(join(d, f)).size}`)
  const r = Storage.open(d, meta, registry)
  t.deepEqual(r.value, values[values.length - 1])
  await r.close()
})

test("storage: a directory held by a live process is refused", (t) => {
  const d = dir()
  writeFileSync(join(d, "LOCK"), `${process.ppid}\n`)
  t.throws(() => Storage.open(d, meta, registry), { instanceOf: StorageError, message: /in use by another process/ })
  writeFileSync(join(d, "LOCK"), "999999999\n") // a dead owner: taken over
  t.notThrows(() => Storage.open(d, meta, registry))
})

test("tla-ts node on a corrupt data directory: one line on stderr, exit code 2, no stack trace", async (t) => {
  const d = dir()
  const s = Storage.open(join(d, "n1"), meta, registry)
  await persistAll(s, [sample(1), sample(2), sample(3)])
  await s.close()
  const wal = join(d, "n1", "wal-0")
  const buf = readFileSync(wal)
  buf[9] = buf[9]! ^ 0x55
  writeFileSync(wal, buf)
  const { spawnSync } = await import("node:child_process")
  const bin = new URL("../../bin/tla-ts.js", import.meta.url).pathname
  const r = spawnSync(process.execPath, [bin, "node", "--protocol", "raft", "--id", "n1", "--peers", "n1=127.0.0.1:19991", "--data", join(d, "n1")], { encoding: "utf8", timeout: 30_000 })
  t.is(r.status, 2)
  const errLines = r.stderr.trim().split("\n")
  t.is(errLines.length, 1, r.stderr)
  t.regex(errLines[0]!, /^tla-ts: .*wal-0: checksum mismatch in the record at byte 0/)
})

test("tla-ts node on a well-checksummed record that breaks its schema (a bare command in the Raft log): one line, exit 2, data untouched", async (t) => {
  const { SERVICES } = await import("../../src/runtime/services.ts")
  const { Put } = await import("../../src/core/kv.ts")
  const raft = SERVICES["raft"]!
  const good = { log: { term: 1, votedFor: "n1/log", log: [], snapIndex: 0, snapTerm: 0, commitIndex: 0 } }
  t.is(raft.checkRecord(good), undefined)
  const bad = { log: { ...good.log, log: [{ term: 1, command: new Put({ key: "a", value: "1" }) }] } }
  t.regex(raft.checkRecord(bad) ?? "", /component "log" does not match its schema/)
  t.regex(raft.checkRecord({ ...good, other: 1 }) ?? "", /no component "other"/)
  const d = dir()
  const s = Storage.open(join(d, "n1"), meta, raft.registry)
  await persistAll(s, [good, bad])
  await s.close()
  const files = () => Object.fromEntries(readdirSync(join(d, "n1")).filter((f) => f !== "LOCK").map((f) => [f, readFileSync(join(d, "n1", f)).toString("hex")]))
  const before = files()
  t.throws(() => Storage.open(join(d, "n1"), meta, raft.registry, { check: raft.checkRecord }), { instanceOf: StorageError, message: /not one this raft node writes .*component "log"/ })
  const { spawnSync } = await import("node:child_process")
  const bin = new URL("../../bin/tla-ts.js", import.meta.url).pathname
  const r = spawnSync(process.execPath, [bin, "node", "--protocol", "raft", "--id", "n1", "--peers", "n1=127.0.0.1:19992", "--data", join(d, "n1")], { encoding: "utf8", timeout: 30_000 })
  t.is(r.status, 2)
  const errLines = r.stderr.trim().split("\n")
  t.is(errLines.length, 1, r.stderr)
  t.regex(errLines[0]!, /^tla-ts: .*n1: the recovered record is not one this raft node writes \(the record of component "log" does not match its schema/)
  t.deepEqual(files(), before, "the data directory is left as it was")
})
