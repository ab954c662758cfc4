/**
 * RESULTS_OK and APPENDS_LINEARIZABLE keep the last verdict (per client, and per tuple of clients)
 * while the clients' progress objects are the same: checked on worlds that share some clients'
 * progress and differ in another's, in both orders, so a cache keyed on fewer clients than the
 * verdict reads (or not refreshed) answers with the other world's verdict and fails here.
 */
import test from "ava"
import type { ProtocolState } from "../../src/core/compile.ts"
import { type Config, workload } from "../../src/core/config.ts"
import { append, appendResult, put, putOk } from "../../src/core/kv.ts"
import type { Tagged } from "../../src/core/node.ts"
import { appendsLinearizable, resultsOk } from "../../src/core/properties.ts"
import { addResult, type ClientProgress, type NodeRec } from "../../src/core/world.ts"

const client = (address: string, pairs: ReadonlyArray<readonly [Tagged, Tagged | undefined]>) => ({ address, workload: workload(pairs) })

// Three clients appending to one key (no server needed: the properties read the clients' records).
const appends = {
  servers: [{ address: "server" }],
  clients: ["a", "b", "c"].map((v, i) => client(`client${i + 1}`, [[append("k", v), undefined]])),
} as unknown as Config
// Two clients that expect nothing, a third that expects PutOk.
const puts = {
  servers: [{ address: "server" }],
  clients: [client("client1", [[append("k", "a"), undefined]]), client("client2", [[append("k", "b"), undefined]]), client("client3", [[put("z", "1"), putOk()]])],
} as unknown as Config

const start: ClientProgress = { next: 0, pending: true, results: undefined, rh: 0, rl: 0 }
const done = (result: Tagged): ClientProgress => addResult(start, result, 1, false)
const rec = (client: ClientProgress | undefined): NodeRec => ({ state: null, timers: [], up: true, durable: undefined, client, hi: 0, lo: 0, sh: 0, sl: 0, dh: 0, dl: 0 })
const world = (...clients: ReadonlyArray<ClientProgress>): ProtocolState => ({
  nodes: [rec(undefined), ...clients.map(rec)],
  net: [],
  sendSeq: 0,
  aux: { step: 0, history: undefined, messagesSent: 0 },
})

test("APPENDS_LINEARIZABLE: a world that keeps some clients' progress and changes another's is judged afresh", (t) => {
  const p = appendsLinearizable(appends)
  const a = done(appendResult("a"))
  const ab = done(appendResult("ab"))
  const ordered = world(a, ab, done(appendResult("abc")))
  t.true(p.holds(ordered))
  // The last client alone differs: a key on the first clients only would miss it.
  const lastOff = world(a, ab, done(appendResult("c")))
  t.false(p.holds(lastOff), "client3's result changed, client1's and client2's did not")
  t.regex(p.explain!(lastOff)!, /no order explains both/)
  t.true(p.holds(ordered), "and back")
  t.false(p.holds(world(a, done(appendResult("b")), ordered.nodes[3]!.client!)), "client2's alone changed")
  t.false(p.holds(world(done(appendResult("xa")), ab, ordered.nodes[3]!.client!)), "client1's alone changed")
  t.true(p.holds(world(a, ab, start)), "client3 has no result yet")
})

test("RESULTS_OK: each client's verdict follows its own progress", (t) => {
  const p = resultsOk(puts)
  const a = done(appendResult("a"))
  const b = done(appendResult("b"))
  const good = done(putOk())
  const bad = done(appendResult("nope"))
  t.true(p.holds(world(a, b, good)))
  t.false(p.holds(world(a, b, bad)), "client3's result is not the expected PutOk")
  t.regex(p.explain!(world(a, b, bad))!, /client3: result 1/)
  t.true(p.holds(world(a, b, good)), "and back")
  t.false(p.holds(world(bad, b, bad)), "client3 again, with client1 changed too")
  t.true(p.holds(world(bad, a, good)), "client1 and client2 expect nothing")
})
