/**
 * Schemas as the source of truth (issue 8 item 4): every message that carries commands is built from
 * the application's command schema at the runtime's boundary, so a frame whose nested command is
 * malformed is rejected (with the generic schemas it was accepted); the typed schemas accept all the
 * traffic a real run sends; the canonical encoding traces store drops what is not data.
 */
import test from "ava"
import { Schema } from "effect"
import { stepsOf } from "../../src/checker/path.ts"
import { Rng } from "../../src/checker/random.ts"
import { AMOCommand, AMOResult, amoSchemas, amoStateSchema } from "../../src/core/application.ts"
import { compile, type ProtocolState } from "../../src/core/compile.ts"
import { canonicalText, encodeCanonical } from "../../src/core/encode.ts"
import { exactlyOnceClient } from "../../src/core/exactly-once.ts"
import { Append, AppendResult, Get, GetResult, KeyNotFound, KVCommand, KVResult, KVState, kvStore, Put, put, PutOk, putOk } from "../../src/core/kv.ts"
import type { Tagged } from "../../src/core/node.ts"
import { groupAddresses } from "../../src/core/replicated-log.ts"
import { replicatedService } from "../../src/core/replicated-service.ts"
import { show } from "../../src/core/show.ts"
import { Heartbeat, Noop, P2a, paxosMessages, paxosServer } from "../../src/protocols/paxos/server.ts"
import { InstallSnapshot, raftMessages, raftServer } from "../../src/protocols/raft/server.ts"
import { specLog, specLogMessages } from "../../src/protocols/speclog/server.ts"
import { DecodeError, decode, encode, Registry } from "../../src/runtime/codec.ts"
import { SERVICES } from "../../src/runtime/services.ts"
import { decodeEnvelope, encodeEnvelope } from "../../src/runtime/wire.ts"

const frame = (msg: unknown) => `{"f":"server2/log","t":"server1/log","m":${JSON.stringify(msg)}}`
const amo = (command: unknown, seq: number) => ({ _tag: "AMOCommand", command, client: "client1", seq })

test("a runtime frame whose nested command is malformed is rejected; the generic schemas would have taken it", (t) => {
  const registry = SERVICES.paxos!.registry
  const p2a = (command: unknown, slot: number) => frame({ _tag: "P2a", round: 1, leader: "server1/log", slot, command })
  t.like(decodeEnvelope(p2a(amo({ _tag: "Put", key: "k", value: "v" }, 1), 0), registry, true), { msg: { _tag: "P2a", slot: 0, command: { command: { key: "k" } } } })
  t.like(decodeEnvelope(p2a({ _tag: "Noop" }, 1), registry, true), { msg: { command: { _tag: "Noop" } } })
  const bad: ReadonlyArray<[string, unknown]> = [
    ["a Put without its value", amo({ _tag: "Put", key: "k" }, 2)],
    ["a registered message where a KV command belongs", amo({ _tag: "Heartbeat", round: 1, leader: "x", clear: 0 }, 3)],
    ["plain data where a KV command belongs", amo({ key: "k", value: "v" }, 4)],
    ["a result where a command belongs", amo({ _tag: "PutOk" }, 5)],
  ]
  for (const [what, command] of bad) t.throws(() => decodeEnvelope(p2a(command, 2), registry, true), { instanceOf: DecodeError }, what)
  // The same malformed command inside a log entry of a promise, and inside a client's request.
  const entry = { chosen: false, round: 1, leader: "server1/log", command: amo({ _tag: "Append", key: "k" }, 6) }
  t.throws(() => decodeEnvelope(frame({ _tag: "P1b", round: 1, leader: "server1/log", entries: [[0, entry]] }), registry, true), { instanceOf: DecodeError })
  t.throws(() => decodeEnvelope(frame({ _tag: "Request", command: amo({ _tag: "Get" }, 7) }), registry, true), { instanceOf: DecodeError })

  // With the generic classes (any tagged command), a decoded Heartbeat passes as a command: the typed schemas are what reject it.
  const generic = new Registry([P2a, AMOCommand, Heartbeat, Noop])
  const smuggled = decodeEnvelope(p2a(amo({ _tag: "Heartbeat", round: 1, leader: "y", clear: 0 }, 8), 3), generic, true)
  t.is(((smuggled.msg as P2a).command as AMOCommand).command._tag, "Heartbeat")
})

test("a Raft snapshot is validated down to the application state it carries", (t) => {
  const registry = SERVICES.raft!.registry
  const snapshot = (app: unknown) =>
    frame({ _tag: "InstallSnapshot", term: 2, lastIncludedIndex: 4, lastIncludedTerm: 1, data: { app, last: { $map: [["client1", { _tag: "AMOResult", result: { _tag: "PutOk" }, client: "client1", seq: 1 }]] } } })
  const ok = decodeEnvelope(snapshot({ $map: [["k", "v"]] }), registry, true).msg as InstallSnapshot
  t.deepEqual([...(ok.data as { app: Map<string, string> }).app], [["k", "v"]])
  t.throws(() => decodeEnvelope(snapshot({ $map: [["k", 5]] }), registry, true), { instanceOf: DecodeError })
  t.throws(() => decodeEnvelope(snapshot([["k", "v"]]), registry, true), { instanceOf: DecodeError })
})

test("the typed schemas are built from the application's: a typed P2a's schema refuses a command of another application", (t) => {
  const kv = amoSchemas(KVCommand, KVResult)
  const { P2a: KvP2a } = paxosMessages(kv.AMOCommand)
  const typed = Schema.is(Schema.Struct(KvP2a.fields))
  const generic = Schema.is(Schema.Struct(P2a.fields))
  const command = new kv.AMOCommand({ command: put("k", "v"), client: "c", seq: 1 })
  const heartbeat = new Heartbeat({ round: 0, leader: "s", clear: 0 })
  const p2a = (c: Tagged) => ({ _tag: "P2a", round: 0, leader: "s", slot: 0, command: c })
  t.true(typed(p2a(command)))
  t.true(typed(p2a(new Noop())))
  t.false(typed(p2a(heartbeat)), "a message is not a command")
  t.false(typed(p2a(put("k", "v"))), "a bare KV command is not an AMOCommand")
  t.true(generic(p2a(heartbeat)), "the generic layer takes any tagged command")
  // The generic layer carries typed values (a decoded command inside a message it builds).
  t.is(new P2a({ round: 0, leader: "s", slot: 0, command }).command, command)
})

/**
 * A seeded walk over a checked configuration, mostly deliveries (every 100th step any step: timers,
 * crashes, restarts), calling `seen` with every message in flight and `state` with every state.
 */
const walk = (system: ReturnType<typeof compile>, steps: number, seen: (m: Tagged) => void, state: (w: ProtocolState) => void = () => {}) => {
  const rng = new Rng(1)
  let w: ProtocolState = system.initial()[0]!
  for (let i = 0; i < steps; i++) {
    state(w)
    for (const e of w.net) seen(e.msg)
    const all = stepsOf(system, w)
    const deliveries = all.filter((s) => s.label.k === "deliver")
    const pool = i % 100 === 99 || deliveries.length === 0 ? all : deliveries
    if (pool.length === 0) break
    w = pool[rng.int(pool.length)]!.next
  }
}

test("every message a run of the KV service sends decodes under the runtime's typed schemas, to the same encoding", (t) => {
  const servers = ["server1", "server2", "server3"]
  const workload = { commands: [put("a", "1"), put("b", "2"), put("a", "3")], expected: [putOk(), putOk(), putOk()] }
  for (const [name, def, mode] of [
    ["paxos", paxosServer(kvStore, servers).def, "broadcast"],
    ["raft", raftServer(servers, kvStore, { snapshotThreshold: 2 }).def, "leader"],
  ] as const) {
    const system = compile({ servers: servers.map((address) => ({ address, def })), clients: [{ address: "client1", def: exactlyOnceClient(servers, { mode }), workload }] })
    const registry = SERVICES[name]!.registry
    const tags = new Set<string>()
    walk(system, 400, (m) => {
      const text = encodeEnvelope("to", m, "from")
      t.is(encode(decodeEnvelope(text, registry, true).msg), encode(m))
      tags.add(m._tag)
    })
    t.true(tags.has("Request") && tags.has(name === "paxos" ? "P2a" : "AppendEntries"), `${name}: ${[...tags].join(", ")}`)
  }
})

test("every record a log or a service persists (through crashes, restarts and snapshots) matches its persisted-record schema", (t) => {
  const servers = ["server1", "server2", "server3"]
  const workload = { commands: [put("a", "1"), put("b", "2"), put("a", "3"), put("c", "4")], expected: [putOk(), putOk(), putOk(), putOk()] }
  const kv = amoSchemas(KVCommand, KVResult)
  const registry = new Registry([kv.AMOCommand, kv.AMOResult, Get, Put, Append, GetResult, KeyNotFound, PutOk, AppendResult])
  const appState = Schema.is(amoStateSchema(KVState, kv.AMOResult))
  const cases = [
    ["raft", raftServer(servers, kvStore, { snapshotThreshold: 2 }).def, "leader", Schema.is(raftMessages(kv.AMOCommand, amoStateSchema(KVState, kv.AMOResult)).Durable)],
    ["paxos", paxosServer(kvStore, servers, { persist: true }).def, "broadcast", Schema.is(paxosMessages(kv.AMOCommand, amoStateSchema(KVState, kv.AMOResult)).Durable)],
    ["speclog", replicatedService(kvStore, specLog(groupAddresses(servers, "log"), { persist: true }), { persist: true }).def, "broadcast", Schema.is(specLogMessages(kv.AMOCommand).Durable)],
  ] as const
  for (const [name, def, mode, isLogRecord] of cases) {
    const system = compile({
      servers: servers.map((address) => ({ address, def })),
      clients: [{ address: "client1", def: exactlyOnceClient(servers, { mode }), workload }],
      faults: { maxCrashed: 1 },
    })
    const counts = { log: 0, app: 0, filled: 0 }
    walk(system, 1000, () => {}, (w) => {
      for (const n of w.nodes) {
        // As the runtime's storage reads them back: rebuilt through the typed classes, then checked whole.
        const log = n.durable?.["log"] as { snap?: unknown; log?: unknown[]; early?: Map<number, unknown> } | undefined
        if (log !== undefined) {
          counts.log++
          if (log.snap !== undefined || (log.early?.size ?? 0) > 0) counts.filled++
          t.true(isLogRecord(decode(encode(log), registry)), `${name}: ${encode(log)}`)
        }
        const app = n.durable?.[""] as { last: ReadonlyMap<string, unknown> } | undefined
        if (app !== undefined) {
          counts.app++
          if (app.last.size > 0) counts.filled++
          t.true(appState(decode(encode(app), registry)), `${name}: ${encode(app)}`)
        }
      }
    })
    t.true(counts.log > 0 && counts.filled > 0 && (name !== "speclog" || counts.app > 0), `${name}: ${JSON.stringify(counts)}`)
  }
  const isRaftRecord = Schema.is(raftMessages(kv.AMOCommand, amoStateSchema(KVState, kv.AMOResult)).Durable)
  t.false(isRaftRecord({ term: 1, votedFor: null, log: [{ term: 1, command: put("a", "1") }], snapIndex: 0, snapTerm: 0, commitIndex: 0 }), "a bare command in the log")
  const isPaxosRecord = Schema.is(paxosMessages(kv.AMOCommand, amoStateSchema(KVState, kv.AMOResult)).Durable)
  t.false(isPaxosRecord({ round: 0, leader: "server1/log", log: new Map([[0, { chosen: true, round: 0, leader: "server1/log", command: put("a", "1") }]]), cleared: 0, snapSlot: -1 }), "a bare command in a Paxos slot")
})

test("the canonical encoding keeps data only: undefined fields, undeclared properties and insertion order do not count", (t) => {
  t.is(canonicalText({ a: 1, b: undefined }), canonicalText({ a: 1 }))
  t.is(canonicalText(new Map([["x", 1], ["y", 2]])), canonicalText(new Map([["y", 2], ["x", 1]])))
  t.is(canonicalText(new Set([2, 1])), canonicalText(new Set([1, 2])))
  const r = new AMOResult({ result: putOk(), client: "c", seq: 1 })
  const extra = Object.assign(new AMOResult({ result: putOk(), client: "c", seq: 1 }), { cached: "not a field" })
  t.is(canonicalText(extra), canonicalText(r))
  t.deepEqual(encodeCanonical(r), { _tag: "AMOResult", client: "c", result: { _tag: "PutOk" }, seq: 1 })
  t.is(show(extra), show(r))
  t.is(show(r), "AMOResult(client=c,result=PutOk(),seq=1)")
  t.not(canonicalText({ a: 1 }), canonicalText({ a: 2 }))
  t.deepEqual(encodeCanonical([Infinity, 2n]), [{ $num: "Infinity" }, { $big: "2" }])
})
