/**
 * What a kill -9 leaves at each point of a compaction (runtime/storage.ts COMPACTION_POINTS), in one
 * process: the storage's hook holds the compaction at the point, records are persisted meanwhile (durable
 * ones where the compaction lets them through, one still waiting where it does not), and the data
 * directory is copied as it is -- every write is a system call, so the copy is what the disk holds
 * after a kill -9 there. Each copy must recover the last value reported durable; damaged copies (a
 * snapshot.tmp cut short, the new log missing, the new snapshot cut short) recover it too, or are
 * refused with a clear error, never read as less.
 */
import test from "ava"
import { cpSync, existsSync, mkdtempSync, rmSync, truncateSync, unlinkSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PersistentMap } from "../../src/core/persistent-map.ts"
import { Registry } from "../../src/runtime/codec.ts"
import { COMPACTION_POINTS, type CompactionPoint, Storage, StorageError } from "../../src/runtime/storage.ts"

const meta = { protocol: "raft", id: "n1" }
const registry = new Registry([])
const turn = () => new Promise((r) => setImmediate(r))

interface Image {
  readonly point: CompactionPoint
  readonly dir: string
  /** The last value reported durable when the copy was made. */
  readonly durable: unknown
  /** A value persisted and not yet durable then (it may or may not be recovered). */
  readonly pending: unknown
}

/** Runs a compaction of a 5k-key store, copying the data directory at `point` (under `root`). */
const crashImage = async (root: string, point: CompactionPoint): Promise<Image> => {
  const dir = join(root, "live")
  let image: Image | undefined
  let n = 0
  let store = PersistentMap.from<string, string>(Array.from({ length: 5_000 }, (_, i) => [`key${i}`, `value${i}`]))
  const next = () => {
    n++
    store = store.with(`key${n}`, `new${n}`)
    return { store, n }
  }
  const s: Storage = Storage.open(dir, meta, registry, {
    compactBytes: 1000,
    hold: async (p) => {
      if (p === "log-created") {
        // A record the old log gets while the snapshot is written: after the swap, the new log's first.
        const seq = s.persist(next())
        while (s.durableSeq < seq) await new Promise((r) => setTimeout(r, 2))
      }
      if (p !== point) return
      // A record that the compaction lets through now is waited for; one it holds back stays pending.
      const durable = next()
      const seq = s.persist(durable)
      for (let i = 0; i < 200 && s.durableSeq < seq; i++) await new Promise((r) => setTimeout(r, 2))
      const pending = s.durableSeq < seq ? durable : next()
      if (pending !== durable) s.persist(pending, true) // lazy: waits 10 ms before it goes, so the copy below comes first
      cpSync(dir, join(root, point), { recursive: true })
      image = { point, dir: join(root, point), durable: s.durableValue, pending }
    },
  })
  // The first record (the whole store) puts the log past the empty snapshot: a compaction starts.
  s.persist(next())
  const deadline = performance.now() + 20_000
  while (image === undefined) {
    if (performance.now() > deadline) throw new Error(`the compaction never reached ${point}`)
    await turn()
  }
  await s.close()
  return image
}

const recovered = (dir: string) => {
  const r = Storage.open(dir, meta, registry)
  const v = r.value
  void r.close()
  return v as { store: ReadonlyMap<string, string>; n: number }
}

for (const point of COMPACTION_POINTS) {
  test(`storage: kill -9 at "${point}" of a compaction recovers what was durable; a damaged copy recovers it or is refused`, async (t) => {
    const root = mkdtempSync(join(tmpdir(), "tla-ts-compaction-crash-"))
    try {
      const image = await crashImage(root, point)
      const durable = image.durable as { store: ReadonlyMap<string, string>; n: number }
      const renamed = point === "after-rename" || point === "old-log-removed"
      // Where the compaction holds records back (swapping the logs), the one persisted then is not yet durable.
      t.is(image.pending === image.durable, false)
      // Recovery changes a directory (stale logs deleted, a torn tail cut): each case gets a copy of the image.
      const damaged = (what: string, damage: (dir: string) => void) => {
        const dir = join(root, `${point}-${what}`)
        cpSync(image.dir, dir, { recursive: true })
        damage(dir)
        return dir
      }
      const back = recovered(damaged("as-is", () => {}))
      t.true(back.n === durable.n || back.n === (image.pending as { n: number }).n, `recovered n=${back.n}, durable n=${durable.n}`)
      t.is(back.store.get(`key${durable.n}`), `new${durable.n}`)
      t.is(back.store.size, 5_000)
      // snapshot.tmp cut short: ignored (the renamed snapshot, if any, is whole).
      if (existsSync(join(image.dir, "snapshot.tmp"))) t.is(recovered(damaged("tmp-cut", (d) => truncateSync(join(d, "snapshot.tmp"), 100))).n, back.n)
      // The new log missing: before the rename it is not read; after it, the directory is refused.
      const noNewLog = damaged("no-new-log", (d) => unlinkSync(join(d, "wal-1")))
      if (renamed) t.throws(() => recovered(noNewLog), { instanceOf: StorageError, message: /generation 1 has no log \(wal-1 is missing\).*refusing to start/ })
      else t.is(recovered(noNewLog).n, back.n)
      // The snapshot in place cut short: refused.
      t.throws(() => recovered(damaged("snapshot-cut", (d) => truncateSync(join(d, "snapshot"), 50))), { instanceOf: StorageError, message: /damaged snapshot/ })
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
}
