/**
 * VIEW_WELL_FORMED (primarybackup/view-well-formed.ts): it fails on a view naming one server primary
 * and backup, and catches the catalogue mutant
 * idle-may-be-backup (bench/mutants/primarybackup/catalogue.ts, restated: tests do not import
 * benchmarks) with a trace, where that search only stalled before. prompt-failovers: the shipped
 * protocol finishes by its deadline (primarybackup.test.ts runs every named test on it), the mutant
 * client-waits-for-timer does not.
 */
import test from "ava"
import type { ProtocolState } from "../../src/core/compile.ts"
import { View } from "../../src/protocols/primarybackup/server.ts"
import { viewWellFormed } from "../../src/protocols/primarybackup/view-well-formed.ts"
import { exploreMutated } from "./mutant-tree.ts"

const CLIENT_WAITS_FOR_TIMER = {
  file: "src/protocols/primarybackup/client.ts",
  search: "const next = { ...s, primary: m.view.primary }\n        send(next, ctx)\n",
  replace: "const next = { ...s, primary: m.view.primary }\n",
}

const IDLE_MAY_BE_BACKUP = {
  file: "src/protocols/primarybackup/server.ts",
  search: "const idle = sorted(alive).find((a) => a !== v.primary && a !== v.backup) ?? null",
  replace: "const idle = sorted(alive).find((a) => a !== v.primary) ?? null",
}

test("VIEW_WELL_FORMED fails on a view with one server as primary and backup, or a backup and no primary", (t) => {
  const world = (view: View) => ({ nodes: [{ up: true, state: { view } }], net: [] }) as unknown as ProtocolState
  const p = viewWellFormed()
  t.true(p.holds(world(new View({ num: 2, primary: "server1", backup: "server2" }))))
  t.true(p.holds(world(new View({ num: 1, primary: "server1", backup: null }))))
  t.false(p.holds(world(new View({ num: 3, primary: "server2", backup: "server2" }))))
  t.false(p.holds(world(new View({ num: 3, primary: null, backup: "server2" }))))
})

test("primarybackup stale-after-swap: idle-may-be-backup breaks VIEW_WELL_FORMED in at most 16 steps", async (t) => {
  const r = await exploreMutated(IDLE_MAY_BE_BACKUP, "src/protocols/primarybackup/model.ts", "primaryBackupModel", "stale-after-swap")
  t.is(r.verdict, "violation")
  t.is(r.property, "VIEW_WELL_FORMED")
  t.true(r.path!.steps.length <= 16, `trace of ${r.path!.steps.length} steps`)
})

test("primarybackup prompt-failovers: a client that waits for its retry timer after learning the new primary does not finish by time 1200", async (t) => {
  t.is((await exploreMutated(CLIENT_WAITS_FOR_TIMER, "src/protocols/primarybackup/model.ts", "primaryBackupModel", "prompt-failovers")).verdict, "goal-not-found")
})
