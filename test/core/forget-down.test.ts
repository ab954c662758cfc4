/**
 * faults.forgetDown (core/execute.ts): with restarts off, messages to a crashed node leave the network,
 * so states that differ only in them merge. What a node can still do is unchanged; the BFS that builds no
 * successor it has seen (compile.ts unseenSuccessors: the print of a world not built) counts the same
 * states as a search that builds every one; a liveness check that a bound on messages in flight made
 * vacuous gets its verdict.
 */
import test from "ava"
import { Effect, Schema } from "effect"
import { bfs, explore } from "../../src/checker/explore.ts"
import { VacuousLivenessError } from "../../src/checker/liveness.ts"
import { compile, type ProtocolState } from "../../src/core/compile.ts"
import type { Config, NetworkOptions } from "../../src/core/config.ts"
import type { Ctx, NodeDef } from "../../src/core/node.ts"
import { clientFindsLeaderLive } from "../../src/protocols/paxos/model.ts"
import { reachable } from "../helpers.ts"

class Tick extends Schema.TaggedClass<Tick>()("Tick", {}) {}
class Hello extends Schema.TaggedClass<Hello>()("Hello", { n: Schema.Number }) {}

/** Sends Hello(0), Hello(1), Hello(2) to b, one per tick. */
const sender: NodeDef<number, never, Tick> = {
  init: (ctx) => (ctx.setTimer(new Tick(), 1), 0),
  onMessage: {},
  onTimer: {
    Tick: Effect.fnUntraced(function* (n: number, _t: Tick, ctx: Ctx) {
      if (n >= 3) return n
      ctx.send("b", new Hello({ n }))
      ctx.setTimer(new Tick(), 1)
      return n + 1
    }),
  },
}
/** Keeps the highest Hello it received. */
const receiver: NodeDef<number, Hello, never> = {
  init: () => -1,
  onMessage: { Hello: Effect.fnUntraced(function* (n: number, m: Hello) { return Math.max(n, m.n) }) },
  onTimer: {},
}
const config = (network: NetworkOptions, forgetDown: boolean, restarts = false): Config => ({
  servers: [
    { address: "a", def: sender },
    { address: "b", def: receiver },
  ],
  clients: [],
  network,
  faults: { maxCrashed: 1, crashable: ["b"], restarts, ...(forgetDown ? { forgetDown } : {}) },
})
/** A world's records (states and up), not its network. */
const records = (w: ProtocolState) => JSON.stringify(w.nodes.map((n) => [n.up, n.state]))

for (const delivery of ["duplicating", "multiset"] as const)
  test(`forgetDown on a ${delivery} network: nothing in flight to a crashed node, the same records reachable, fewer states, the BFS's unbuilt prints agree`, (t) => {
    const network = { delivery, drops: delivery === "multiset" }
    const kept = compile(config(network, false))
    const forgetting = compile(config(network, true))
    const all = reachable(kept)
    const fewer = reachable(forgetting)
    t.true(all.some((w) => w.net.some((e) => !w.nodes[e.dst]!.up)), "without it, messages to the crashed b stay")
    t.false(fewer.some((w) => w.net.some((e) => !w.nodes[e.dst]!.up)))
    t.deepEqual(new Set(fewer.map(records)), new Set(all.map(records)))
    // On a duplicating network what is in flight here is all a sent, its count: nothing to merge.
    if (delivery === "multiset") t.true(fewer.length < all.length, `${fewer.length} states, ${all.length} without forgetDown`)
    // bfs serves itself through unseenSuccessors (prints of worlds it does not build): a print that
    // counted a send to the crashed node would count states apart that are one.
    t.is(bfs(forgetting).distinct, fewer.length)
    t.is(bfs(kept).distinct, all.length)
  })

test("forgetDown with restarts is refused: a restarted node would have received those messages", (t) => {
  t.throws(() => compile(config({}, true, true)), { message: /forgetDown needs restarts: false/ })
})

test("paxos live-client-finds-leader is vacuous without forgetDown: the client's requests to the crashed leader fill the bound of 3 in flight", (t) => {
  // With forgetDown it is a named test (ok, paxos.test.ts), and catches leader-retry-stays (paxos-session14.test.ts).
  t.throws(() => explore(clientFindsLeaderLive(false), { strategy: "bfs" }), { instanceOf: VacuousLivenessError })
})
