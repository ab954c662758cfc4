/**
 * The snapshot encoded a piece at a time (runtime/snapshot-encode.ts, storage.ts `compact`): the
 * chunks make exactly the text the one-piece encoding made (so recovery reads them as before), and a
 * compaction of a large store lets the event loop turn while it encodes.
 */
import test from "ava"
import fc from "fast-check"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PersistentMap } from "../../src/core/persistent-map.ts"
import { Registry, toJson } from "../../src/runtime/codec.ts"
import { jsonChunks } from "../../src/runtime/snapshot-encode.ts"
import { type CompactionPoint, Storage } from "../../src/runtime/storage.ts"

class Tagged {
  readonly _tag = "T"
  constructor(
    readonly a: unknown,
    readonly b?: unknown
  ) {}
}

const leaf = fc.oneof(
  fc.string({ maxLength: 4, unit: "binary" }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(-0)
)
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(tie("v"), { maxLength: 5 }),
    fc.dictionary(fc.string({ maxLength: 3 }), tie("v"), { maxKeys: 4 }),
    fc.array(fc.tuple(fc.oneof(leaf, tie("v")), tie("v")), { maxLength: 5 }).map((es) => new Map(es)),
    fc.array(fc.tuple(fc.string({ maxLength: 2 }), leaf), { maxLength: 300 }).map((es) => PersistentMap.from(es)),
    fc.array(tie("v"), { maxLength: 4 }).map((xs) => new Set(xs)),
    fc.tuple(tie("v"), tie("v")).map(([a, b]) => new Tagged(a, b))
  ),
}))

test("snapshot-encode: the chunks join into JSON.stringify(toJson(v)), each but the last at least chunkChars long (property)", (t) => {
  fc.assert(
    fc.property(value.v, fc.integer({ min: 1, max: 200 }), (v, chunkChars) => {
      const chunks = [...jsonChunks(v, chunkChars)]
      t.is(chunks.join(""), JSON.stringify(toJson(v)))
      t.true(chunks.slice(0, -1).every((c) => c.length >= chunkChars))
    }),
    { seed: 14, numRuns: 150 }
  )
  t.throws(() => [...jsonChunks({ f: () => 1 })], { instanceOf: TypeError, message: /cannot encode a function/ })
})

test("storage: a compaction of a 100k-key store encodes its snapshot across turns of the event loop", async (t) => {
  const d = mkdtempSync(join(tmpdir(), "tla-ts-snapshot-encode-"))
  try {
    const logged: string[] = []
    const points: CompactionPoint[] = []
    let turns = 0
    let longest = 0
    let encoded!: () => void
    const encoding = new Promise<void>((r) => (encoded = r))
    const hold = (p: CompactionPoint) => {
      points.push(p)
      // From the new log's creation to the snapshot's last byte synced: the encoding and its writes.
      if (p === "log-created") {
        let last = performance.now()
        const tick = () => {
          const now = performance.now()
          longest = Math.max(longest, now - last)
          last = now
          turns++
          if (points.includes("before-rename")) encoded()
          else setImmediate(tick)
        }
        setImmediate(tick)
      }
      return undefined
    }
    const s = Storage.open(d, { protocol: "raft", id: "n1" }, new Registry([]), { compactBytes: 1000, hold, log: (l) => void logged.push(l) })
    const app = PersistentMap.from<string, string>(Array.from({ length: 100_000 }, (_, i) => [`key${i}`, "v".repeat(64)]))
    // The first record (the whole store) puts the log past the empty snapshot: a compaction of this value.
    const value = { app }
    s.persist(value)
    await encoding
    const t0 = performance.now()
    JSON.stringify(toJson(value))
    const onePiece = performance.now() - t0
    // The effect on the event loop, on a shared machine, is the bench's to measure (bench/runtime-snapshot-stall.ts); logged here.
    t.log(`${turns} turns of the event loop while the snapshot was encoded and written, the longest wait ${longest.toFixed(1)} ms; the one-piece encoding takes ${onePiece.toFixed(1)} ms`)
    await s.close()
    t.log(logged[0])
    // ~8 MB of text in slices of about 4 ms: one-piece encoding reports 1.
    const slices = Number(/encoded in (\d+) turns of the event loop/.exec(logged[0] ?? "")?.[1])
    t.true(slices >= 10, logged[0])
    const r = Storage.open(d, { protocol: "raft", id: "n1" }, new Registry([]))
    const back = (r.value as { app: ReadonlyMap<string, string> }).app
    t.is(back.size, 100_000)
    t.is(back.get("key99999"), "v".repeat(64))
    await r.close()
  } finally {
    rmSync(d, { recursive: true, force: true })
  }
})
