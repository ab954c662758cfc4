/**
 * Compaction in the background (runtime/storage.ts `compact`, `switchLogs`): while a snapshot is
 * encoded and written, the event loop keeps turning and records go on to the old log, each durable on
 * its own fdatasync; then the logs are swapped (what the old log got since the snapshot's value goes to
 * the new log as one record) and everything persisted before, during and after is recovered.
 */
import test from "ava"
import { mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Registry } from "../../src/runtime/codec.ts"
import { type CompactionPoint, Storage } from "../../src/runtime/storage.ts"

const turn = () => new Promise((r) => setImmediate(r))
const meta = { protocol: "raft", id: "n1" }

test("storage: records persisted while a compaction's snapshot is written are durable before it ends, and all are recovered after it", async (t) => {
  const d = mkdtempSync(join(tmpdir(), "tla-ts-compaction-"))
  try {
    const logged: string[] = []
    const points: CompactionPoint[] = []
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    const hold = (p: CompactionPoint) => {
      points.push(p)
      return p === "snapshot-partial" ? held : undefined
    }
    const s = Storage.open(d, meta, new Registry([]), { compactBytes: 1000, log: (l) => logged.push(l), hold })
    const store = new Map(Array.from({ length: 20_000 }, (_, i) => [`key${i}`, `value${i}`] as const))
    // The first record holds the whole store: the log is then past compactBytes and the (empty) snapshot.
    const first = s.persist({ store, n: 1 })
    while (!points.includes("snapshot-partial") || s.durableSeq < first) await turn()
    // The compaction is held with a part of its snapshot written: records still go to the old log.
    const second = s.persist({ store, n: 2 })
    while (s.durableSeq < second) await turn()
    const third = s.persist({ store, n: 3 }, true)
    while (s.durableSeq < third) await turn()
    t.deepEqual(points, ["log-created", "snapshot-partial"])
    t.is(logged.length, 0)
    release()
    while (logged.length === 0) await turn()
    t.regex(logged[0]!, /^snapshot: generation 1, log of \d+ bytes compacted/)
    const fourth = s.persist({ store, n: 4 })
    while (s.durableSeq < fourth) await turn()
    await s.close()
    t.deepEqual(points, ["log-created", "snapshot-partial", "before-rename", "after-rename", "old-log-removed"])
    t.deepEqual(readdirSync(d).filter((f) => f !== "LOCK").sort(), ["snapshot", "wal-1"])
    const r = Storage.open(d, meta, new Registry([]))
    const back = r.value as { store: ReadonlyMap<string, string>; n: number }
    t.is(back.n, 4)
    t.is(back.store.size, 20_000)
    // The new log: the catch-up record (n: 1 -> 3, written to the old log during the compaction) and the fourth.
    t.is(r.recovered.records, 2)
    await r.close()
  } finally {
    rmSync(d, { recursive: true, force: true })
  }
})
