/**
 * kill -9 of a real node inside a compaction (runtime/storage.ts), at the points the brief of issue 11
 * names: a one-node Raft cluster with a small compaction threshold (TLA_TS_COMPACT_BYTES, as an
 * operator would set it) runs under put load from four clients; TLA_TS_TEST_COMPACTION_HOLD holds its
 * next compaction at one point (the snapshot written, not yet renamed; renamed, the old log still there;
 * the old log deleted, the directory not yet synced), the node says so, the load
 * goes on a moment, and the test kills it with SIGKILL and restarts it on the same directory, held at
 * the next point. Each restart must recover (no refusal), and at the end every acknowledged put is read
 * back. One node: an acknowledged put is one this node's disk held.
 */
import test from "ava"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ClusterClient, OperationTimeout } from "../../src/runtime/client.ts"
import { LocalCluster } from "../../src/runtime/jepsen.ts"
import { Registry } from "../../src/runtime/codec.ts"
import { toCommand } from "../../src/runtime/kv-ops.ts"
import { type CompactionPoint, Storage, StorageError } from "../../src/runtime/storage.ts"

/** The points the brief names (compaction-crash.test.ts covers all five in one process). */
const POINTS: ReadonlyArray<CompactionPoint> = ["before-rename", "after-rename", "old-log-removed"]
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

test.serial("runtime: kill -9 inside a compaction, at each of its points, loses no acknowledged put and leaves a directory that recovers", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "tla-ts-compaction-kill-"))
  const lines: string[] = []
  const cluster = new LocalCluster("raft", dir, 24100, 1, (l) => void lines.push(l.trim()), false)
  const acked = new Map<string, string>()
  const env = { ...process.env }
  let client: ClusterClient | undefined
  try {
    process.env.TLA_TS_COMPACT_BYTES = "4096"
    const start = async (hold: CompactionPoint | undefined) => {
      if (hold) process.env.TLA_TS_TEST_COMPACTION_HOLD = hold
      else delete process.env.TLA_TS_TEST_COMPACTION_HOLD
      if (lines.length === 0) await cluster.start()
      else cluster.spawn(0)
      // The node leads, or it exits (a refused directory: its one line is among `lines`).
      for (const end = performance.now() + 60_000; cluster.leader() === undefined; await sleep(50)) {
        if (cluster.members[0]!.proc === undefined) throw new Error(`the node exited on restart: ${lines.slice(-3).join(" | ")}`)
        if (performance.now() > end) throw new Error("no leader within 60 s")
      }
      return ClusterClient.connect(cluster.endpoints, { connectTimeout: 10_000, seed: 14 })
    }
    for (const [phase, point] of POINTS.entries()) {
      client = await start(point)
      const c = client
      const held = () => lines.some((l) => l.includes(`snapshot: held at ${point}`))
      let heldAt = -1
      let stop = false
      const deadline = performance.now() + 30_000
      await Promise.all(
        Array.from({ length: 4 }, async (_, w) => {
          const s = c.session()
          for (let i = 0; !stop; i++) {
            const key = `p${phase}w${w}k${i}`
            const value = `${key}-${"v".repeat(48)}`
            try {
              await s.execute(toCommand({ op: "put", key, value }), 1000)
              acked.set(key, value)
            } catch (e) {
              if (!(e instanceof OperationTimeout)) throw e
              return // held where records wait (the logs being swapped): this worker's put stays unanswered
            }
            if (heldAt < 0 && held()) heldAt = performance.now()
            // Puts go on a moment after the hold (through the old log, or waiting), then the kill.
            if ((heldAt >= 0 && performance.now() - heldAt > 150) || performance.now() > deadline) stop = true
          }
        })
      )
      for (let i = 0; i < 100 && !held(); i++) await sleep(20)
      t.true(held(), `phase ${phase}: the node never reached ${point} (lines: ${lines.slice(-5).join(" | ")})`)
      await cluster.kill9(0)
      c.close()
      client = undefined
      t.log(`kill -9 at ${point}: ${acked.size} puts acknowledged so far`)
    }
    client = await start(undefined)
    const s = client.session()
    const lost: string[] = []
    for (const [key, value] of acked) {
      const r = (await s.execute(toCommand({ op: "get", key }), 5000)) as { readonly value?: string }
      if (r.value !== value) lost.push(key)
    }
    t.log(lines.filter((l) => /recovered|snapshot/.test(l)).join("\n"))
    t.deepEqual(lost, [], `${lost.length} of ${acked.size} acknowledged puts lost`)
    t.true(acked.size >= 20, `${acked.size} puts acknowledged`)
    t.is(lines.filter((l) => /recovered from/.test(l)).length, POINTS.length)
    t.deepEqual(lines.filter((l) => /refus|stderr|failed/.test(l)), [])
  } finally {
    process.env = env
    client?.close()
    await cluster.stop()
    rmSync(dir, { recursive: true, force: true })
  }
})

test.serial("storage: TLA_TS_COMPACT_BYTES sets the compaction threshold; it and TLA_TS_TEST_COMPACTION_HOLD are validated (one clear error)", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "tla-ts-compaction-env-"))
  const env = { ...process.env }
  try {
    const open = () => Storage.open(dir, { protocol: "raft", id: "n1" }, new Registry([]), { log: (l) => void logged.push(l) })
    const logged: string[] = []
    for (const bad of ["12x", "100", "1e9", "-5", "4294967296"]) {
      process.env.TLA_TS_COMPACT_BYTES = bad
      t.throws(open, { instanceOf: StorageError, message: /^TLA_TS_COMPACT_BYTES must be a whole number of bytes from 1024 to 2147483648, got "/ })
    }
    process.env.TLA_TS_COMPACT_BYTES = "2048"
    process.env.TLA_TS_TEST_COMPACTION_HOLD = "before-renam"
    t.throws(open, { instanceOf: StorageError, message: /^TLA_TS_TEST_COMPACTION_HOLD must be one of log-created, snapshot-partial, before-rename, after-rename, old-log-removed/ })
    delete process.env.TLA_TS_TEST_COMPACTION_HOLD
    const s = open()
    for (let n = 0; n < 40 && logged.length === 0; n++) {
      const q = s.persist({ n, pad: `${"x".repeat(100)}${n}` })
      while (s.durableSeq < q) await sleep(1)
    }
    await s.close()
    // 40 records of ~150 bytes pass 2048 bytes: a compaction (the default 16 MiB: none).
    t.regex(logged[0] ?? "", /^snapshot: generation 1/)
  } finally {
    process.env = env
    rmSync(dir, { recursive: true, force: true })
  }
})
