/**
 * A leader's reply to a client waits for the record that holds its command (its acceptance, Paxos; its
 * log entry, Raft) and what came before it, not for the records of operations proposed after it
 * (Service.stands). Three nodes in this process on slow disks: each record reaches the file 0.8 s (n1,
 * made the leader) or 0.4 s (the others) after it is written, timers slower. Put A is proposed; 0.2 s
 * later put B, whose record is a second eager one; the followers' answers for A come back after B's record
 * was written, so the step that answers A comes after it. No reply may leave before the leader's own
 * record of its command is on disk (checked, for every put, from the durable value the client's receipt
 * finds, independently of the service's rule), and A's should leave before B's record is durable. Both
 * fail when planted: a rule that lets every reply stand answers before the record is on disk, and the
 * old rule (every eager record before the step) makes A wait for B's record.
 */
import test from "ava"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ClusterClient } from "../../src/runtime/client.ts"
import { toCommand } from "../../src/runtime/kv-ops.ts"
import { RuntimeServer } from "../../src/runtime/server.ts"
import { SERVICES } from "../../src/runtime/services.ts"

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Command {
  readonly _tag: string
  readonly client?: string
  readonly seq?: number
}
interface DurableLog {
  readonly log?: ReadonlyMap<number, { readonly command: Command }> | ReadonlyArray<{ readonly command: Command }>
  readonly snap?: { readonly last?: ReadonlyMap<string, { readonly seq: number }> }
}

/** Whether a node's durable value holds the exactly-once command (client, seq): an entry of its log (Paxos's slots, Raft's entries), or its snapshot's executed table. */
const holds = (durable: unknown, client: string, seq: number): boolean => {
  const d = (durable as { readonly log?: DurableLog } | undefined)?.log
  if (d === undefined) return false
  if ((d.snap?.last?.get(client)?.seq ?? -1) >= seq) return true
  for (const e of d.log?.values() ?? []) if (e.command._tag === "AMOCommand" && e.command.client === client && e.command.seq === seq) return true
  return false
}

for (const [protocol, port] of [
  ["paxos", 23740],
  ["raft", 23770],
] as const)
  test(`${protocol}: a reply waits for its own command's record, not for the records of later proposals`, async (t) => {
    const service = SERVICES[protocol]!
    const dir = mkdtempSync(join(tmpdir(), "tla-ts-stands-"))
    const ids = ["n1", "n2", "n3"]
    const peers = new Map(ids.map((id, i) => [id, { host: "127.0.0.1", port: port + i }]))
    const lines: string[] = []
    // n1 leads: Paxos's first server leads ballot 0; Raft's n1 times out 6x sooner than the others (its vote round takes 1.2 s on these disks).
    const servers = ids.map(
      (id, i) =>
        new RuntimeServer({
          service,
          id,
          peers,
          clientPort: { host: "127.0.0.1", port: port + 10 + i },
          dataDir: join(dir, id),
          seed: i + 1,
          timeUnit: protocol === "raft" && i > 0 ? 60 : 10,
          diskDelayMs: i === 0 ? 800 : 400,
          log: (l) => lines.push(`${id} ${l}`),
        })
    )
    let client: ClusterClient | undefined
    try {
      await Promise.all(servers.map((s) => s.start()))
      const leader = servers[0]!
      for (let waited = 0; waited < 1000 && !service.leader(leader.state, "n1").startsWith("leader"); waited++) await sleep(20)
      t.true(service.leader(leader.state, "n1").startsWith("leader"), lines.join("\n"))
      client = await ClusterClient.connect(ids.map((_, i) => ({ host: "127.0.0.1", port: port + 10 + i })), { connectTimeout: 10_000, seed: 1, all: true })
      /** Each reply's command, as the client's receipt finds the leader's disk: held there or not. */
      const unheld: string[] = []
      const put = async (s: ReturnType<ClusterClient["session"]>, k: string, seq: number) => {
        await s.execute(toCommand({ op: "put", key: k, value: k }), 60_000)
        if (!holds(leader.durableValue, s.id, seq)) unheld.push(k)
      }
      const a = client.session()
      await put(a, "warm", 1) // a finds the leader; b starts there
      const b = client.session()
      const last0 = leader.records.last
      let durableOnA = -1
      const doneA = put(a, "A", 2).then(() => {
        durableOnA = leader.records.durable
      })
      while (leader.records.last === last0) await sleep(5)
      await sleep(200)
      const last1 = leader.records.last
      const doneB = put(b, "B", 1)
      while (leader.records.last === last1) await sleep(5)
      const recordB = leader.records.eager // B's record: an eager one written before A's answers came back
      await doneA
      await doneB
      t.log(`A answered with the leader durable to record ${durableOnA}; B's record is ${recordB}`)
      t.deepEqual(unheld, [], "replies left before the leader's record of their command was on disk")
      t.true(durableOnA < recordB, `A's reply waited for B's record (${recordB}), proposed after it\n${lines.join("\n")}`)
    } finally {
      client?.close()
      await Promise.all(servers.map((s) => s.stop()))
      rmSync(dir, { recursive: true, force: true })
    }
  })
