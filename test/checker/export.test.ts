import test from "ava"
import { bfs } from "../../src/checker/explore.ts"
import { toItf, toShiViz } from "../../src/checker/export.ts"
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
