/**
 * Compaction's file work (new log, snapshot written, fsync'ed, renamed, directory synced) runs through
 * the thread pool (runtime/storage.ts `compact`): the event loop keeps turning while a snapshot is
 * written, the step it covers is reported durable only once it is, and a step persisted meanwhile
 * waits for it, then lands in the new log and is recovered.
 */
import test from "ava"
import { mkdtempSync, readdirSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Registry } from "../../src/runtime/codec.ts"
import { Storage } from "../../src/runtime/storage.ts"

const turn = () => new Promise((r) => setImmediate(r))
const meta = { protocol: "raft", id: "n1" }

test("storage: a compaction leaves the event loop free while its files are written, and what is persisted meanwhile is durable after it", async (t) => {
  const d = mkdtempSync(join(tmpdir(), "tla-ts-compaction-"))
  const logged: string[] = []
  const s = Storage.open(d, meta, new Registry([]), { compactBytes: 1000, log: (l) => logged.push(l) })
  const store = new Map(Array.from({ length: 20_000 }, (_, i) => [`key${i}`, `value${i}`] as const))
  // The first record holds the whole store: the log is then past compactBytes and the (empty) snapshot.
  const first = s.persist({ store, n: 0 })
  while (s.durableSeq < first) await turn()
  t.is(logged.length, 0)
  const reported: number[] = []
  s.onDurable((seq) => reported.push(seq))
  const second = s.persist({ store, n: 1 }) // written as the new snapshot
  let turns = 0
  let third = 0
  while (s.durableSeq < second) {
    await turn()
    turns++
    if (turns === 1) third = s.persist({ store, n: 2 }) // while the compaction is under way
  }
  t.regex(logged[0] ?? "", /^snapshot: generation 1/)
  // Synchronous compaction reported the step durable in the callback that wrote it: no turn in between.
  t.true(turns >= 3, `${turns} turns of the event loop during the compaction`)
  t.true(third > second)
  t.is(s.durableSeq, second, "the step persisted during the compaction is not durable with it")
  while (s.durableSeq < third) await turn()
  t.deepEqual(reported.filter((x) => x >= second), [second, third])
  await s.close()
  t.deepEqual(readdirSync(d).filter((f) => f !== "LOCK").sort().length, 2)
  const r = Storage.open(d, meta, new Registry([]))
  const back = r.value as { store: ReadonlyMap<string, string>; n: number }
  t.is(back.n, 2)
  t.is(back.store.size, 20_000)
  await r.close()
})
