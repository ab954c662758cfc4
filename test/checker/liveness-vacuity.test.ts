/**
 * No vacuous liveness pass: when no explored state has a property's goal and a bound cut some states,
 * every behaviour that could reach the goal was cut first, so the property cannot fail. The checker
 * refuses such a check with an input error (exit 2), while the same property with room for its goal
 * passes, and a violation under the same bound is still reported as one.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { checkLiveness, VacuousLivenessError } from "../../src/checker/liveness.ts"
import { plainFingerprint } from "../../src/checker/plain.ts"
import { eventually, leadsTo, strongFairness, weakFairness, weakNext, withLiveness } from "../../src/checker/temporal.ts"
import { prune, type TransitionSystem } from "../../src/checker/transition-system.ts"
import { compile, type Event, type ProtocolState } from "../../src/core/compile.ts"
import { allClientsDone } from "../../src/core/properties.ts"
import { isInputError } from "../../src/errors.ts"
import { inFlightAtMost, pingConfig, pingWorkload } from "../../src/protocols/pingpong/model.ts"

// i -> a -> b -> done (and, with a dead end, i -> c): a prune at b cuts every way to done.
const line = (cutAt: string | undefined, deadEnd = false): TransitionSystem<string, string> => ({
  name: "line",
  initial: () => ["i"],
  successors: (s, emit) =>
    ({ i: [["toA", "a"], ...(deadEnd ? [["toC", "c"]] : [])], a: [["toB", "b"]], b: [["finish", "done"]] })[s]?.forEach(([l, t]) => emit(l!, t!)),
  fingerprint: plainFingerprint,
  formatLabel: (l) => l,
  view: (s) => ({ at: s }),
  properties: cutAt ? [prune<string>(`CUT_AT_${cutAt}`, (s) => s === cutAt)] : [],
})
const done = eventually<string>("Done", (s) => s === "done")

test("<>P whose goal only lies past the bound: refused as vacuous, with the prune named", (t) => {
  const system = withLiveness(line("b"), [done], [weakNext()])
  const e = t.throws(() => checkLiveness(system), { instanceOf: VacuousLivenessError })
  t.regex(e!.message, /Done cannot fail: no explored state has its goal and 1 of 3 states are cut by the bounds \(CUT_AT_b\)/)
  t.true(isInputError(e)) // the CLI prints its one line and exits 2
  t.throws(() => explore(system), { instanceOf: VacuousLivenessError })
})

test("the same property with room for its goal passes; a violation under the bound is still reported as one", (t) => {
  t.like(checkLiveness(withLiveness(line(undefined), [done], [weakNext()])), { verdict: "ok", complete: true, distinct: 4 })
  // i -> c, then c stutters: a fair behaviour that never gets done, within the bound.
  t.like(checkLiveness(withLiveness(line("b", true), [done], [weakNext()])), { verdict: "violation", property: "Done" })
  // The goal holds in the graph (at the cut state itself): not vacuous.
  t.like(checkLiveness(withLiveness(line("b"), [eventually<string>("AtB", (s) => s === "b")], [weakNext()])), { verdict: "ok" })
})

test("P ~> Q: the goal is Q", (t) => {
  const system = withLiveness(line("b"), [leadsTo<string>("ALeadsToDone", (s) => s === "a", (s) => s === "done")], [weakNext()])
  t.throws(() => checkLiveness(system), { instanceOf: VacuousLivenessError, message: /ALeadsToDone cannot fail: no explored state has its goal \(Q\)/ })
})

test("ping-pong with no message allowed in flight: the client can never be done, refused; with one in flight it passes", (t) => {
  const ping = (inFlight: number) => {
    const config = pingConfig({ workloads: [pingWorkload("client1", 1)], network: { delivery: "multiset", drops: true } })
    const system = compile(config, { name: "pingpong-liveness", properties: [inFlightAtMost(inFlight)] })
    const delivery = strongFairness<Event>((e) => (e.k === "deliver" ? system.formatLabel(e) : undefined))
    const timers = weakFairness<Event>((e) => (e.k === "timer" ? system.formatLabel(e) : undefined))
    return withLiveness<ProtocolState, Event>(system, [eventually("ClientsDone", allClientsDone)], [delivery, timers])
  }
  t.throws(() => explore(ping(0)), { instanceOf: VacuousLivenessError, message: /ClientsDone cannot fail.*IN_FLIGHT_AT_MOST_0/ })
  t.like(explore(ping(1)), { verdict: "ok", complete: true })
})
