/** The step memo (core/step-memo.ts): searches with and without it agree, and it does not hide a nondeterministic handler. */
import test from "ava"
import { Effect, Schema } from "effect"
import { nondeterminism } from "../../src/checker/determinism.ts"
import { explore } from "../../src/checker/explore.ts"
import type { StepProperty, TransitionSystem } from "../../src/checker/transition-system.ts"
import { buildSystem } from "../../src/checker/parallel-protocol.ts"
import { compile } from "../../src/core/compile.ts"
import type { Ctx, NodeDef } from "../../src/core/node.ts"
import { StepMemo } from "../../src/core/step-memo.ts"
import { REGISTRY_URL } from "../../src/registry/index.ts"
import { PINNED_STATES } from "../protocols/state-counts.ts"

const named = (model: string, name: string) => buildSystem({ loader: REGISTRY_URL, model, params: {}, test: name })

test("raft with crashes: the same states, steps and verdict with the memo and without; nearly every step is a hit", async (t) => {
  const on = await named("raft", "exhaustive-crash")
  const off = await named("raft", "exhaustive-crash")
  const a = explore(on, {})
  const b = explore(off, { memo: false })
  t.is(a.verdict, "ok")
  t.is(a.distinct, PINNED_STATES["raft/exhaustive-crash"]!)
  t.is(b.distinct, a.distinct)
  t.is(b.generated, a.generated)
  const m = on.memo!.stats()
  t.true(m.hits > 0.9 * (m.hits + m.misses), `hits ${m.hits}, misses ${m.misses}`)
  const n = off.memo!.stats()
  t.is(n.hits + n.misses, 0, "memo: false neither reads nor fills it")
})

test("planted bug (clientserver executing a retry twice): the same shortest trace with the memo and without", async (t) => {
  const a = explore(await named("clientserver", "bug-execute-retries"), {})
  const b = explore(await named("clientserver", "bug-execute-retries"), { memo: false })
  t.is(a.verdict, "violation")
  t.is(a.property, b.property)
  t.deepEqual(
    a.path!.steps.map((s) => s.text),
    b.path!.steps.map((s) => s.text)
  )
})

class Ping extends Schema.TaggedClass<Ping>()("Ping", {}) {}
class Tick extends Schema.TaggedClass<Tick>()("Tick", {}) {}

/** A handler that reads a counter outside its state: its step is not a function of its record. */
const flaky = (): NodeDef<number, Ping, Tick> => {
  let calls = 0
  return {
    init: (ctx) => (ctx.setTimer(new Tick(), 1), 0),
    onMessage: {},
    onTimer: {
      Tick: Effect.fnUntraced(function* (s: number, _t: Tick, ctx: Ctx) {
        calls++
        ctx.setTimer(new Tick(), 1)
        return s >= 3 ? s : s + (calls % 2)
      }),
    },
  }
}

test("a nondeterministic handler is caught as DETERMINISM with the memo on (its second run is computed afresh)", (t) => {
  const system = compile({ servers: [{ address: "n", def: flaky() }], clients: [] })
  const r = explore(system, {})
  t.is(r.verdict, "violation")
  t.is(r.property, "DETERMINISM")
})

/** A node that counts to 3 on its timer, deterministically; `calls` counts its handler's runs. */
const counter = (calls: { n: number }): NodeDef<number, Ping, Tick> => ({
  init: (ctx) => (ctx.setTimer(new Tick(), 1), 0),
  onMessage: {},
  onTimer: {
    Tick: Effect.fnUntraced(function* (s: number, _t: Tick, ctx: Ctx) {
      calls.n++
      if (s < 3) ctx.setTimer(new Tick(), 1)
      return s < 3 ? s + 1 : s
    }),
  },
})

test("the determinism check recomputes each distinct step once, not each time a sampled state meets it", (t) => {
  // Two independent counters (records 0-3 with a timer, then 3 without): 25 states, all among the 64
  // first (all sampled), 40 enabled steps but 8 distinct (node, record, timer) ones.
  const calls = { n: 0 }
  const system = compile({ servers: [{ address: "a", def: counter(calls) }, { address: "b", def: counter(calls) }], clients: [] })
  const r = explore(system, {})
  t.is(r.verdict, "ok")
  t.is(r.distinct, 25)
  const m = system.memo!.stats()
  t.is(m.misses, 8)
  t.is(calls.n, 2 * m.misses, "each step run once for the memo and once again by the check")
  // Without `once` (a replay looking for the failure again) every step is recomputed each time.
  const [s0] = system.initial()
  const before = calls.n
  t.is(nondeterminism(system, s0!), undefined)
  t.is(nondeterminism(system, s0!), undefined)
  t.is(calls.n - before, 4, "both timers of the initial state, recomputed by each check")
  t.is(nondeterminism(system, s0!, true), undefined)
  t.is(calls.n - before, 4, "once: recomputed already")
})

test("StepMemo: recomputed serves a held entry only after recheck has recomputed it once, and never outside recheck", (t) => {
  const memo = new StepMemo<string>()
  t.is(memo.lookup(1, 2, 3, 4, 5), undefined)
  memo.store("v")
  t.is(memo.recomputed(1, 2, 3, 4, 5), undefined, "outside recheck")
  t.is(memo.bypass(() => memo.recomputed(1, 2, 3, 4, 5)), undefined, "inside bypass")
  t.is(
    memo.recheck(() => memo.recomputed(1, 2, 3, 4, 5)),
    undefined,
    "first met: computed afresh"
  )
  t.is(
    memo.recheck(() => memo.recomputed(1, 2, 3, 4, 5)),
    "v",
    "then served"
  )
  t.is(
    memo.recheck(() => memo.recomputed(9, 2, 3, 4, 5)),
    undefined,
    "a key not held"
  )
  t.is(memo.recheck(() => memo.on), false)
  t.is(memo.bypass(() => memo.recomputed(1, 2, 3, 4, 5)), undefined, "bypass still computes afresh")
  t.is(
    memo.bypass(() => memo.recheck(() => memo.recomputed(1, 2, 3, 4, 5))),
    undefined,
    "a recheck inside bypass (a search with memo: false) serves nothing"
  )
  t.is(memo.stats().hits, 0)
})

test("StepMemo: keys are all 160 bits (unsigned halves too), a miss files its value, the cap clears the table", (t) => {
  const memo = new StepMemo<string>(8)
  t.is(memo.lookup(0xffffffff, 1, 2, 3, 4), undefined)
  memo.store("a")
  t.is(memo.lookup(0xffffffff, 1, 2, 3, 4), "a")
  t.is(memo.lookup(0xffffffff, 1, 2, 3, 5), undefined, "another tag")
  memo.store("b")
  t.is(memo.lookup(0x7fffffff, 1, 2, 3, 4), undefined, "another record hash")
  for (let i = 0; i < 5; i++) {
    t.is(memo.lookup(i, i, 0, 0, 9), undefined)
    memo.store(`v${i}`)
  }
  t.is(memo.lookup(4, 4, 0, 0, 9), "v4")
  t.is(memo.stats().entries, 7)
  memo.lookup(9, 9, 9, 9, 9)
  memo.store("full")
  t.is(memo.stats().clears, 1)
  t.is(memo.stats().entries, 0)
  t.is(memo.lookup(0xffffffff, 1, 2, 3, 4), undefined, "cleared")
  t.is(memo.bypass(() => memo.on), false)
  t.true(memo.on)
})

/** The system with its emitted steps counted; `all` drops the flag BFS passes, so stutters come too. */
const counted = <S, L>(system: TransitionSystem<S, L>, all: boolean) => {
  const out = Object.create(system) as TransitionSystem<S, L> & { emitted: number }
  out.emitted = 0
  Object.defineProperty(out, "successors", {
    value: (s: S, emit: (l: L, n: S) => void, omit?: ReadonlyArray<StepProperty<S, L>>) =>
      system.successors(
        s,
        (l, n) => {
          out.emitted++
          emit(l, n)
        },
        all ? undefined : omit
      ),
  })
  return out
}

test("BFS leaves out stutters (a message delivered again to a node that ignores it): the same states, steps counted and verdict, far fewer built", async (t) => {
  const lean = counted(await named("paxos", "exhaustive-stable-leader"), false)
  const full = counted(await named("paxos", "exhaustive-stable-leader"), true)
  const a = explore(lean, {})
  const b = explore(full, {})
  t.is(a.verdict, "ok")
  t.is(a.distinct, PINNED_STATES["paxos/exhaustive-stable-leader"]!)
  t.is(b.distinct, a.distinct)
  t.is(a.generated, b.generated, "a left-out stutter still counts as generated")
  t.true(lean.emitted < 0.8 * full.emitted, `${lean.emitted} steps built without stutters, ${full.emitted} with`)
  const bug = explore(await named("clientserver", "bug-execute-retries"), {})
  const bugAll = explore(counted(await named("clientserver", "bug-execute-retries"), true), {})
  t.is(bug.verdict, "violation")
  t.deepEqual(
    bug.path!.steps.map((s) => s.text),
    bugAll.path!.steps.map((s) => s.text)
  )
})
