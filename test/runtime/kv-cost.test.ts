/**
 * What a put costs must not grow with the store (issue 11: throughput collapsed as a cluster's store
 * grew, each Put copying the whole Map on every node). Counted, not timed: the Map entries a node's
 * per-put work visits -- executing the command under the exactly-once layer, and the write-ahead
 * record's diff of the new state against the last written one (runtime/patch.ts) with its JSON --
 * for 100 puts on a store of 1,000 keys and on one of 50,000. Visits are Map.prototype.set calls,
 * forEach callbacks and Map iterator steps (a copy `new Map(m)` is one set per entry). Also: the
 * record applies back, on a decoded copy, to the same store.
 */
import test from "ava"
import { amo, AMOCommand, AMOResult, type AMOState } from "../../src/core/application.ts"
import { kvStore, type KVState, put, Put, PutOk } from "../../src/core/kv.ts"
import { fromJson, Registry, toJson } from "../../src/runtime/codec.ts"
import { applyOps, diff, type Op } from "../../src/runtime/patch.ts"

const service = amo(kvStore)

/** Counts Map entry visits while `f` runs (by wrapping Map.prototype's methods for that time). */
const countVisits = (f: () => void): number => {
  const proto = Map.prototype as unknown as Record<string | symbol, (...a: unknown[]) => unknown>
  const saved = { set: proto.set!, forEach: proto.forEach!, entries: proto.entries!, keys: proto.keys!, values: proto.values!, iter: proto[Symbol.iterator]! }
  let visits = 0
  const counted = (make: (...a: unknown[]) => unknown) =>
    function (this: unknown, ...a: unknown[]) {
      const it = make.apply(this, a) as Iterator<unknown>
      return {
        next: () => (visits++, it.next()),
        [Symbol.iterator]() {
          return this
        },
      }
    }
  proto.set = function (this: unknown, ...a: unknown[]) {
    visits++
    return saved.set.apply(this, a)
  }
  proto.forEach = function (this: unknown, cb: unknown, thisArg: unknown) {
    return saved.forEach.call(this, (...a: unknown[]) => (visits++, (cb as (...a: unknown[]) => unknown).apply(thisArg, a)))
  }
  proto.entries = counted(saved.entries)
  proto.keys = counted(saved.keys)
  proto.values = counted(saved.values)
  proto[Symbol.iterator] = counted(saved.iter)
  try {
    f()
  } finally {
    Object.assign(proto, { set: saved.set, forEach: saved.forEach, entries: saved.entries, keys: saved.keys, values: saved.values, [Symbol.iterator]: saved.iter })
  }
  return visits
}

const command = (seq: number, key: string) => new AMOCommand({ client: "c1", seq, command: put(key, `value-${seq}`) })

/** A store of `n` keys (built directly, as a recovered node's is), after one put through the service. */
const storeOf = (n: number): AMOState<KVState> => {
  const app = new Map(Array.from({ length: n }, (_, i) => [`k${i}`, `v${i}`] as const))
  return service.execute({ app, last: new Map() }, command(1, "warm-up"))[1]
}

/** Visits of 100 puts of fresh keys on `s`: execute, then the diff and JSON of the WAL record. */
const putCost = (s: AMOState<KVState>): { visits: number; ops: Op[][]; end: AMOState<KVState> } => {
  const records: Op[][] = []
  let cur = s
  const visits = countVisits(() => {
    for (let i = 0; i < 100; i++) {
      const next = service.execute(cur, command(2 + i, `fresh${i}`))[1]
      const ops = diff(cur, next)
      JSON.stringify(ops)
      records.push(ops)
      cur = next
    }
  })
  return { visits, ops: records, end: cur }
}

test("a put's work at 50,000 keys is that at 1,000 keys (Map entries visited, WAL record size)", (t) => {
  const small = putCost(storeOf(1000))
  const large = putCost(storeOf(50_000))
  t.log(`Map entry visits for 100 puts: ${small.visits} at 1,000 keys, ${large.visits} at 50,000 keys`)
  t.true(large.visits <= 2 * small.visits + 200, `visits grew with the store: ${small.visits} -> ${large.visits}`)
  t.true(large.visits < 100 * 50, `more than 50 Map entries visited per put at 50,000 keys: ${large.visits / 100}`)
  const size = (r: Op[][]) => r.reduce((a, ops) => a + JSON.stringify(ops).length, 0)
  t.true(size(large.ops) <= size(small.ops) + 100 * 8, `WAL records grew with the store: ${size(small.ops)} -> ${size(large.ops)} bytes`)
})

test("the records of puts on a large store apply back to the same store", (t) => {
  const start = storeOf(3000)
  const { ops, end } = putCost(start)
  const registry = new Registry([AMOCommand, AMOResult, Put, PutOk])
  let root = fromJson(toJson(start), registry)
  for (const r of ops) root = applyOps(root, JSON.parse(JSON.stringify(r)) as Op[], (j) => fromJson(j, registry))
  const restored = root as AMOState<KVState>
  t.is(restored.app.size, end.app.size)
  for (const [k, v] of end.app) if (restored.app.get(k) !== v) return t.fail(`key ${k}: ${restored.app.get(k)} != ${v}`)
  t.deepEqual(restored.last.get("c1")?.seq, end.last.get("c1")?.seq)
})

test("the first put after recovery does not walk the store: a recovered snapshot's store and dedup table are adopted as PersistentMaps", async (t) => {
  const { SERVICES } = await import("../../src/runtime/services.ts")
  const { PersistentMap } = await import("../../src/core/persistent-map.ts")
  const app = new Map(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, `v${i}`] as const))
  const last = new Map(Array.from({ length: 100 }, (_, i) => [`c${i}`, new AMOResult({ result: new PutOk(), client: `c${i}`, seq: 1 })] as const))
  for (const name of ["raft", "paxos"]) {
    const service_ = SERVICES[name]!
    const durable = name === "raft" ? { log: { term: 1, votedFor: null, log: [], snapIndex: 1, snapTerm: 1, snap: { app, last }, commitIndex: 1 } } : { log: { round: 1, leader: "n1/log", log: new Map(), cleared: 0, snap: { app, last }, snapSlot: 0 } }
    // What Storage.open hands the node: the record decoded from disk (plain Maps), then adopted.
    const recovered = fromJson(JSON.parse(JSON.stringify(toJson(durable))), service_.registry)
    const adopted = (service_.adopt?.(recovered) ?? recovered) as { log: { snap: AMOState<KVState> } }
    const snap = adopted.log.snap
    t.true(snap.app instanceof PersistentMap && snap.last instanceof PersistentMap, name)
    t.is(snap.app.size, 50_000)
    t.is(snap.app.get("k49999"), "v49999")
    const visits = countVisits(() => {
      const next = service.execute(snap, command(2, "fresh"))[1]
      JSON.stringify(diff(snap, next))
    })
    t.true(visits < 50, `${name}: the first put after recovery visited ${visits} Map entries`)
  }
})

test("a Paxos leader copies neither its log nor its votes per proposal: Map entries visited for 20 puts at 1,000 open slots as at 100", async (t) => {
  const { SERVICES } = await import("../../src/runtime/services.ts")
  const { runInit, runMessage } = await import("../../src/runtime/driver.ts")
  const { decodeEnvelope } = await import("../../src/runtime/wire.ts")
  const service_ = SERVICES["paxos"]!
  const ids = ["n1", "n2", "n3"]
  const env = { def: service_.server(ids), self: "n1", peers: ids, chooser: { choose: () => 0 } }
  const request = (seq: number) => decodeEnvelope(JSON.stringify({ t: "n1", f: "c1", m: { _tag: "Request", command: { _tag: "AMOCommand", command: { _tag: "Put", key: `k${seq}`, value: "v" }, client: "c1", seq } } }), service_.registry, true).msg
  /** The leader (n1 leads ballot 0 from the start) with `open` slots proposed and not yet accepted by anyone else; then 20 more puts, each accepted by n2 (chosen, not executable: the open slots come first). */
  const cost = (open: number): number => {
    let s = runInit(env)
    for (let i = 1; i <= open; i++) s = runMessage(env, s.state, s.timers, "n1", request(i), "c1")
    return countVisits(() => {
      for (let i = open + 1; i <= open + 20; i++) {
        s = runMessage(env, s.state, s.timers, "n1", request(i), "c1")
        const p2a = s.sends.find((m) => m.to === "n2/log" && m.msg._tag === "P2a")!
        const p2b = { _tag: "P2b", round: (p2a.msg as unknown as { round: number }).round, leader: "n1/log", slot: (p2a.msg as unknown as { slot: number }).slot }
        s = runMessage(env, s.state, s.timers, "n1/log", decodeEnvelope(JSON.stringify({ t: "n1/log", f: "n2/log", m: p2b }), service_.registry, true).msg, "n2/log")
        if (!s.sends.some((m) => m.msg._tag === "Decisions")) throw new Error(`put ${i} was not chosen`)
      }
    })
  }
  const small = cost(100)
  const large = cost(1000)
  // What the count leaves out: a PersistentMap's own iterators (the leader's scans of its log's slots per request).
  t.log(`Map entry visits for 20 puts: ${small} at 100 open slots, ${large} at 1,000`)
  t.true(large <= small + 2000, `visits grew with the open slots: ${small} -> ${large}`)
})
