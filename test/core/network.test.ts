/** DSL semantics through compile(): delivery orders, drops, partitions, DSLabs' timer rule. */
import test from "ava"
import { Effect, Schema } from "effect"
import { bfs } from "../../src/checker/explore.ts"
import { stepsOf } from "../../src/checker/path.ts"
import { invariant } from "../../src/checker/transition-system.ts"
import { compile, type Event, type ProtocolState, timerEnabled } from "../../src/core/compile.ts"
import type { Config, NetworkOptions } from "../../src/core/config.ts"
import type { Address, Ctx, NodeDef } from "../../src/core/node.ts"
import { reachable } from "../helpers.ts"

class Msg extends Schema.TaggedClass<Msg>()("Msg", { n: Schema.Number }) {}
class Tick extends Schema.TaggedClass<Tick>()("Tick", { name: Schema.String }) {}

/** Sends Msg(1..count) to "receiver" at init. */
const sender = (count: number): NodeDef<null, Msg> => ({
  init: (ctx) => {
    for (let n = 1; n <= count; n++) ctx.send("receiver", new Msg({ n }))
    return null
  },
  onMessage: {},
})

/** Logs the numbers it receives, in order. */
const receiver: NodeDef<ReadonlyArray<number>, Msg> = {
  init: () => [],
  onMessage: {
    Msg: Effect.fnUntraced(function* (log: ReadonlyArray<number>, m: Msg, _from: Address, _ctx: Ctx) {
      return [...log, m.n]
    }),
  },
}

const pair = (count: number, network?: NetworkOptions): Config => ({
  servers: [
    { address: "sender", def: sender(count) },
    { address: "receiver", def: receiver },
  ],
  clients: [],
  ...(network ? { network } : {}),
})

const logOf = (w: ProtocolState) => w.nodes[1]!.state as ReadonlyArray<number>
const kinds = (steps: ReadonlyArray<{ label: Event }>) => steps.map((s) => s.label.k)

test("FIFO: only the head of each link is deliverable, so messages arrive in send order", (t) => {
  const system = compile(pair(4, { delivery: "fifo" }))
  let w = system.initial()[0]!
  t.is(w.net.length, 4)
  for (let k = 1; k <= 4; k++) {
    const steps = stepsOf(system, w)
    t.is(steps.length, 1, `step ${k}: only one delivery enabled`)
    w = steps[0]!.next
    t.deepEqual(logOf(w), [1, 2, 3, 4].slice(0, k))
  }
  t.is(stepsOf(system, w).length, 0)
  // Every reachable log is in order.
  t.true(reachable(system).every((s) => logOf(s).every((n, i) => n === i + 1)))
  // Two senders: links are independent, so both heads are deliverable.
  const two = compile({
    servers: [
      { address: "a", def: { ...sender(2) } },
      { address: "b", def: { ...sender(2) } },
      { address: "receiver", def: receiver },
    ],
    clients: [],
    network: { delivery: "fifo" },
  })
  t.is(stepsOf(two, two.initial()[0]!).length, 2)
})

test("multiset: any order; delivery consumes the message", (t) => {
  const system = compile(pair(3, { delivery: "multiset" }))
  const w0 = system.initial()[0]!
  const steps = stepsOf(system, w0)
  t.deepEqual(kinds(steps), ["deliver", "deliver", "deliver"])
  t.deepEqual(steps.map((s) => logOf(s.next)[0]).sort(), [1, 2, 3])
  for (const s of steps) t.is(s.next.net.length, 2)
  const logs = new Set(reachable(system).map((s) => logOf(s).join(",")))
  t.true(logs.has("3,1,2") && logs.has("1,2,3") && logs.has("2,3,1"))
  for (const l of logs) {
    const ns = l === "" ? [] : l.split(",")
    t.is(new Set(ns).size, ns.length, `no message delivered twice: ${l}`)
  }
})

test("duplicating (default): a delivered message stays deliverable", (t) => {
  const system = compile(pair(2))
  const w0 = system.initial()[0]!
  const first = stepsOf(system, w0).find((s) => logOf(s.next)[0] === 1)!
  t.is(first.next.net.length, 2, "delivery keeps the message")
  const again = stepsOf(system, first.next).find((s) => logOf(s.next).join() === "1,1")
  t.truthy(again, "the same message can be delivered a second time")
  // The same message sent twice is one envelope.
  const twice = compile({ ...pair(0), servers: [{ address: "sender", def: { init: (ctx) => (ctx.send("receiver", new Msg({ n: 5 })), ctx.send("receiver", new Msg({ n: 5 })), null), onMessage: {} } }, { address: "receiver", def: receiver }] })
  t.is(twice.initial()[0]!.net.length, 1)
})

test("drops: a drop event per message only when enabled on a consuming network", (t) => {
  const count = (network: NetworkOptions) => {
    const system = compile(pair(2, network))
    return kinds(stepsOf(system, system.initial()[0]!)).filter((k) => k === "drop").length
  }
  t.is(count({ delivery: "multiset", drops: true }), 2)
  // FIFO: only the head of a link is offered for dropping (see the report); any subsequence still arrives.
  t.is(count({ delivery: "fifo", drops: true }), 1)
  const fifoLogs = new Set(reachable(compile(pair(3, { delivery: "fifo", drops: true }))).map((s) => logOf(s).join(",")))
  t.deepEqual([...fifoLogs].sort(), ["", "1", "1,2", "1,2,3", "1,3", "2", "2,3", "3"])
  t.is(count({ delivery: "multiset" }), 0)
  t.is(count({ delivery: "multiset", drops: false }), 0)
  t.is(count({ delivery: "duplicating", drops: true }), 0)
  const system = compile(pair(2, { delivery: "multiset", drops: true }))
  const drop = stepsOf(system, system.initial()[0]!).find((s) => s.label.k === "drop")!
  t.is(drop.next.net.length, 1)
  t.deepEqual(logOf(drop.next), [])
  t.regex(system.formatLabel(drop.label), /^drop sender -> receiver: Msg\(n=\d\)$/)
})

test("partitions block delivery: messages across groups never enter the network", (t) => {
  const cut = compile(pair(2, { delivery: "multiset", partition: [["sender"], ["receiver"]] }))
  t.is(cut.initial()[0]!.net.length, 0)
  t.true(reachable(cut).every((s) => logOf(s).length === 0))
  const isolated = compile(pair(2, { delivery: "multiset", partition: [["sender"]] }))
  t.is(isolated.initial()[0]!.net.length, 0, "an address in no group is cut off")
  const together = compile(pair(2, { delivery: "multiset", partition: [["sender", "receiver"]] }))
  t.is(together.initial()[0]!.net.length, 2)
  t.true(reachable(together).some((s) => logOf(s).length === 2))
})

test("DSLabs timer rule: timerEnabled", (t) => {
  const timers = (...xs: Array<[number, number]>) => xs.map(([min, max]) => ({ min, max }))
  t.true(timerEnabled(timers([5, 5]), 0))
  t.false(timerEnabled(timers([5, 5], [10, 10]), 1), "an earlier timer with max 5 <= min 10 fires first")
  t.false(timerEnabled(timers([10, 10], [10, 10]), 1), "max equal to min blocks")
  t.true(timerEnabled(timers([5, 11], [10, 10]), 1), "earlier max 11 > min 10: either may fire")
  t.true(timerEnabled(timers([10, 10], [5, 5]), 1), "a later-set shorter timer may fire first")
  t.true(timerEnabled(timers([10, 10], [5, 5]), 0))
  t.false(timerEnabled(timers([1, 2], [20, 30], [3, 3]), 1))
  t.false(timerEnabled(timers([1, 2], [20, 30], [3, 3]), 2), "the first timer's max 2 <= 3")
  t.true(timerEnabled(timers([5, 6], [20, 30], [3, 3]), 2))
})

test("DSLabs timer rule through compile: the later, longer timer waits for the earlier one", (t) => {
  const node: NodeDef<ReadonlyArray<string>, never, Tick> = {
    init: (ctx) => {
      ctx.setTimer(new Tick({ name: "short" }), 5)
      ctx.setTimer(new Tick({ name: "long" }), 10)
      ctx.setTimer(new Tick({ name: "range" }), 3, 20)
      return []
    },
    onMessage: {},
    onTimer: {
      Tick: Effect.fnUntraced(function* (fired: ReadonlyArray<string>, tick: Tick, _ctx: Ctx) {
        return [...fired, tick.name]
      }),
    },
  }
  const system = compile({ servers: [{ address: "n", def: node }], clients: [] })
  const w0 = system.initial()[0]!
  const first = stepsOf(system, w0)
  t.deepEqual(first.map((s) => system.formatLabel(s.label)), ["timer n: Tick(name=short)", "timer n: Tick(name=range)"])
  const afterShort = first[0]!.next
  t.deepEqual(stepsOf(system, afterShort).map((s) => system.formatLabel(s.label)), ["timer n: Tick(name=long)", "timer n: Tick(name=range)"])
  const orders = new Set(reachable(system).map((s) => (s.nodes[0]!.state as string[]).join(",")))
  t.false([...orders].some((o) => o.startsWith("long")), "long never fires before short")
  t.true(orders.has("short,long,range") && orders.has("range,short,long") && orders.has("short,range,long"))
  t.false(orders.has("long,short,range"))
  // timers: false switches them off.
  t.is(stepsOf(compile({ servers: [{ address: "n", def: node }], clients: [], timers: false }), w0).length, 0)
})

test("a handler that throws is a HANDLERS_SUCCEED violation with a trace", (t) => {
  const boom: NodeDef<ReadonlyArray<number>, Msg> = {
    init: () => [],
    onMessage: {
      Msg: Effect.fnUntraced(function* (log: ReadonlyArray<number>, m: Msg, _from: Address, _ctx: Ctx) {
        if (m.n === 2) throw new Error("two is not allowed")
        return [...log, m.n]
      }),
    },
  }
  const system = compile({ servers: [{ address: "sender", def: sender(3) }, { address: "receiver", def: boom }], clients: [], network: { delivery: "fifo" } })
  const r = bfs(system, {})
  t.is(r.verdict, "violation")
  t.is(r.property, "HANDLERS_SUCCEED")
  t.regex(r.detail!, /receiver handling Msg failed: two is not allowed/)
  t.deepEqual(r.path!.steps.map((s) => s.text), ["deliver sender -> receiver: Msg(n=1)", "deliver sender -> receiver: Msg(n=2)"])
  // A failed state has no successors.
  t.is(stepsOf(system, r.path!.steps[1]!.state).length, 0)
  // Sending to an unknown address fails the same way.
  const stray = compile({ servers: [{ address: "x", def: { init: () => null, onMessage: {}, onTimer: { Tick: Effect.fnUntraced(function* (s: null, _t: Tick, ctx: Ctx) { ctx.send("nobody", new Msg({ n: 1 })); return s }) } } as NodeDef<null, Msg, Tick> }], clients: [] })
  t.is(bfs(stray, {}).verdict, "ok", "no timer armed: nothing happens")
  const strayTimer = compile({ servers: [{ address: "x", def: { init: (ctx) => (ctx.setTimer(new Tick({ name: "go" }), 1), null), onMessage: {}, onTimer: { Tick: Effect.fnUntraced(function* (s: null, _t: Tick, ctx: Ctx) { ctx.send("nobody", new Msg({ n: 1 })); return s }) } } as NodeDef<null, Msg, Tick> }], clients: [] })
  const r2 = bfs(strayTimer, {})
  t.is(r2.property, "HANDLERS_SUCCEED")
  t.regex(r2.detail!, /unknown address "nobody"/)
  // Other invariants still pass through compile's checks.
  const withInv = compile(pair(2, { delivery: "fifo" }), { properties: [invariant("AT_MOST_ONE", (w) => logOf(w).length <= 1)] })
  t.is(bfs(withInv, {}).path!.steps.length, 2)
})
