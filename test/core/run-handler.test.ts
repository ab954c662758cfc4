import test from "ava"
import { Effect } from "effect"
import { runEffect } from "../../src/core/dispatch.ts"
import { HandlerFailure } from "../../src/core/outbox.ts"
import { runHandlerEffect, runsDirectly } from "../../src/core/run-handler.ts"
import { kvAbstraction, refinesKv } from "../../src/core/kv-refinement.ts"

const inc = Effect.fnUntraced(function* (x: number) {
  return x + 1
})
const nested = Effect.fnUntraced(function* (x: number) {
  const a = yield* inc(x)
  const b = yield* Effect.map(inc(a), (y) => y * 2)
  const c = yield* Effect.flatMap(Effect.succeed(b), (z) => Effect.sync(() => z + 100))
  const d = yield* Effect.gen(function* () {
    return (yield* inc(c)) + (yield* Effect.succeed(1000))
  })
  return [a, b, c, d]
})

test("a handler's effect runs directly to the value Effect.runSync gives", (t) => {
  t.true(runsDirectly(), "this effect version's primitives are the ones the interpreter reads")
  for (const x of [0, 5, -3]) t.deepEqual(runHandlerEffect(nested(x)), Effect.runSync(nested(x)))
})

test("a failing handler fails as under Effect.runSync: typed failures, defects and failures deep in a generator", (t) => {
  const failing = Effect.fnUntraced(function* (x: number) {
    const a = yield* inc(x)
    if (a === 1) return yield* Effect.fail("typed failure")
    if (a === 2) throw new Error("defect")
    return yield* Effect.map(inc(a), (y) => (y === 5 ? Effect.runSync(Effect.fail("inner")) : y))
  })
  for (const x of [0, 1, 3, 7]) {
    let direct: string | undefined
    let runtime: string | undefined
    try {
      direct = String(runEffect(failing(x) as Effect.Effect<number>, "step"))
    } catch (e) {
      t.true(e instanceof HandlerFailure)
      direct = (e as Error).message
    }
    try {
      runtime = String(Effect.runSync(failing(x)))
    } catch (e) {
      runtime = `step failed: ${e instanceof Error ? e.message : String(e)}`
    }
    t.is(direct, runtime, `x = ${x}`)
  }
})

test("an effect outside the direct interpreter's primitives (a service, a catch) still runs through Effect", (t) => {
  const caught = Effect.catch(Effect.fail("x"), () => Effect.succeed(42))
  t.is(runHandlerEffect(caught), 42)
  const h = Effect.fnUntraced(function* () {
    const v = yield* caught
    return v + 1
  })
  t.is(runHandlerEffect(h()), 43)
})

test("the KV abstraction is one object per store, and the refinement still rejects a step that is no KV operation", (t) => {
  const s1 = new Map([["b", "1"], ["a", "2"]])
  t.is(kvAbstraction(s1), kvAbstraction(s1))
  t.deepEqual(Object.keys(kvAbstraction(s1)), ["a", "b"])
  const refinement = refinesKv<ReadonlyMap<string, string>>((w) => w)
  t.is(refinement.check(s1, undefined, s1), undefined)
  t.is(refinement.check(s1, undefined, new Map([["a", "2"], ["b", "1x"]])), undefined)
  t.truthy(refinement.check(s1, undefined, new Map([["a", "3"], ["b", "4"]])))
})
