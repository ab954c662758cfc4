/** Components: events up to the parent, calls down into the child, storage and timers per path, hooks, runNodeEvent. */
import test from "ava"
import { Effect, Schema } from "effect"
import { stepsOf } from "../../src/checker/path.ts"
import { compile, type ProtocolState } from "../../src/core/compile.ts"
import { component } from "../../src/core/component.ts"
import { runNodeEvent } from "../../src/core/dispatch.ts"
import type { Address, Ctx, NodeDef } from "../../src/core/node.ts"
import { storedAt } from "../../src/core/outbox.ts"

class Add extends Schema.TaggedClass<Add>()("Add", { n: Schema.Number }) {}
class Total extends Schema.TaggedClass<Total>()("Total", { total: Schema.Number }) {}
class Tick extends Schema.TaggedClass<Tick>()("Tick", {}) {}
class Tock extends Schema.TaggedClass<Tock>()("Tock", {}) {}

/** A child that sums what it is given, persists the sum, and tells its parent each new total. */
interface Sum {
  readonly sum: number
}
type SumCtx = Ctx<never, Tick | Tock, Total>
const add = Effect.fnUntraced(function* (s: Sum, n: number, ctx: SumCtx) {
  const sum = s.sum + n
  ctx.persist(sum)
  ctx.emit(new Total({ total: sum }))
  return { sum }
})
const summer: NodeDef<Sum, Add, Tick | Tock, SumCtx> = {
  init: (ctx) => (ctx.setTimer(new Tick(), 1), ctx.setTimer(new Tock(), 1), { sum: 0 }),
  recover: (durable, ctx) => (ctx.emit(new Total({ total: (durable as number | undefined) ?? 0 })), { sum: (durable as number | undefined) ?? 0 }),
  onMessage: { Add: (s, m, _from, ctx) => add(s, m.n, ctx) },
  onTimer: {
    Tick: (s, _t, ctx) => (ctx.cancelTimer(Tock), add(s, 10, ctx)),
  },
}

interface Parent {
  readonly seen: ReadonlyArray<number>
  readonly log: Sum
  readonly steps: number
}
const child = component("sum", summer, { get: (p: Parent) => p.log, set: (p: Parent, log: Sum) => ({ ...p, log }) }, (p, e: Total, ctx: Ctx) => {
  ctx.persist(p.seen.length + 1)
  return Effect.succeed({ ...p, seen: [...p.seen, e.total] })
})
const parent: NodeDef<Parent, Add> = {
  init: (ctx) => ({ seen: [], log: child.init(ctx), steps: 0 }),
  recover: (_d, ctx) => child.recover(ctx, (log) => ({ seen: [], log, steps: 0 })),
  onMessage: {
    // The parent forwards a doubled Add into its child: a handler yields into a component.
    Add: Effect.fnUntraced(function* (s: Parent, m: Add, _from: Address, ctx: Ctx) {
      return yield* child.call(s, ctx, (c, cctx) => add(c, 2 * m.n, cctx))
    }),
  },
  hooks: { after: (_before, after) => ({ ...after, steps: after.steps + 1 }) },
  components: { sum: child },
}

const sender = (to: string, n: number): NodeDef<null, never> => ({ init: (ctx) => (ctx.send(to, new Add({ n })), null), onMessage: {} })

const system = () =>
  compile({
    servers: [
      { address: "p", def: parent },
      { address: "a", def: sender("p/sum", 3) },
      { address: "b", def: sender("p", 5) },
    ],
    clients: [],
    network: { delivery: "multiset" },
    faults: { maxCrashed: 1, crashable: ["p"] },
  })

const take = (sys: ReturnType<typeof system>, w: ProtocolState, text: string) => {
  const s = stepsOf(sys, w).find((x) => sys.formatLabel(x.label) === text)
  if (!s) throw new Error(`"${text}" not enabled; enabled: ${stepsOf(sys, w).map((x) => sys.formatLabel(x.label)).join(" | ")}`)
  return s.next
}
const P = (w: ProtocolState) => w.nodes[0]!.state as Parent

test("a message to node/child runs the child; its events reach the parent in order; the parent's hook runs after", (t) => {
  const sys = system()
  let w = take(sys, sys.initial()[0]!, "deliver a -> p/sum: Add(n=3)")
  t.deepEqual(P(w), { seen: [3], log: { sum: 3 }, steps: 1 })
  w = take(sys, w, "deliver b -> p: Add(n=5)")
  t.deepEqual(P(w), { seen: [3, 13], log: { sum: 13 }, steps: 2 }, "the parent called into its child with yield*")
})

test("storage per component path: a child's persist does not replace its parent's", (t) => {
  const sys = system()
  let w = take(sys, sys.initial()[0]!, "deliver a -> p/sum: Add(n=3)")
  t.is(storedAt(w.nodes[0]!.durable, "sum"), 3)
  t.is(storedAt(w.nodes[0]!.durable), 1, "the parent persisted in its event handler, the child in its own")
  w = take(sys, w, "crash p")
  w = take(sys, w, "restart p")
  t.deepEqual(P(w).log, { sum: 3 }, "the child recovered from its own storage")
  t.deepEqual(P(w).seen, [3], "and its recover-time event reached the parent")
})

test("timers per component: a child's timers fire in the child; cancelTimer names a class and only the child's", (t) => {
  const sys = system()
  const w0 = sys.initial()[0]!
  t.deepEqual(w0.nodes[0]!.timers.map((x) => `${x.sub}:${x.timer._tag}`), ["sum:Tick", "sum:Tock"])
  const w = take(sys, w0, "timer p: sum: Tick()")
  t.deepEqual(P(w).log, { sum: 10 })
  t.deepEqual(w.nodes[0]!.timers, [], "Tock cancelled by its class")
})

test("runNodeEvent: one event on one node outside a World", (t) => {
  const peers = ["p", "a", "b"]
  const init = runNodeEvent({ def: parent, self: "p", peers, state: undefined, timers: [], durable: undefined }, { k: "init" })
  t.is(init.timers.length, 2)
  const r = runNodeEvent({ def: parent, self: "p", peers, state: init.state, timers: init.timers, durable: undefined }, { k: "message", to: "p", from: "b", msg: new Add({ n: 1 }) })
  t.deepEqual(r.state, { seen: [2], log: { sum: 2 }, steps: 1 })
  t.deepEqual([...r.writes], [["sum", 2], ["", 1]])
  const back = runNodeEvent({ def: parent, self: "p", peers, state: undefined, timers: [], durable: { "": 1, sum: 2 } }, { k: "recover" })
  t.deepEqual((back.state as Parent).log, { sum: 2 })
  const fired = runNodeEvent({ def: parent, self: "p", peers, state: init.state, timers: init.timers, durable: undefined }, { k: "timer", timer: init.timers[0]! })
  t.deepEqual(fired.timers, [])
})

test("a root node that emits fails its handler (HANDLERS_SUCCEED)", (t) => {
  const bad: NodeDef<null, Add> = { init: () => null, onMessage: { Add: (s, _m, _f, ctx) => (ctx.emit(new Total({ total: 0 }) as never), Effect.succeed(s)) } }
  const sys = compile({ servers: [{ address: "x", def: bad }, { address: "a", def: sender("x", 1) }], clients: [] })
  const w = take(sys as ReturnType<typeof system>, sys.initial()[0]!, "deliver a -> x: Add(n=1)")
  t.regex(w.failure ?? "", /not a component/)
})
