/**
 * Properties of the checker on generated histories, against a brute force over all orders.
 * fast-check's seed is fixed (SEED) so runs are reproducible; a failure prints the seed and path.
 */
import test from "ava"
import fc from "fast-check"
import { type KvInput, type KvOutput, kvResult, kvStep } from "../../spec/kv.ts"
import { type RegisterInput, type RegisterOutput, registerResult, registerStep } from "../../spec/register.ts"
import { checkHistory } from "../../src/linearizability/check.ts"
import type { History, Operation } from "../../src/linearizability/history.ts"
import type { AnyModel, Model, ModelState } from "../../src/linearizability/model.ts"
import { kvModel, registerModel } from "../../src/linearizability/models.ts"

const SEED = 20240611

/**
 * Linearizable by definition: some order of all operations (those that never returned may go last,
 * i.e. anywhere) respecting real time and the model. The state is one model state per partition
 * key, so that this does not rely on P-compositionality.
 */
const bruteForce = (model: AnyModel, history: History<unknown, unknown>): boolean => {
  const used = history.map(() => false)
  const search = (states: ReadonlyMap<string, ModelState>): boolean => {
    if (history.every((op, i) => used[i] || op.return === null)) return true
    return history.some((op, i) => {
      if (used[i] || history.some((o, j) => !used[j] && j !== i && o.return !== null && o.return < op.call)) return false
      const key = model.partition?.(op.input) ?? ""
      const next = model.step(states.has(key) ? states.get(key)! : model.init(), op.input, op.output)
      if (next === undefined) return false
      used[i] = true
      const ok = search(new Map(states).set(key, next))
      used[i] = false
      return ok
    })
  }
  return search(new Map())
}

/** Every partition's witness is a legal sequential execution that respects real time. */
const validWitness = (model: AnyModel, history: History<unknown, unknown>, witness: ReadonlyArray<{ order: ReadonlyArray<number> }>): boolean =>
  witness.every(({ order }) => {
    let state = model.init()
    for (let k = 0; k < order.length; k++) {
      const op = history[order[k]!]!
      const next = model.step(state, op.input, op.output)
      if (next === undefined) return false
      state = next
      // No later operation in the order returned before this one was called.
      if (order.slice(k + 1).some((j) => history[j]!.return !== null && history[j]!.return! < op.call)) return false
    }
    return true
  })

interface Flavour<I, O, S extends ModelState> {
  readonly model: Model<I, O, S>
  readonly input: fc.Arbitrary<I>
  readonly result: (state: S, input: I) => O
  readonly step: (state: S, input: I) => S
  readonly output: fc.Arbitrary<O>
}

const VALUES = ["x", "y"]
const kv: Flavour<KvInput, KvOutput, string | null> = {
  model: kvModel,
  input: fc.oneof(
    fc.record({ op: fc.constant("get" as const), key: fc.constantFrom("a", "b") }),
    fc.record({ op: fc.constant("put" as const), key: fc.constantFrom("a", "b"), value: fc.constantFrom(...VALUES) }),
    fc.record({ op: fc.constant("append" as const), key: fc.constantFrom("a", "b"), value: fc.constantFrom(...VALUES) }),
    fc.record({ op: fc.constant("delete" as const), key: fc.constantFrom("a", "b") }),
    fc.record({ op: fc.constant("cas" as const), key: fc.constantFrom("a", "b"), expected: fc.constantFrom(null, ...VALUES), value: fc.constantFrom(...VALUES) })
  ),
  result: kvResult,
  step: (s, i) => kvStep(s, i, null)!,
  output: fc.oneof(fc.record({ value: fc.constantFrom(null, "x", "y", "xy", "yx", "xx") }), fc.record({ ok: fc.boolean() })),
}
const register: Flavour<RegisterInput, RegisterOutput, number | string | null> = {
  model: registerModel,
  input: fc.oneof(
    fc.constant({ op: "read" as const }),
    fc.record({ op: fc.constant("write" as const), value: fc.integer({ min: 0, max: 2 }) }),
    fc.record({ op: fc.constant("cas" as const), expected: fc.constantFrom(null, 0, 1, 2), value: fc.integer({ min: 0, max: 2 }) })
  ),
  result: registerResult,
  step: (s, i) => registerStep(s, i, null)!,
  output: fc.oneof(fc.record({ value: fc.constantFrom(null, 0, 1, 2) }), fc.record({ ok: fc.boolean() })),
}

interface Shape {
  readonly early: number
  readonly late: number
  readonly client: number
  /** 0: normal, 1: result unknown, 2: never returned. */
  readonly fate: number
}
const shape = fc.record({ early: fc.integer({ min: 0, max: 25 }), late: fc.integer({ min: 0, max: 25 }), client: fc.integer({ min: 0, max: 3 }), fate: fc.constantFrom(0, 0, 0, 0, 0, 0, 1, 2) })

/**
 * Runs the inputs sequentially; operation k takes effect at time 10k, inside [call, return] drawn
 * around it, so the history is linearizable by construction.
 */
const sequential = <I, O, S extends ModelState>(f: Flavour<I, O, S>, steps: ReadonlyArray<{ input: I; shape: Shape }>): Array<Operation<I, O>> => {
  const states = new Map<string, S>()
  return steps.map(({ input, shape: { early, late, client, fate } }, k) => {
    const key = f.model.partition?.(input) ?? ""
    const state = states.has(key) ? states.get(key)! : f.model.init()
    const output = f.result(state, input)
    states.set(key, f.step(state, input))
    const at = 10 * k + 10
    return { client, call: at - early, return: fate === 2 ? null : at + late, input, output: fate === 0 ? output : null }
  })
}

const historyOf = <I, O, S extends ModelState>(f: Flavour<I, O, S>, max: number) =>
  fc.array(fc.record({ input: f.input, shape }), { minLength: 1, maxLength: max }).map((steps) => sequential(f, steps))

/** A sequential history with one result replaced by an arbitrary one. */
const corrupted = <I, O, S extends ModelState>(f: Flavour<I, O, S>, max: number) =>
  fc
    .tuple(historyOf(f, max), fc.nat(), f.output)
    .filter(([h, i]) => h[i % h.length]!.output !== null)
    .map(([h, i, output]) => h.map((op, j) => (j === i % h.length ? { ...op, output } : op)))

for (const [name, f] of [
  ["kv", kv],
  ["register", register],
] as const) {
  const flavour = f as unknown as Flavour<unknown, unknown, ModelState>
  const model = flavour.model as AnyModel

  test(`${name}: sequential executions with overlapping intervals are linearizable, with a valid witness`, (t) => {
    fc.assert(
      fc.property(historyOf(flavour, 40), (h) => {
        const r = checkHistory(model, h)
        return r.verdict === "linearizable" && validWitness(model, h, r.witness!)
      }),
      { seed: SEED, numRuns: 300 }
    )
    t.pass()
  })

  test(`${name}: on small histories the checker agrees with brute force`, (t) => {
    const small = fc.oneof(historyOf(flavour, 7), corrupted(flavour, 7))
    let failing = 0
    fc.assert(
      fc.property(small, (h) => {
        const expected = bruteForce(model, h)
        const r = checkHistory(model, h)
        if (!expected) failing++
        return r.verdict === (expected ? "linearizable" : "not-linearizable")
      }),
      { seed: SEED, numRuns: 1500 }
    )
    t.true(failing > 100, `only ${failing} non-linearizable histories generated`)
  })

  test(`${name}: a corrupted result is caught, and the failing sub-history fails on its own`, (t) => {
    fc.assert(
      fc.property(corrupted(flavour, 8), (h) => {
        if (bruteForce(model, h)) return true
        const r = checkHistory(model, h)
        const sub = r.failure?.subHistory
        return r.verdict === "not-linearizable" && sub !== undefined && !bruteForce(model, sub.operations) && sub.origin.every((i) => r.failure!.operations.includes(i))
      }),
      { seed: SEED, numRuns: 500 }
    )
    t.pass()
  })
}

test("the models accept exactly the result a sequential store gives (put, write and delete results are not checked; an append's may be left out)", (t) => {
  const agrees = <I extends { op: string }, O extends { value?: unknown }, S>(result: (s: S, i: I) => O, step: (s: S, i: I, o: O) => S | undefined) => (state: S, input: I, output: O) => {
    const right = result(state, input)
    const loose = Object.keys(right).length === 0 || (input.op === "append" && output.value === undefined)
    return step(state, input, right) !== undefined && (step(state, input, output) !== undefined) === (loose || JSON.stringify(right) === JSON.stringify(output))
  }
  fc.assert(fc.property(fc.constantFrom(null, "", "x", "xy"), kv.input, kv.output, agrees(kvResult, kvStep)), { seed: SEED })
  fc.assert(fc.property(fc.constantFrom(null, 0, 1, 2), register.input, register.output, agrees(registerResult, registerStep)), { seed: SEED })
  t.pass()
})
