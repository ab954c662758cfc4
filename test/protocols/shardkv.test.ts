/**
 * A shard group's pure logic, step by step: which requests it answers, rejects as WrongGroup or
 * holds; configurations one at a time and in order, only after the previous migration; handoffs
 * with the exactly-once table, acknowledgements and deletion; shards no group owns; snapshots.
 */
import test from "ava"
import { Schema } from "effect"
import { append, appendResult, get, getResult, keyNotFound, put, putOk, type KVCommand } from "../../src/core/kv.ts"
import { shardGroup } from "../../src/protocols/shardkv/group.ts"
import { keyShard } from "../../src/protocols/shardkv/keys.ts"
import {
  ApplyConfig,
  ClientRequest,
  ConfigApplied,
  HandoffAck,
  Ignored,
  NotReady,
  ShardDeleted,
  ShardGroupState,
  WrongGroup,
  type ShardKvCommand,
} from "../../src/protocols/shardkv/messages.ts"
import { configurationsOf } from "../../src/protocols/shardkv/system.ts"
import { join, leave, move } from "../../src/protocols/shardmaster/messages.ts"

const SHARDS = 2
// keyShard("a") = 0, keyShard("b") = 1 with 2 shards.
const [A, B] = ["a", "b"]
// Configuration 1: g1 owns both shards; 2: g2 joins and takes shard 1; 3: Move shard 0 to g2; 4: g2 leaves.
const configs = configurationsOf(SHARDS, [join(1, ["g1s1"]), join(2, ["g2s1"]), move(0, 2), leave(2)])
const g1 = shardGroup({ group: 1, shards: SHARDS })
const g2 = shardGroup({ group: 2, shards: SHARDS })
type G = typeof g1

const apply = (g: G, s: ShardGroupState, ...commands: ShardKvCommand[]) => {
  const results = []
  for (const c of commands) {
    const [r, n] = g.execute(s, c)
    results.push(r)
    s = n
  }
  return { results, state: s }
}
const cfg = (num: number) => new ApplyConfig({ config: configs[num - 1]! })
const req = (client: string, seq: number, op: KVCommand) => new ClientRequest({ client, seq, op })
const tags = (s: ShardGroupState) => Object.fromEntries([...s.shards].map(([k, v]) => [k, v._tag]))

test("keys map to shards deterministically; the fixtures use one key per shard", (t) => {
  t.deepEqual([keyShard(A, SHARDS), keyShard(B, SHARDS)], [0, 1])
  t.deepEqual(configs.map((c) => c.shards), [[1, 1], [1, 2], [2, 2], [1, 1]])
})

test("before any configuration every request is WrongGroup; the first configuration's owner serves its shards, born empty", (t) => {
  t.deepEqual(g1.execute(g1.init(), req("c1", 1, get(A)))[0], new WrongGroup({ shard: 0, num: 0 }))
  const { results, state } = apply(g1, g1.init(), cfg(1), req("c1", 1, get(A)), req("c1", 2, put(B, "v")), req("c1", 3, get(B)))
  t.deepEqual(results, [new ConfigApplied({ num: 1 }), keyNotFound(), putOk(), getResult("v")])
  t.deepEqual(tags(state), { 0: "Serving", 1: "Serving" })
  // g2 in configuration 1 owns nothing.
  t.deepEqual(apply(g2, g2.init(), cfg(1), req("c1", 1, get(A))).results[1], new WrongGroup({ shard: 0, num: 1 }))
})

test("configurations one at a time and in order: a skipped or repeated one is ignored", (t) => {
  const s = g1.init()
  t.deepEqual(g1.execute(s, cfg(2)), [new Ignored({ reason: "not-next-configuration" }), s])
  const one = g1.execute(s, cfg(1))[1]
  t.deepEqual(g1.execute(one, cfg(1)), [new Ignored({ reason: "not-next-configuration" }), one])
  t.deepEqual(g1.execute(one, cfg(3)), [new Ignored({ reason: "not-next-configuration" }), one])
})

test("a migration: the sender keeps the shard until acknowledged, the receiver holds requests until the data arrives", (t) => {
  const sender = apply(g1, g1.init(), cfg(1), req("c1", 1, append(B, "x")), req("c1", 2, append(A, "y")), cfg(2))
  t.deepEqual(tags(sender.state), { 0: "Serving", 1: "Sending" })
  // Shard 1 is no longer g1's: WrongGroup; shard 0 still served during the migration.
  t.deepEqual(g1.execute(sender.state, req("c2", 1, get(B)))[0], new WrongGroup({ shard: 1, num: 2 }))
  t.deepEqual(g1.execute(sender.state, req("c2", 1, get(A)))[0], getResult("y"))
  // Not settled: the next configuration waits.
  t.deepEqual(g1.execute(sender.state, cfg(3))[0], new Ignored({ reason: "migration-in-progress" }))

  const receiver = apply(g2, g2.init(), cfg(1), cfg(2))
  t.deepEqual(tags(receiver.state), { 1: "Receiving" })
  t.deepEqual(g2.execute(receiver.state, req("c1", 1, get(B)))[0], new NotReady({ shard: 1 }))
  t.deepEqual(g2.execute(receiver.state, cfg(3))[0], new Ignored({ reason: "migration-in-progress" }))

  const [out] = g1.outbox(sender.state)
  t.like(out, { to: 2, servers: ["g2s1"] })
  t.deepEqual([...out!.handoff.data.kv], [[B, "x"]])
  t.deepEqual([...out!.handoff.data.replies.keys()], ["c1"], "the exactly-once table travels with the data")
  const [ack, installed] = g2.execute(receiver.state, out!.handoff)
  t.deepEqual(ack, new HandoffAck({ shard: 1, num: 2, from: 2 }))
  if (!(ack instanceof HandoffAck)) return
  t.deepEqual(g2.execute(installed, req("c2", 1, get(B)))[0], getResult("x"))
  // A duplicate handoff is acknowledged again and does not overwrite newer writes.
  const written = g2.execute(installed, req("c2", 1, append(B, "z")))[1]
  t.deepEqual(g2.execute(written, out!.handoff), [ack, written])

  const [deleted, gc] = g1.execute(sender.state, ack)
  t.deepEqual(deleted, new ShardDeleted({ shard: 1, num: 2 }))
  t.deepEqual(tags(gc), { 0: "Serving" })
  t.deepEqual(g1.execute(gc, ack), [new Ignored({ reason: "already-deleted" }), gc])
  t.deepEqual(g1.outbox(gc), [])
  t.deepEqual(g1.execute(gc, cfg(3))[0], new ConfigApplied({ num: 3 }))
})

test("handoffs from a later configuration wait; from an earlier one are acknowledged without change", (t) => {
  const receiver = apply(g2, g2.init(), cfg(1)).state
  const early = g1.outbox(apply(g1, g1.init(), cfg(1), cfg(2)).state)[0]!.handoff
  t.deepEqual(g2.execute(receiver, early), [new Ignored({ reason: "handoff-not-yet" }), receiver])
  const later = apply(g2, receiver, cfg(2), early, cfg(3)).state
  t.deepEqual(g2.execute(later, early), [new HandoffAck({ shard: 1, num: 2, from: 2 }), later])
})

test("exactly once per shard: a retry gets the first result, an older retry is ignored", (t) => {
  const { results, state } = apply(g1, g1.init(), cfg(1), req("c1", 1, append(A, "x")), req("c1", 1, append(A, "x")), req("c1", 2, append(A, "y")))
  t.deepEqual(results.slice(1), [appendResult("x"), appendResult("x"), appendResult("xy")])
  t.deepEqual(g1.execute(state, req("c1", 1, append(A, "x"))), [new Ignored({ reason: "stale-request" }), state])
})

test("a retry after its shard moved gets the first result from the new owner, not a second execution", (t) => {
  // c1's Append reached g1 but its reply was lost; the shard moved to g2; c1 retries at g2.
  const sender = apply(g1, g1.init(), cfg(1), req("c1", 1, append(B, "x")), cfg(2)).state
  const handoff = g1.outbox(sender)[0]!.handoff
  const receiver = apply(g2, g2.init(), cfg(1), cfg(2), handoff).state
  const [retry, after] = g2.execute(receiver, req("c1", 1, append(B, "x")))
  t.deepEqual(retry, appendResult("x"))
  t.is(after, receiver)
  // With the planted bug the table is dropped and the retry executes again.
  const buggy = shardGroup({ group: 1, shards: SHARDS, bugDropDedupOnHandoff: true })
  const dropped = buggy.outbox(apply(buggy, buggy.init(), cfg(1), req("c1", 1, append(B, "x")), cfg(2)).state)[0]!.handoff
  t.deepEqual(g2.execute(apply(g2, g2.init(), cfg(1), cfg(2), dropped).state, req("c1", 1, append(B, "x")))[0], appendResult("xx"))
})

test("planted bugs in isolation: serving before the data arrived, applying a configuration out of order", (t) => {
  const early = shardGroup({ group: 2, shards: SHARDS, bugServeBeforeData: true })
  const s = apply(early, early.init(), cfg(1), cfg(2)).state
  t.deepEqual(early.execute(s, req("c1", 1, get(B)))[0], keyNotFound(), "answers from an empty shard")
  const skipping = shardGroup({ group: 2, shards: SHARDS, bugApplyOutOfOrder: true })
  const skipped = apply(skipping, skipping.init(), cfg(2)).state
  t.deepEqual(tags(skipped), { 1: "Serving" }, "takes configuration 2 for its first and serves shard 1 empty")
})

test("a shard no group owns is parked by its last holder and handed to the next owner", (t) => {
  const cs = configurationsOf(SHARDS, [join(1, ["g1s1"]), leave(1), join(2, ["g2s1"])])
  const step = (num: number) => new ApplyConfig({ config: cs[num - 1]! })
  const parked = apply(g1, g1.init(), step(1), req("c1", 1, put(A, "v")), step(2)).state
  t.deepEqual(tags(parked), { 0: "Sending", 1: "Sending" })
  t.deepEqual(g1.outbox(parked), [], "nobody to send to")
  const moved = apply(g1, parked, step(3)).state // settled despite the parked shards
  t.deepEqual(g1.outbox(moved).map((o) => [o.to, o.handoff.shard, o.handoff.num]), [[2, 0, 3], [2, 1, 3]])
  const receiver = apply(g2, g2.init(), step(1), step(2), step(3)).state
  t.deepEqual(tags(receiver), { 0: "Receiving", 1: "Receiving" }, "not born again empty")
  const done = apply(g2, receiver, ...g1.outbox(moved).map((o) => o.handoff)).state
  t.deepEqual(g2.execute(done, req("c1", 2, get(A)))[0], getResult("v"))
})

test("a group's state survives a snapshot: encoded to JSON and decoded, it behaves the same", (t) => {
  const codec = Schema.toCodecJson(ShardGroupState)
  const state = apply(g1, g1.init(), cfg(1), req("c1", 1, append(B, "x")), req("c2", 1, put(A, "y")), cfg(2)).state
  const restored = Schema.decodeUnknownSync(codec)(JSON.parse(JSON.stringify(Schema.encodeSync(codec)(state))))
  t.deepEqual(restored, state)
  t.deepEqual(g1.outbox(restored), g1.outbox(state))
})

test("partial migration: an arrived shard is served while another is still in transit", (t) => {
  const keyOf = (shard: number) => Array.from({ length: 100 }, (_, i) => `k${i}`).find((k) => keyShard(k, 4) === shard)!
  const cs = configurationsOf(4, [join(1, ["g1s1"]), join(2, ["g2s1"])])
  t.deepEqual(cs[1]!.shards, [1, 1, 2, 2])
  const [h1, h2] = [shardGroup({ group: 1, shards: 4 }), shardGroup({ group: 2, shards: 4 })]
  const step = (num: number) => new ApplyConfig({ config: cs[num - 1]! })
  const sender = apply(h1, h1.init(), step(1), req("c1", 1, put(keyOf(2), "x")), req("c1", 2, put(keyOf(3), "y")), step(2)).state
  const [first] = h1.outbox(sender)
  const receiver = apply(h2, h2.init(), step(1), step(2), first!.handoff).state
  const arrived = first!.handoff.shard
  const other = 5 - arrived
  t.deepEqual(h2.execute(receiver, req("c2", 1, get(keyOf(arrived))))[0], getResult(arrived === 2 ? "x" : "y"))
  t.deepEqual(h2.execute(receiver, req("c2", 1, get(keyOf(other))))[0], new NotReady({ shard: other }))
})
