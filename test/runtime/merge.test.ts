/**
 * Service.merges: Paxos's decisions queued for one follower in one tick travel as one Decisions, and
 * the follower's step on it ends where its steps on the two in a row end (state, sends, storage). Run
 * on the service's own server definition through the runtime's driver, as a real node runs it.
 */
import test from "ava"
import { AMOCommand } from "../../src/core/application.ts"
import { put } from "../../src/core/kv.ts"
import { Decisions, P2a } from "../../src/protocols/paxos/server.ts"
import { type NodeEnv, runInit, runMessage, type StepOutput } from "../../src/runtime/driver.ts"
import { SERVICES } from "../../src/runtime/services.ts"

const servers = ["n1", "n2", "n3"]
const paxos = SERVICES.paxos!
const cmd = (i: number) => new AMOCommand({ command: put(`k${i}`, `v${i}`), client: "c1", seq: i + 1 })

/** Follower n2, which accepted slots 0..2 from the leader n1 and has executed none. */
const follower = () => {
  let durable: unknown
  const env: NodeEnv = { def: paxos.server(servers), self: "n2", peers: servers, chooser: { choose: () => 0 }, durable: () => durable }
  const step = (out: StepOutput) => {
    if (out.persisted) durable = out.durable
    return out
  }
  let out = step(runInit(env))
  for (let slot = 0; slot < 3; slot++) out = step(runMessage(env, out.state, out.timers, "n2/log", new P2a({ round: 0, leader: "n1/log", slot, command: cmd(slot) }), "n1/log"))
  return { env, out, step }
}

test("paxos: two decisions merged are one Decisions of both lists, and the follower's step on it ends as its two steps do", (t) => {
  const first = new Decisions({ entries: [[0, cmd(0)]] })
  const second = new Decisions({ entries: [[1, cmd(1)], [2, cmd(2)]] })
  const merged = paxos.merges!(first, second)
  t.true(merged instanceof Decisions)
  t.deepEqual((merged as Decisions).entries, [...first.entries, ...second.entries])
  t.is(paxos.merges!(first, new P2a({ round: 0, leader: "n1/log", slot: 3, command: cmd(3) })), undefined, "only decisions merge")

  const a = follower()
  const one = a.step(runMessage(a.env, a.out.state, a.out.timers, "n2/log", first, "n1/log"))
  const two = a.step(runMessage(a.env, one.state, one.timers, "n2/log", second, "n1/log"))
  const b = follower()
  const both = b.step(runMessage(b.env, b.out.state, b.out.timers, "n2/log", merged!, "n1/log"))
  t.deepEqual(both.state, two.state)
  t.deepEqual(both.durable, two.durable)
  t.deepEqual([...one.sends, ...two.sends], [...both.sends])
  // The follower executed all three puts (a test that would pass on a no-op step proves nothing).
  t.deepEqual([...(both.state as { app: { app: ReadonlyMap<string, string> } }).app.app], [["k0", "v0"], ["k1", "v1"], ["k2", "v2"]])
})
