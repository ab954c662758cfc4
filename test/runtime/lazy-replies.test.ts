/**
 * A Paxos node's lazy records (re-learnable writes: learned slots, executions, compaction) never hold a
 * client's reply, nor a read's probe or its acknowledgement: with lazy records that wait 3 s for a write
 * to carry them, every put and get at 1 client still returns in far less. Holding every message of a
 * later step behind them, as the runtime once did, fails this (gets by leader-confirmed read write
 * nothing, and waited for the heartbeats' lazy records: up to 1.7 s here), and so does exempting the
 * replies alone (the followers' acknowledgements waited).
 */
import test from "ava"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ClusterClient } from "../../src/runtime/client.ts"
import { LocalCluster } from "../../src/runtime/jepsen.ts"
import { toCommand } from "../../src/runtime/kv-ops.ts"

test("paxos: a client's reply is not held behind a lazy record (lazy records waiting 3 s, puts and gets at 1 client)", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "tla-ts-lazy-"))
  const cluster = new LocalCluster("paxos", dir, 23700, 3, () => {}, false, undefined, ["--lazy-ms", "3000"])
  let client: ClusterClient | undefined
  try {
    await cluster.start()
    await cluster.waitLeader(60_000)
    client = await ClusterClient.connect(cluster.endpoints, { connectTimeout: 10_000, seed: 1 })
    const session = client.session()
    const lat: number[] = []
    for (let i = 0; i < 60; i++) {
      const t0 = performance.now()
      // A put, then gets while the leader's heartbeat writes what it learned (lazily).
      await session.execute(toCommand(i % 6 === 0 ? { op: "put", key: `k${i % 3}`, value: "v" } : { op: "get", key: `k${i % 3}` }), 10_000)
      if (i >= 6) lat.push(performance.now() - t0) // the first find the leader
    }
    client.forget(session)
    t.true(Math.max(...lat) < 300, `slowest operation ${Math.max(...lat).toFixed(1)} ms`)
  } finally {
    client?.close()
    await cluster.stop()
    rmSync(dir, { recursive: true, force: true })
  }
})
