/**
 * A Paxos leader's reply to a client waits for the record that holds the acceptance of its command (and
 * of every slot before it), not for the records of operations proposed after it (Service.stands). Three
 * nodes in this process on slow disks: each record reaches the file 0.8 s (leader) or 0.4 s (followers)
 * after it is written, timers 10x slower. Put A is proposed; 0.2 s later put B, whose acceptance is a
 * second eager record; A's acceptances come back after B's record was written, so the step that answers A
 * comes after it. A's reply must not leave before the leader's own acceptance of A is on disk (checked
 * from the durable value the client's receipt finds, independently of the service's rule), and it should
 * leave before B's record is durable: waiting for every eager record before the step (the old rule) makes
 * A wait for B's, and a planted rule that lets every reply stand answers A before its own record is on disk.
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

/** Whether a Paxos node's durable value holds the exactly-once command (client, seq): a slot of its log, or its snapshot's executed table. */
const holds = (durable: unknown, client: string, seq: number): boolean => {
  const d = (durable as { log?: { log?: ReadonlyMap<number, { command: { _tag: string; client?: string; seq?: number } }>; snap?: { last?: ReadonlyMap<string, { seq: number }> } } } | undefined)?.log
  if (d === undefined) return false
  if ((d.snap?.last?.get(client)?.seq ?? -1) >= seq) return true
  for (const e of d.log?.values() ?? []) if (e.command._tag === "AMOCommand" && e.command.client === client && e.command.seq === seq) return true
  return false
}

test("paxos: a reply waits for its own command's record, not for the records of later proposals", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "tla-ts-stands-"))
  const ids = ["n1", "n2", "n3"]
  const peers = new Map(ids.map((id, i) => [id, { host: "127.0.0.1", port: 23740 + i }]))
  const lines: string[] = []
  // n1 leads ballot 0 from the start (the first server), so its disk is known to be the leader's.
  const servers = ids.map(
    (id, i) =>
      new RuntimeServer({
        service: paxos,
        id,
        peers,
        clientPort: { host: "127.0.0.1", port: 23750 + i },
        dataDir: join(dir, id),
        seed: i + 1,
        timeUnit: 10,
        diskDelayMs: i === 0 ? 800 : 400,
        log: (l) => lines.push(`${id} ${l}`),
      })
  )
  let client: ClusterClient | undefined
  try {
    await Promise.all(servers.map((s) => s.start()))
    client = await ClusterClient.connect(ids.map((_, i) => ({ host: "127.0.0.1", port: 23750 + i })), { connectTimeout: 10_000, seed: 1, all: true })
    const put = (s: ReturnType<ClusterClient["session"]>, k: string) => s.execute(toCommand({ op: "put", key: k, value: k }), 60_000)
    const a = client.session()
    await put(a, "warm") // a finds the leader; b starts there
    const b = client.session()
    const leader = servers[0]!
    t.true(paxos.leader(leader.state, "n1").startsWith("leader"), lines.join("\n"))
    const last0 = leader.records.last
    let onReplyA: { durable: number; holdsA: boolean } | undefined
    const seqA = 2 // a's second command
    const doneA = put(a, "A").then(() => {
      onReplyA = { durable: leader.records.durable, holdsA: holds(leader.durableValue, a.id, seqA) }
    })
    while (leader.records.last === last0) await sleep(5)
    await sleep(200)
    const last1 = leader.records.last
    const doneB = put(b, "B")
    while (leader.records.last === last1) await sleep(5)
    const recordB = leader.records.eager // B's acceptance: an eager record written before A's acceptances came back
    await doneA
    await doneB
    t.log(`A answered with the leader durable to record ${onReplyA!.durable}; B's record is ${recordB}`)
    t.true(onReplyA!.holdsA, "A's reply left before the leader's acceptance of A was on disk")
    t.true(onReplyA!.durable < recordB, `A's reply waited for B's record (${recordB}), proposed after it\n${lines.join("\n")}`)
  } finally {
    client?.close()
    await Promise.all(servers.map((s) => s.stop()))
    rmSync(dir, { recursive: true, force: true })
  }
})
