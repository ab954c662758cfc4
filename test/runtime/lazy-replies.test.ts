/**
 * A Paxos node's lazy records (re-learnable writes: learned slots, executions, compaction) never hold a
 * client's reply, nor a read's probe or its acknowledgement. Three nodes in this process; lazy records
 * wait 1 s for a write to carry them, timers run 10x slower (elections 1.5-3 s, so the heartbeats a lazy
 * record holds back call none). After a put, the leader writes what it learned lazily on its next
 * heartbeat, and once that is durable the followers write the decisions it released lazily too; gets
 * (leader-confirmed reads: a probe round, no write) run while those records wait. A get is telling when
 * the nodes' lazy records were waiting as it was invoked and none of those nodes made anything durable
 * until it returned: its reply, probes and acknowledgements left without them. No clock decides, so a
 * loaded machine gives fewer telling gets, never a false one. Holding a step's messages behind every
 * record before them (as the runtime once did) makes each get wait for a record to become durable: no get
 * is telling; so does exempting only the replies (the acknowledgements wait). Both planted: 0 of 60.
 */
import test from "ava"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ClusterClient } from "../../src/runtime/client.ts"
import { toCommand } from "../../src/runtime/kv-ops.ts"
import { RuntimeServer } from "../../src/runtime/server.ts"
import { SERVICES } from "../../src/runtime/services.ts"

const paxos = SERVICES.paxos!

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

test("paxos: a client's reply, a read's probes and their acknowledgements leave while lazy records wait (puts and gets at 1 client)", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "tla-ts-lazy-"))
  const ids = ["n1", "n2", "n3"]
  const peers = new Map(ids.map((id, i) => [id, { host: "127.0.0.1", port: 23710 + i }]))
  const lines: string[] = []
  const servers = ids.map(
    (id, i) =>
      new RuntimeServer({
        service: paxos,
        id,
        peers,
        clientPort: { host: "127.0.0.1", port: 23720 + i },
        dataDir: join(dir, id),
        seed: i + 1,
        timeUnit: 10,
        lazyMs: 1000,
        log: (l) => lines.push(`${id} ${l}`),
      })
  )
  let client: ClusterClient | undefined
  try {
    await Promise.all(servers.map((s) => s.start()))
    while (!lines.some((l) => / leader \(ballot/.test(l))) await sleep(20)
    client = await ClusterClient.connect(ids.map((_, i) => ({ host: "127.0.0.1", port: 23720 + i })), { connectTimeout: 10_000, seed: 1, all: true })
    const session = client.session()
    const run = (i: number, op: "put" | "get") => session.execute(toCommand(op === "put" ? { op, key: `k${i % 3}`, value: `v${i}` } : { op, key: `k${i % 3}` }), 60_000)
    await run(0, "put") // finds the leader
    const leads = (k: number) => paxos.leader(servers[k]!.state, ids[k]!).startsWith("leader")
    const pending = (k: number) => servers[k]!.records.last > servers[k]!.records.durable
    const count = { leader: 0, followers: 0 }
    let gets = 0
    /** Gets while the nodes `which` picks have lazy records waiting: those that return with nothing made durable there are telling. */
    const gets3 = async (i: number, which: (k: number) => boolean, into: "leader" | "followers") => {
      const nodes = ids.map((_, k) => k).filter(which)
      for (let waited = 0; waited < 250 && !nodes.every(pending); waited++) await sleep(20)
      for (let j = 0; j < 3; j++) {
        const before = nodes.map((k) => ({ k, pending: pending(k), durable: servers[k]!.records.durable }))
        await run(i + j, "get")
        gets++
        if (before.every((b) => b.pending && servers[b.k]!.records.durable === b.durable)) count[into]++
      }
    }
    for (let round = 1; round <= 10 && (count.leader < 3 || count.followers < 3); round++) {
      await run(round, "put")
      // The leader's lazy record of what it learned (its next heartbeat), then the followers' of the decisions it released once durable.
      await gets3(round * 6, leads, "leader")
      await gets3(round * 6 + 3, (k) => !leads(k), "followers")
    }
    t.log(`telling gets of ${gets}: ${count.leader} with the leader's lazy records waiting, ${count.followers} with the followers'`)
    t.true(count.leader >= 3 && count.followers >= 3, `telling gets of ${gets}: ${count.leader} (leader), ${count.followers} (followers)\n${lines.join("\n")}`)
    client.forget(session)
  } finally {
    client?.close()
    await Promise.all(servers.map((s) => s.stop()))
    rmSync(dir, { recursive: true, force: true })
  }
})
