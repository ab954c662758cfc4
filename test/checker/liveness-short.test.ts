/**
 * Short lassos: the cycle printed is a small fair cycle near the initial states, not a walk through
 * every fairness class of the whole component it lies in; and a planted protocol bug is still caught
 * by a lasso that replays and passes the re-check (checkLasso, what `tla-ts replay` runs).
 */
import test from "ava"
import { checkLasso, checkLiveness } from "../../src/checker/liveness.ts"
import { explore } from "../../src/checker/explore.ts"
import type { NamedTest } from "../../src/checker/model.ts"
import { replayLabels } from "../../src/checker/path.ts"
import { plainFingerprint } from "../../src/checker/plain.ts"
import { eventually, strongFairness, weakFairness, withLiveness } from "../../src/checker/temporal.ts"
import type { TransitionSystem } from "../../src/checker/transition-system.ts"
import { CLIENTSERVER_TESTS } from "../../src/protocols/clientserver/model.ts"
import { labelsOf } from "../helpers.ts"

/** A spec from a table of named steps from "i": state -> [[label, next]...]. */
const table = (steps: Record<string, ReadonlyArray<readonly [string, string]>>): TransitionSystem<string, string> => ({
  name: "table",
  initial: () => ["i"],
  successors: (s, emit) => (steps[s] ?? []).forEach(([l, t]) => emit(l, t)),
  fingerprint: plainFingerprint,
  formatLabel: (l) => l,
  view: (s) => ({ at: s }),
  properties: [],
})

/** A loop from -> z1 -> ... -> z8 -> from, each step its own label ("fromz1", "z1z2", ..., "z8from"). */
const longLoop = (from: string) => {
  const out: Record<string, Array<readonly [string, string]>> = {}
  for (let k = 1; k <= 8; k++) out[k === 1 ? from : `z${k - 1}`] = [[`${k === 1 ? from : `z${k - 1}`}z${k}`, `z${k}`]]
  out["z8"] = [[`z8${from}`, from]]
  return out
}

const confirmed = (system: TransitionSystem<string, string>, labels: string[], loop: number) => {
  const hit = checkLasso(system, { ...replayLabels(system, 0, labels), loop })
  return typeof hit === "string" ? hit : hit.property
}

test("weak fairness per step: the 2-step cycle at the entry, not a walk over the component's 11 classes", (t) => {
  const loop = longLoop("i")
  const system = withLiveness(table({ ...loop, i: [["toB", "b"], ...loop.i!], b: [["back", "i"]] }), [eventually("Done", (s) => s === "done")], [weakFairness((l: string) => l)])
  const r = checkLiveness(system)
  t.like(r, { verdict: "violation", property: "Done" })
  // Every class of the component is taken somewhere in it: a cycle visiting each class once is 11 steps or more.
  t.deepEqual(labelsOf(r.path), ["toB", "back"])
  t.is(r.path!.loop, 0)
  t.is(confirmed(system, labelsOf(r.path), 0), "Done")
})

test("strong fairness forces the entry's long loop: the small fair cycle two steps in is printed instead", (t) => {
  // One SCC {x, y, v, z1..z8}: at x both "xy" and the long loop are strongly fair, so a cycle through x
  // is 11 steps; y -> x is under no fairness, so y <-> v alone is fair. Fair component: the whole SCC.
  const loop = longLoop("x")
  const steps: Record<string, ReadonlyArray<readonly [string, string]>> = { ...loop, i: [["ix", "x"]], x: [["xy", "y"], ...loop.x!], y: [["yv", "v"], ["yx", "x"]], v: [["vy", "y"]] }
  const system = withLiveness(table(steps), [eventually("Done", (s) => s === "done")], [strongFairness((l: string) => (l === "yx" ? undefined : l))])
  const r = checkLiveness(system)
  t.like(r, { verdict: "violation", property: "Done" })
  t.deepEqual(labelsOf(r.path), ["ix", "xy", "yv", "vy"])
  t.is(r.path!.loop, 2)
  t.is(confirmed(system, labelsOf(r.path), 2), "Done")
  // The long cycle through x is fair too (and so a lasso), only longer.
  const viaX = ["ix", "xy", "yv", "vy", "yx", "xz1", ...Array.from({ length: 7 }, (_, k) => `z${k + 1}z${k + 2}`), "z8x"]
  t.is(confirmed(system, viaX, 1), "Done")
})

test("clientserver planted liveness bug (a retry of an executed command is not answered): a 4-step lasso that replays", (t) => {
  const bug = CLIENTSERVER_TESTS["bug-live-silent-retries"] as NamedTest
  const system = bug.build({}, 1)
  const r = explore(system, { ...bug.options, seed: 1 })
  t.like(r, { verdict: "violation", property: "ClientsDone" })
  const labels = labelsOf(r.path)
  t.log(labels.join("\n"))
  t.true(labels.length <= 4, `${labels.length} steps`)
  const hit = checkLasso(system, { ...replayLabels(system, r.path!.initialIndex, labels), loop: r.path!.loop! })
  t.like(hit, { kind: "violation", property: "ClientsDone" })
})
