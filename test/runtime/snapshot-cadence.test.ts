/**
 * Snapshot cadence against the size of the value (runtime/storage.ts): a snapshot writes the whole
 * value, so one taken every `compactBytes` of log whatever the value's size costs, per record, a share
 * of the value that grows with the store. The log must first grow as large as the last snapshot: over
 * 300 single-key writes to a 4,000-key store, the snapshots written add up to no more than about the
 * log written (main: one snapshot of the whole store per ~1 KB of log), the value recovers intact, and
 * the data directory stays a snapshot and a log.
 */
import test from "ava"
import { mkdtempSync, readdirSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PersistentMap } from "../../src/core/persistent-map.ts"
import { Registry } from "../../src/runtime/codec.ts"
import { Storage } from "../../src/runtime/storage.ts"

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

test("storage: snapshots wait for a log as large as the last one, so their bytes stay those of the log", async (t) => {
  const d = mkdtempSync(join(tmpdir(), "tla-ts-cadence-"))
  const logged: string[] = []
  const s = Storage.open(d, { protocol: "raft", id: "n1" }, new Registry([]), { compactBytes: 1000, log: (l) => logged.push(l) })
  let store = PersistentMap.from<string, string>(Array.from({ length: 4000 }, (_, i) => [`key${i}`, `value${i}`]))
  let walBytes = 0
  for (let i = 0; i < 300; i++) {
    store = store.with(`key${i}`, `new${i}`)
    const seq = s.persist({ store })
    while (s.durableSeq < seq) await wait(0)
  }
  await s.close()
  const snapshots = logged.flatMap((l) => {
    const m = /^snapshot: generation \d+, log of (\d+) bytes/.exec(l)
    if (m) walBytes += Number(m[1])
    return m ? [l] : []
  })
  t.log(`${snapshots.length} snapshots, after logs of ${walBytes} bytes in all`)
  // The first record is the whole store (~94 KB, against the empty first snapshot): one snapshot follows;
  // each later one waits for a log as large as the store: 300 records of ~60 bytes make none.
  t.true(snapshots.length <= 2, `${snapshots.length} snapshots of a ~100 KB store for ~18 KB of log`)
  t.deepEqual(readdirSync(d).filter((f) => f !== "LOCK").sort().length, 2)
  const r = Storage.open(d, { protocol: "raft", id: "n1" }, new Registry([]))
  const back = (r.value as { store: ReadonlyMap<string, string> }).store
  t.is(back.size, 4000)
  t.is(back.get("key299"), "new299")
  t.is(back.get("key300"), "value300")
  await r.close()
})
