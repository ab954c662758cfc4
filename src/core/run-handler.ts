/**
 * Runs a handler's Effect without starting a fiber. Handlers are `Effect.fnUntraced` generators that
 * `yield*` into other generators, `Effect.map` / `Effect.flatMap` results and succeed or fail; for
 * those the checker needs no runtime, and `Effect.runSync` per step (a fiber, its context, its run
 * loop) was a tenth of a protocol search. This interpreter walks those few primitives directly and
 * hands anything else (and every failure) to `Effect.runSync`, so what a handler can do and how a
 * failure reads are unchanged.
 *
 * It reads the primitives' fields by the names effect 4 gives them; a self-test at load checks them,
 * and when they do not match (another effect version) every run goes through `Effect.runSync`.
 */
import { Effect } from "effect"

const ID = "~effect/Effect/identifier"
const ARGS = "~effect/Effect/args"
const CONT = "~effect/Effect/successCont"

type Primitive = Record<string, any>

const mapCont: unknown = (Effect.map(Effect.void, (x) => x) as unknown as Primitive)[CONT]
const flatMapCont: unknown = (Effect.flatMap(Effect.void, Effect.succeed) as unknown as Primitive)[CONT]

const evaluate = (e: Primitive): unknown => {
  for (;;) {
    switch (e[ID]) {
      case "Success":
        return e.value
      case "Suspend":
        e = e[ARGS]()
        continue
      case "Iterator": {
        const it = e.iterator as Iterator<Primitive, unknown, unknown>
        let v: unknown = e.initial
        for (;;) {
          const st = it.next(v)
          if (st.done) return st.value
          v = evaluate(st.value)
        }
      }
      case "Sync":
        return e[ARGS]()
      case "OnSuccess": {
        const cont = e[CONT]
        if (cont === mapCont) return e.payload(evaluate(e[ARGS]))
        if (cont === flatMapCont) {
          e = e.payload(evaluate(e[ARGS]))
          continue
        }
        return Effect.runSync(e as Effect.Effect<unknown>)
      }
      default:
        // Failures, services, anything else: the runtime's own semantics and error.
        return Effect.runSync(e as Effect.Effect<unknown>)
    }
  }
}

/** Whether this effect version's primitives are the ones `evaluate` reads: checked once, on samples. */
const selfTest = (): boolean => {
  try {
    if (typeof mapCont !== "function" || typeof flatMapCont !== "function" || mapCont === flatMapCont) return false
    const inner = Effect.fnUntraced(function* (x: number) {
      return x + 1
    })
    const outer = Effect.fnUntraced(function* (x: number) {
      const a = yield* inner(x)
      const b = yield* Effect.map(inner(a), (y) => y * 10)
      const c = yield* Effect.flatMap(Effect.succeed(b), (z) => Effect.sync(() => z + 3))
      return [a, b, c]
    })
    const want = JSON.stringify(Effect.runSync(outer(1)))
    return want === "[2,30,33]" && JSON.stringify(evaluate(outer(1) as unknown as Primitive)) === want
  } catch {
    return false
  }
}

const direct = selfTest()

/** Whether handlers run directly (false: every run goes through `Effect.runSync`). */
export const runsDirectly = (): boolean => direct

/** The value of `eff`, as `Effect.runSync` would give it (and throwing what it would throw). */
export const runHandlerEffect = <A>(eff: Effect.Effect<A>): A => (direct ? (evaluate(eff as unknown as Primitive) as A) : Effect.runSync(eff))
