/** The shard store client's decisions: target by the latest configuration, re-query on WrongGroup, wait on NotReady. */
import test from "ava"
import { append, appendResult, get } from "../../src/core/kv.ts"
import { shardClient } from "../../src/protocols/shardkv/client.ts"
import { shardGroup } from "../../src/protocols/shardkv/group.ts"
import { ApplyConfig, NotReady, WrongGroup } from "../../src/protocols/shardkv/messages.ts"
import { configurationsOf } from "../../src/protocols/shardkv/system.ts"
import { join, leave } from "../../src/protocols/shardmaster/messages.ts"

// 2 shards: "a" in shard 0, "b" in shard 1. Configurations: 1 g1 owns all; 2 g2 joins (takes shard 1); 3 g1 leaves.
const configs = configurationsOf(2, [join(1, ["g1a", "g1b"]), join(2, ["g2a"]), leave(1)])
const client = shardClient(2)

test("no configuration or no pending operation: nothing to send, ask the master", (t) => {
  const s = client.init("c1")
  t.is(client.target(s), null)
  t.is(client.target(client.start(s, get("a"))), null)
  t.is(client.target(client.learn(s, configs[0]!)), null, "known configuration, nothing pending")
})

test("the request goes to the owner of the key's shard, with the client's sequence number", (t) => {
  const s = client.start(client.learn(client.init("c1"), configs[1]!), append("b", "x"))
  t.like(client.target(s), { group: 2, servers: ["g2a"], request: { client: "c1", seq: 1, op: append("b", "x") } })
  t.like(client.target({ ...s, pending: get("a") }), { group: 1, servers: ["g1a", "g1b"] })
})

test("replies: a result completes; WrongGroup from a current group re-queries, from a lagging one retries; NotReady retries", (t) => {
  const s = client.start(client.learn(client.init("c1"), configs[1]!), append("b", "x"))
  t.deepEqual(client.reply(s, 1, appendResult("x")), [{ kind: "complete", result: appendResult("x") }, { ...s, pending: null }])
  t.deepEqual(client.reply(s, 1, new WrongGroup({ shard: 1, num: 2 }))[0], { kind: "query-master" })
  t.deepEqual(client.reply(s, 1, new WrongGroup({ shard: 1, num: 1 }))[0], { kind: "retry-later" })
  t.deepEqual(client.reply(s, 1, new NotReady({ shard: 1 }))[0], { kind: "retry-later" })
  t.deepEqual(client.reply(s, 0, appendResult("x")), [{ kind: "ignore" }, s], "a reply to an older request")
})

test("older configurations are not learned; a client ahead of a group retries it rather than re-querying", (t) => {
  const s = client.learn(client.learn(client.init("c1"), configs[2]!), configs[0]!)
  t.is(s.config!.num, 3)
  const pending = client.start(s, get("a"))
  const { group, request } = client.target(pending)!
  const g = shardGroup({ group, shards: 2 })
  let gs = g.init()
  for (const c of configs) gs = g.execute(gs, new ApplyConfig({ config: c }))[1]
  t.is(gs.config!.num, 2, "g2 waits in configuration 2 for shard 1 from g1 before it can apply 3")
  t.deepEqual(client.reply(pending, request.seq, g.execute(gs, request)[0])[0], { kind: "retry-later" })
})
