/** One in-process node: untrusted frames are logged and dropped, and the node keeps serving. */
import test from "ava"
import { mkdtempSync } from "node:fs"
import { connect } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { AMOCommand } from "../../src/core/application.ts"
import { Put } from "../../src/core/kv.ts"
import { ReadProbe, ReadProbeAck } from "../../src/core/read-index.ts"
import * as paxos from "../../src/protocols/paxos/server.ts"
import * as raft from "../../src/protocols/raft/server.ts"
import { ClusterClient } from "../../src/runtime/client.ts"
import { frame, MAX_CLIENT_FRAME, MAX_FRAME } from "../../src/runtime/frames.ts"
import { toCommand } from "../../src/runtime/kv-ops.ts"
import { RuntimeServer, type ServerOptions } from "../../src/runtime/server.ts"
import { SERVICES } from "../../src/runtime/services.ts"

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms
  while (!cond() && Date.now() < end) await sleep(10)
  return cond()
}

/** A one-node Raft cluster in this process: peers on `port`, clients on `port + 1`, its log lines into `lines`. */
const raftNode = (port: number, lines: string[], more: Partial<ServerOptions> = {}) =>
  new RuntimeServer({
    service: SERVICES.raft!,
    id: "a",
    peers: new Map([["a", { host: "127.0.0.1", port }]]),
    clientPort: { host: "127.0.0.1", port: port + 1 },
    dataDir: join(mkdtempSync(join(tmpdir(), "tla-ts-server-")), "a"),
    seed: 1,
    log: (l) => lines.push(l),
    ...more,
  })

test("malformed, unknown, misdirected and oversized frames are logged with their peer and dropped; the node keeps serving", async (t) => {
  const lines: string[] = []
  const server = raftNode(19951, lines)
  await server.start()
  try {
    t.true(await until(() => lines.some((l) => l.startsWith("leader"))))
    const raw = connect({ host: "127.0.0.1", port: 19952 })
    await new Promise((r) => raw.once("connect", r))
    raw.write(frame(JSON.stringify({ hello: { client: true } })))
    raw.write(frame("this is not json"))
    raw.write(frame(JSON.stringify({ f: "x", t: "a", m: { _tag: "Evil" } })))
    raw.write(frame(JSON.stringify({ f: "x", t: "a", m: { _tag: "Request", command: { _tag: "AMOCommand", command: null, client: 7, seq: "one" } } })))
    raw.write(frame(JSON.stringify({ f: "x", t: "a", m: { _tag: "AppendEntries", term: 9, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0 } })))
    const huge = Buffer.alloc(4)
    huge.writeUInt32BE(0x7fffffff)
    raw.write(huge)
    t.true(await until(() => lines.some((l) => /closing the connection/.test(l))), lines.join("\n"))
    const drops = lines.filter((l) => l.startsWith("dropped frame from"))
    t.regex(drops.join("\n"), /not JSON/)
    t.regex(drops.join("\n"), /"Evil" is not accepted here/)
    t.regex(drops.join("\n"), /invalid AMOCommand/)
    t.regex(drops.join("\n"), /"AppendEntries" is not accepted here/)
    t.true(drops.every((l) => /127\.0\.0\.1:\d+/.test(l)), "each drop names the peer's address")

    const peer = connect({ host: "127.0.0.1", port: 19951 })
    await new Promise((r) => peer.once("connect", r))
    peer.write(frame(JSON.stringify({ hello: { id: "mallory", protocol: "raft" } })))
    t.true(await until(() => lines.some((l) => /refused connection from .*not a peer of a/.test(l))))
    // A client's frame is held to MAX_CLIENT_FRAME, far under a peer's MAX_FRAME.
    const big = connect({ host: "127.0.0.1", port: 19952 })
    await new Promise((r) => big.once("connect", r))
    big.write(frame(JSON.stringify({ hello: { client: true } })))
    const nine = Buffer.alloc(4)
    nine.writeUInt32BE(MAX_CLIENT_FRAME + 1)
    t.true(MAX_CLIENT_FRAME + 1 < MAX_FRAME)
    big.write(nine)
    t.true(await until(() => lines.some((l) => l.includes(`frame of ${MAX_CLIENT_FRAME + 1} bytes exceeds the ${MAX_CLIENT_FRAME}-byte limit`))), lines.join("\n"))
    big.destroy()
    raw.destroy()
    peer.destroy()

    const client = await ClusterClient.connect([{ host: "127.0.0.1", port: 19952 }])
    const s = client.session()
    t.is((await s.execute(toCommand({ op: "put", key: "k", value: "v" }), 5000))._tag, "PutOk")
    t.like(await s.execute(toCommand({ op: "get", key: "k" }), 5000), { _tag: "GetResult", value: "v" })
    client.close()
  } finally {
    await server.stop()
  }
})

test("raft batching: an AppendEntries is left out only when a later one to the same peer covers it", (t) => {
  const { AppendEntries } = raft
  const sup = SERVICES.raft!.supersedes!
  const e = (k: number) => ({ term: 2, command: new AMOCommand({ command: new Put({ key: `k${k}`, value: "v" }), client: "c", seq: k }) })
  const ae = (term: number, prev: number, n: number, commit: number) =>
    new AppendEntries({ term, prevLogIndex: prev, prevLogTerm: 2, entries: Array.from({ length: n }, (_, i) => e(prev + i + 1)), leaderCommit: commit })
  t.true(sup(ae(2, 5, 1, 4), ae(2, 5, 2, 4)), "same start, more entries")
  t.true(sup(ae(2, 6, 1, 4), ae(2, 5, 3, 5)), "earlier start, reaching further, later commit")
  t.false(sup(ae(2, 5, 2, 4), ae(2, 6, 2, 4)), "a later start leaves the earlier entry out")
  t.false(sup(ae(2, 5, 3, 4), ae(2, 5, 2, 4)), "fewer entries")
  t.false(sup(ae(2, 5, 1, 5), ae(2, 5, 2, 4)), "an older commit index")
  t.false(sup(ae(2, 5, 1, 4), ae(3, 5, 2, 4)), "another term")
})

test("paxos batching: only a repeated phase-2 message or a heartbeat of the same ballot is left out", (t) => {
  const sup = SERVICES.paxos!.supersedes!
  const p2a = (slot: number, round: number) => new paxos.P2a({ round, leader: "n1", slot, command: new paxos.Noop() })
  const hb = (round: number, clear: number) => new paxos.Heartbeat({ round, leader: "n1", clear })
  t.true(sup(p2a(3, 1), p2a(3, 1)))
  t.false(sup(p2a(3, 1), p2a(4, 1)), "another slot")
  t.false(sup(p2a(3, 1), p2a(3, 2)), "another ballot")
  t.true(sup(hb(1, 4), hb(1, 5)))
  t.false(sup(hb(1, 5), hb(1, 4)), "an older compaction point")
  t.false(sup(hb(1, 4), p2a(3, 1)))
})

test("read batching: a read's probe or acknowledgement is left out only for a later one of the same epoch", (t) => {
  for (const sup of [SERVICES.raft!.supersedes!, SERVICES.paxos!.supersedes!]) {
    t.true(sup(new ReadProbe({ epoch: "2", probe: 3 }), new ReadProbe({ epoch: "2", probe: 4 })))
    t.true(sup(new ReadProbeAck({ epoch: "2", probe: 3 }), new ReadProbeAck({ epoch: "2", probe: 3 })))
    t.false(sup(new ReadProbe({ epoch: "2", probe: 4 }), new ReadProbe({ epoch: "2", probe: 3 })), "an earlier probe")
    t.false(sup(new ReadProbe({ epoch: "2", probe: 3 }), new ReadProbe({ epoch: "3", probe: 4 })), "another epoch")
    t.false(sup(new ReadProbe({ epoch: "2", probe: 3 }), new ReadProbeAck({ epoch: "2", probe: 4 })), "an acknowledgement is no probe")
  }
})

test("client connections are capped: one past --max-clients is closed at once with a log line, and a closed one frees its place", async (t) => {
  const lines: string[] = []
  const server = raftNode(19953, lines, { maxClientConnections: 2 })
  await server.start()
  const open = async () => {
    const s = connect({ host: "127.0.0.1", port: 19954 })
    const state = { closed: false, data: 0 }
    s.on("close", () => (state.closed = true))
    s.on("error", () => {})
    s.on("data", (d: Buffer) => (state.data += d.length))
    await new Promise((r) => s.once("connect", r))
    s.write(frame(JSON.stringify({ hello: { client: true } })))
    return { s, state }
  }
  try {
    t.true(await until(() => lines.some((l) => l.startsWith("leader"))))
    const a = await open()
    const b = await open()
    // Both are answered (the server's info), so both are counted before the third arrives.
    t.true(await until(() => a.state.data > 0 && b.state.data > 0))
    const c = await open()
    t.true(await until(() => c.state.closed), "the third connection is closed")
    t.is(c.state.data, 0, "and told nothing")
    t.true(lines.some((l) => /^refused client connection from 127\.0\.0\.1:\d+: 2 client connections already open, the most --max-clients allows$/.test(l)), lines.join("\n"))
    t.false(a.state.closed || b.state.closed, "the first two stay open")
    a.s.destroy()
    // Once the server has seen the close, a new connection is answered (no clock: each try waits for its answer or its close).
    let d = await open()
    for (let tries = 0; tries < 50; tries++) {
      await until(() => d.state.data > 0 || d.state.closed)
      if (!d.state.closed) break
      d = await open()
    }
    t.true(d.state.data > 0 && !d.state.closed, "a closed connection's place is taken again")
    d.s.destroy()
    b.s.destroy()
  } finally {
    await server.stop()
  }
})
