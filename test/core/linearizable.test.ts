import test from "ava"
import type { ProtocolState } from "../../src/core/compile.ts"
import { get, getResult, keyNotFound, put, putOk } from "../../src/core/kv.ts"
import { historyLinearizable, kvHistory } from "../../src/core/linearizable.ts"
import type { Tagged } from "../../src/core/node.ts"
import { type Cons, type HistoryEvent, makeNode } from "../../src/core/world.ts"

/** A finished world whose only content is a client history (events oldest first). */
const world = (events: ReadonlyArray<HistoryEvent>, pending = false): ProtocolState => {
  let history: Cons<HistoryEvent> | undefined
  for (const e of events) history = { head: e, tail: history }
  const client = { next: 0, pending, results: undefined, rh: 0, rl: 0 }
  return { nodes: [makeNode(null, [], true, undefined, client)], net: [], sendSeq: 0, aux: { step: 0, history, messagesSent: 0 } }
}
const call = (client: string, step: number, command: Tagged): HistoryEvent => ({ client, step, command })
const ret = (client: string, step: number, result: Tagged): HistoryEvent => ({ client, step, result })

test("a read that misses a write which had already returned is not linearizable", (t) => {
  const prop = historyLinearizable()
  const stale = world([call("c1", 1, put("k", "1")), ret("c1", 2, putOk()), call("c2", 3, get("k")), ret("c2", 4, keyNotFound())])
  t.false(prop.holds(stale))
  t.regex(prop.explain!(stale)!, /not linearizable \(key "k"\)/)
})

test("the same read overlapping the write is linearizable, and so is reading the write", (t) => {
  const prop = historyLinearizable()
  t.true(prop.holds(world([call("c1", 1, put("k", "1")), call("c2", 2, get("k")), ret("c2", 3, keyNotFound()), ret("c1", 4, putOk())])))
  t.true(prop.holds(world([call("c1", 1, put("k", "1")), ret("c1", 2, putOk()), call("c2", 3, get("k")), ret("c2", 4, getResult("1"))])))
})

test("an operation still in flight may or may not have taken effect", (t) => {
  const prop = historyLinearizable({ when: "always" })
  const h = [call("c1", 1, put("k", "1")), call("c2", 2, get("k")), ret("c2", 3, getResult("1"))]
  t.true(prop.holds(world(h, true)))
  t.deepEqual(kvHistory(world(h, true))[0], { client: 0, call: 1, return: null, input: { op: "put", key: "k", value: "1" }, output: null })
})

test('when "done" (the default), nothing is checked before every client finished', (t) => {
  const stale = [call("c1", 1, put("k", "1")), ret("c1", 2, putOk()), call("c2", 3, get("k")), ret("c2", 4, keyNotFound())]
  t.true(historyLinearizable().holds(world(stale, true)))
  t.false(historyLinearizable({ when: "always" }).holds(world(stale, true)))
})
