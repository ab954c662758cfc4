import test from "ava"
import { bfs } from "../../src/checker/explore.ts"
import { sentAtStep, toItf, toShiViz } from "../../src/checker/export.ts"
import type { TransitionSystem } from "../../src/checker/transition-system.ts"
import { walk } from "../../src/checker/walk.ts"
import type { TimedEvent, TimedState } from "../../src/core/timed.ts"
import { clientServerModel } from "../../src/protocols/clientserver/model.ts"
import { twoPhase } from "../../spec/twophase.ts"

test("ITF: one state per step plus the initial one, actions in #meta, values in ITF's encoding", (t) => {
  const system = twoPhase({ rm: 3, bugCommitWithoutAllPrepared: true })
  const path = bfs(system).path!
  const itf = toItf(system, path, "planted bug") as { vars: string[]; states: Array<Record<string, any>> }
  t.deepEqual(itf.vars, ["rmState", "tmState", "tmPrepared", "msgs"])
  t.is(itf.states.length, path.steps.length + 1)
  t.deepEqual(itf.states.map((s) => s["#meta"].action), ["init", ...path.steps.map((s) => s.text)])
  t.is(itf.states.at(-1)!.rmState.r2, "aborted")
  t.deepEqual(itf.states.at(-1)!.tmPrepared, ["r1"])
})

test("ShiViz: an event line and a host clock line per step; a delivery merges the sender's clock", (t) => {
  const system = clientServerModel.tests["bug-execute-retries"]!.build({}, 1)
  const path = bfs(system).path!
  const lines = toShiViz(system, path).trim().split("\n")
  t.is(lines.length, 2 * path.steps.length)
  const clocks = lines.filter((_, i) => i % 2 === 1).map((l) => {
    const [host, json] = [l.slice(0, l.indexOf(" ")), l.slice(l.indexOf(" ") + 1)]
    return { host, clock: JSON.parse(json) as Record<string, number> }
  })
  // Each host's own entry counts its events.
  const own = new Map<string, number>()
  for (const { host, clock } of clocks) {
    own.set(host, (own.get(host) ?? 0) + 1)
    t.is(clock[host], own.get(host)!)
  }
  // The server's reply is sent by a server step and delivered at the client: the client's clock knows it.
  const reply = clocks.findIndex(({ host }) => host === "client1")
  t.true(reply > 0)
  t.true((clocks[reply]!.clock.server ?? 0) >= 1)
})

/** The ShiViz log as (host, clock) per step. */
const shivizClocks = (log: string) =>
  log.trim().split("\n").filter((_, i) => i % 2 === 1).map((l) => ({ host: l.slice(0, l.indexOf(" ")), clock: JSON.parse(l.slice(l.indexOf(" ") + 1)) as Record<string, number> }))

test("ShiViz of a simulated trace: every delivery is linked to the very step that sent its message", (t) => {
  const seed = 7
  const system = clientServerModel.tests["unreliable-20"]!.build({ clients: "2", ops: "5" }, seed) as TransitionSystem<TimedState, TimedEvent>
  const run = walk(system, 100_000, () => 0, () => 0)
  t.is(run.hit?.kind, "goal", `seed ${seed}`)
  const path = run.path
  const clocks = shivizClocks(toShiViz(system, path))
  t.is(clocks.length, path.steps.length)
  let linked = 0
  let deliveries = 0
  let arrows = 0
  path.steps.forEach((step, i) => {
    const c = system.causality!(step.label)
    if (c.sent === undefined) return
    deliveries++
    const at = sentAtStep(system, path, i)
    t.not(at, undefined, `step ${i + 1}: ${step.text}`)
    if (at === undefined) return
    // Independently of the send numbers: the message is in flight after that step and not before it.
    const env = (step.label as Extract<TimedEvent, { k: "deliver" }>).env
    const inFlight = (k: number) => (k === 0 ? path.initial : path.steps[k - 1]!.state).net.some((e) => e.seq === env.seq)
    t.true(inFlight(at) && (at === 0 || !inFlight(at - 1)), `step ${i + 1}: ${step.text}, sent at step ${at}`)
    linked++
    if (at === 0) return
    // The send is a step of the sending node, and the delivery's clock knows it: ShiViz draws the arrow.
    const send = clocks[at - 1]!
    t.is(send.host, c.receives!.split("/")[0], `step ${i + 1} sent at step ${at}`)
    t.true(clocks[i]!.clock[send.host]! >= send.clock[send.host]!, `step ${i + 1}`)
    arrows++
  })
  t.true(deliveries > 20, `${deliveries} deliveries`)
  t.is(linked, deliveries)
  t.true(arrows > 10, `${arrows} arrows`)
})
