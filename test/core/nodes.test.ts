/** DSL semantics through compile() and timed(): crashes, fault budgets, sub-nodes, choose, exactly-once, the simulator. */
import test from "ava"
import { Effect, Schema } from "effect"
import { bfs, explore } from "../../src/checker/explore.ts"
import { stepsOf } from "../../src/checker/path.ts"
import { invariant } from "../../src/checker/transition-system.ts"
import { AMOCommand, amo } from "../../src/core/application.ts"
import { compile, type ProtocolState } from "../../src/core/compile.ts"
import { subContext } from "../../src/core/execute.ts"
import { storedAt } from "../../src/core/outbox.ts"
import { append, appendResult, get, getResult, kvStore, put } from "../../src/core/kv.ts"
import type { Address, Ctx, NodeDef } from "../../src/core/node.ts"
import { timed } from "../../src/core/timed.ts"
import { privateKeyWorkload } from "../../src/core/workloads.ts"
import { clientServerConfig } from "../../src/protocols/clientserver/model.ts"
import { labelsOf, reachable } from "../helpers.ts"

class Tick extends Schema.TaggedClass<Tick>()("Tick", {}) {}
class Hello extends Schema.TaggedClass<Hello>()("Hello", { n: Schema.Number }) {}

interface CounterState {
  readonly durable: number
  readonly volatile: number
}
/** Counts ticks (up to 2); `durable` is persisted, `volatile` is not. */
const persistent: NodeDef<CounterState, never, Tick> = {
  init: (ctx) => (ctx.setTimer(new Tick(), 1), { durable: 0, volatile: 0 }),
  recover: (durable, ctx) => (ctx.setTimer(new Tick(), 1), { durable: (durable as number | undefined) ?? 0, volatile: 0 }),
  onMessage: {},
  onTimer: {
    Tick: Effect.fnUntraced(function* (s: CounterState, _t: Tick, ctx: Ctx) {
      if (s.durable >= 2) return s
      ctx.persist(s.durable + 1)
      ctx.setTimer(new Tick(), 1)
      return { durable: s.durable + 1, volatile: s.volatile + 1 }
    }),
  },
}

const stateOf = (w: ProtocolState, i = 0) => w.nodes[i]!.state as CounterState

test("crash and restart: persisted state survives, volatile state is lost", (t) => {
  const system = compile({ servers: [{ address: "n", def: persistent }], clients: [], faults: { maxCrashed: 1 } })
  const step = (w: ProtocolState, text: string) => {
    const s = stepsOf(system, w).find((x) => system.formatLabel(x.label) === text)
    if (!s) throw new Error(`"${text}" not enabled; enabled: ${stepsOf(system, w).map((x) => system.formatLabel(x.label)).join(" | ")}`)
    return s.next
  }
  let w = system.initial()[0]!
  w = step(w, "timer n: Tick()")
  t.deepEqual(stateOf(w), { durable: 1, volatile: 1 })
  w = step(w, "crash n")
  t.false(w.nodes[0]!.up)
  t.is(w.nodes[0]!.timers.length, 0, "a crashed node loses its timers")
  t.deepEqual(stepsOf(system, w).map((x) => system.formatLabel(x.label)), ["restart n"], "nothing but restart while down")
  w = step(w, "restart n")
  t.true(w.nodes[0]!.up)
  t.deepEqual(stateOf(w), { durable: 1, volatile: 0 })
  w = step(w, "timer n: Tick()")
  t.deepEqual(stateOf(w), { durable: 2, volatile: 1 })
  // Without recover, a restart is init (storage ignored).
  const forgetful = compile({ servers: [{ address: "n", def: { ...persistent, recover: undefined } as NodeDef<CounterState, never, Tick> }], clients: [], faults: { maxCrashed: 1 } })
  t.true(reachable(forgetful).some((s) => s.nodes[0]!.up && stateOf(s).durable === 0 && storedAt(s.nodes[0]!.durable) === 1))
  // With recover, no reachable live state has fewer durable ticks than storage holds.
  t.true(reachable(system).every((s) => !s.nodes[0]!.up || stateOf(s).durable === ((storedAt(s.nodes[0]!.durable) as number | undefined) ?? 0)))
  // restarts: false: a crashed node stays down.
  const noRestart = compile({ servers: [{ address: "n", def: persistent }], clients: [], faults: { maxCrashed: 1, restarts: false } })
  t.false(reachable(noRestart).some((s) => s.nodes[0]!.up && stateOf(s).volatile === 0 && stateOf(s).durable > 0))
})

test("a recover that throws is a HANDLERS_SUCCEED violation with a trace, not an exception", (t) => {
  // A recovery bug (storage read back wrongly) must be reported like a failing handler: the search ends
  // with the steps that led to it, and a restart's failure is not an error of the checker.
  const brittle: NodeDef<CounterState, never, Tick> = {
    ...persistent,
    recover: (durable, ctx) => {
      const n = durable as number | undefined
      if (n === 1) throw new TypeError("cannot read properties of a stored 1")
      return persistent.recover!(durable, ctx)
    },
  }
  const system = compile({ servers: [{ address: "n", def: brittle }], clients: [], faults: { maxCrashed: 1 } })
  const r = bfs(system, {})
  t.is(r.verdict, "violation")
  t.is(r.property, "HANDLERS_SUCCEED")
  t.regex(r.detail!, /n recovering from storage failed: cannot read properties of a stored 1/)
  t.deepEqual(r.path!.steps.map((s) => s.text), ["timer n: Tick()", "crash n", "restart n"])
  // The same node whose recover does not throw passes.
  t.is(bfs(compile({ servers: [{ address: "n", def: persistent }], clients: [], faults: { maxCrashed: 1 } }), {}).verdict, "ok")
})

test("fault budget: at most maxCrashed nodes down at once, only crashable ones", (t) => {
  const servers = ["a", "b", "c"].map((address) => ({ address, def: persistent }))
  const maxDown = (maxCrashed: number, crashable?: string[]) => {
    const system = compile({ servers, clients: [], faults: { maxCrashed, ...(crashable ? { crashable } : {}) } })
    const states = reachable(system)
    return {
      most: Math.max(...states.map((s) => s.nodes.filter((n) => !n.up).length)),
      crashed: new Set(states.flatMap((s) => s.nodes.flatMap((n, i) => (n.up ? [] : [i])))),
    }
  }
  t.is(maxDown(0).most, 0)
  t.is(maxDown(1).most, 1)
  t.is(maxDown(2).most, 2)
  t.is(maxDown(3).most, 3)
  t.deepEqual([...maxDown(2, ["b"]).crashed], [1])
  t.is(maxDown(2, ["b"]).most, 1)
  // Through the checker: the invariant "at most one down" holds exhaustively with maxCrashed 1.
  const oneDown = invariant<ProtocolState>("AT_MOST_ONE_DOWN", (w) => w.nodes.filter((n) => !n.up).length <= 1)
  t.is(bfs(compile({ servers, clients: [], faults: { maxCrashed: 1 } }, { properties: [oneDown] }), {}).verdict, "ok")
  const two = bfs(compile({ servers, clients: [], faults: { maxCrashed: 2 } }, { properties: [oneDown] }), {})
  t.is(two.verdict, "violation")
  t.deepEqual(labelsOf(two.path).filter((l) => l.startsWith("crash")).length, 2)
})

// A child node: counts Hellos, and on each sets a timer that adds 100.
interface Child {
  readonly hellos: number
  readonly fired: number
}
const childDef: NodeDef<Child, Hello, Tick> = {
  init: () => ({ hellos: 0, fired: 0 }),
  onMessage: {
    Hello: Effect.fnUntraced(function* (s: Child, m: Hello, from: Address, ctx: Ctx) {
      ctx.setTimer(new Tick(), 5)
      ctx.send(from, new Hello({ n: m.n + 1 }))
      return { ...s, hellos: s.hellos + m.n }
    }),
  },
  onTimer: {
    Tick: Effect.fnUntraced(function* (s: Child, _t: Tick, _ctx: Ctx) {
      return { ...s, fired: s.fired + 1 }
    }),
  },
}
interface Parent {
  readonly own: number
  readonly kid: Child
}
const parentDef: NodeDef<Parent, Hello> = {
  init: (ctx) => ({ own: 0, kid: childDef.init(subContext(ctx, "kid")) }),
  onMessage: {
    Hello: Effect.fnUntraced(function* (s: Parent, m: Hello, _from: Address, _ctx: Ctx) {
      return { ...s, own: s.own + m.n }
    }),
  },
  components: { kid: { def: childDef, get: (p: Parent) => p.kid, set: (p: Parent, kid: Child) => ({ ...p, kid }) } },
}

test("sub-nodes: messages to parent/child reach the child; the child's timers fire inside the parent", (t) => {
  const caller: NodeDef<ReadonlyArray<number>, Hello> = {
    init: (ctx) => (ctx.send("p/kid", new Hello({ n: 7 })), ctx.send("p", new Hello({ n: 1 })), []),
    onMessage: {
      Hello: Effect.fnUntraced(function* (s: ReadonlyArray<number>, m: Hello, _from: Address, _ctx: Ctx) {
        return [...s, m.n]
      }),
    },
  }
  const system = compile({ servers: [{ address: "caller", def: caller }, { address: "p", def: parentDef }], clients: [], network: { delivery: "multiset" } })
  const w0 = system.initial()[0]!
  const toKid = stepsOf(system, w0).find((s) => system.formatLabel(s.label) === "deliver caller -> p/kid: Hello(n=7)")!
  t.truthy(toKid)
  const p1 = toKid.next.nodes[1]!.state as Parent
  t.deepEqual(p1, { own: 0, kid: { hellos: 7, fired: 0 } }, "the child handled it, not the parent")
  t.deepEqual(toKid.next.nodes[1]!.timers.map((x) => x.sub), ["kid"])
  // The child's reply comes from its own address.
  t.true(toKid.next.net.some((e) => e.from === "p/kid" && e.to === "caller"))
  const fire = stepsOf(system, toKid.next).find((s) => system.formatLabel(s.label) === "timer p: kid: Tick()")
  t.truthy(fire, stepsOf(system, toKid.next).map((s) => system.formatLabel(s.label)).join(" | "))
  t.deepEqual(fire!.next.nodes[1]!.state, { own: 0, kid: { hellos: 7, fired: 1 } })
  const toParent = stepsOf(system, w0).find((s) => system.formatLabel(s.label) === "deliver caller -> p: Hello(n=1)")!
  t.deepEqual(toParent.next.nodes[1]!.state, { own: 1, kid: { hellos: 0, fired: 0 } })
  // Every reachable state: the caller got exactly the child's reply.
  t.true(reachable(system).some((s) => (s.nodes[0]!.state as number[]).join() === "8"))
})

class Pick extends Schema.TaggedClass<Pick>()("Pick", {}) {}
const chooser: NodeDef<ReadonlyArray<number>, never, Pick> = {
  init: (ctx) => (ctx.setTimer(new Pick(), 1), []),
  onMessage: {},
  onTimer: {
    Pick: Effect.fnUntraced(function* (s: ReadonlyArray<number>, _t: Pick, ctx: Ctx) {
      const a = ctx.choose(3)
      const b = a === 2 ? ctx.choose(2) : -1
      return [...s, a, b]
    }),
  },
}

test("ctx.choose: compile branches into one successor per option (nested choices too)", (t) => {
  const system = compile({ servers: [{ address: "n", def: chooser }], clients: [] })
  const steps = stepsOf(system, system.initial()[0]!)
  t.deepEqual(
    steps.map((s) => system.formatLabel(s.label)),
    ["timer n: Pick() [choose 0]", "timer n: Pick() [choose 1]", "timer n: Pick() [choose 2,0]", "timer n: Pick() [choose 2,1]"]
  )
  t.deepEqual(
    steps.map((s) => s.next.nodes[0]!.state),
    [
      [0, -1],
      [1, -1],
      [2, 0],
      [2, 1],
    ]
  )
  // choose in init: one initial state per option.
  const initChoice = compile({ servers: [{ address: "n", def: { init: (ctx) => ctx.choose(4), onMessage: {} } }], clients: [] })
  t.deepEqual(initChoice.initial().map((w) => w.nodes[0]!.state), [0, 1, 2, 3])
})

test("ctx.choose in the timed simulator draws from the seed", (t) => {
  const picks = (seed: number) => {
    // No clients: "every client done" holds at once, so do not stop there.
    const system = timed({ servers: [{ address: "n", def: chooser }], clients: [] }, { maxTime: 100, stopWhenDone: false }, seed)
    let s = system.initial()[0]!
    for (;;) {
      const next = stepsOf(system, s)
      if (next.length === 0) break
      t.is(next.length, 1, "the simulator has one successor per state")
      s = next[0]!.next
    }
    return (s.nodes[0]!.state as number[]).join()
  }
  t.is(picks(1), picks(1))
  t.is(picks(1).split(",").length, 2, "the timer fired once")
  const seen = new Set([1, 2, 3, 4, 5, 6, 7, 8].map(picks))
  t.true(seen.size >= 2, `different seeds give different choices: ${[...seen].join(" / ")}`)
})

test("exactly-once wrapper: one dedup entry per client; retries answered from it, not executed", (t) => {
  const w = amo(kvStore)
  let s = w.init()
  const cmd = (client: string, seq: number, c: ReturnType<typeof append> | ReturnType<typeof get> | ReturnType<typeof put>) => new AMOCommand({ command: c, client, seq })
  for (let seq = 1; seq <= 300; seq++)
    for (const client of ["c1", "c2", "c3"]) {
      const [r, next] = w.execute(s, cmd(client, seq, append(`k-${client}`, "x")))
      t.is(r!.seq, seq)
      s = next
    }
  t.is(s.last.size, 3)
  t.is(s.app.get("k-c1")!.length, 300)
  // A retry of the last command returns the stored result and does not execute again.
  const [retry, after] = w.execute(s, cmd("c1", 300, append("k-c1", "x")))
  t.is(after, s)
  t.deepEqual(retry!.result, appendResult("x".repeat(300)))
  // An older command gets no answer.
  const [old, after2] = w.execute(s, cmd("c1", 12, append("k-c1", "x")))
  t.is(old, undefined)
  t.is(after2, s)
  t.true(w.alreadyExecuted(s, cmd("c2", 300, get("k"))))
  t.false(w.alreadyExecuted(s, cmd("c2", 301, get("k"))))
  t.deepEqual(w.execute(s, cmd("c4", 1, get("k-c2")))[0]!.result, getResult("x".repeat(300)))
  // The planted bug executes the retry again.
  const buggy = amo(kvStore, { bugExecuteRetries: true })
  const [, b1] = buggy.execute(buggy.init(), cmd("c1", 1, append("k", "x")))
  const [r2] = buggy.execute(b1, cmd("c1", 1, append("k", "x")))
  t.deepEqual(r2!.result, appendResult("xx"))
})

test("timed simulator: same seed, same labels; different seeds differ", (t) => {
  const config = clientServerConfig({ workloads: [privateKeyWorkload("client1", 20), privateKeyWorkload("client2", 20)] })
  const run = (seed: number) => {
    const r = explore(timed(config, { loss: 0.2, duplicate: 0.1, latency: [1, 10] }, seed), { strategy: "random", seed, samples: 1, maxDepth: 100_000, minimise: false, stopAtGoal: true })
    return { r, labels: labelsOf(r.path) }
  }
  // The system has no goal here, so record the whole run by walking it.
  const walk = (seed: number) => {
    const system = timed(config, { loss: 0.2, duplicate: 0.1, latency: [1, 10] }, seed)
    let s = system.initial()[0]!
    const labels: string[] = []
    for (;;) {
      const next = stepsOf(system, s)
      if (next.length === 0) break
      labels.push(system.formatLabel(next[0]!.label))
      s = next[0]!.next
    }
    return { labels, s }
  }
  const a = walk(17)
  const b = walk(17)
  const c = walk(18)
  t.true(a.labels.length > 80)
  t.deepEqual(a.labels, b.labels)
  t.notDeepEqual(a.labels, c.labels)
  t.true(a.labels.some((l) => /lost|@\d+ deliver/.test(l)))
  t.is(run(17).r.generated, a.labels.length)
})
