import test from "ava"
import { checkPinned } from "./state-counts.ts"
import { fastNamedTest } from "./slow-named-tests.ts"
import { explore } from "../../src/checker/explore.ts"
import { lastState, replayLabels } from "../../src/checker/path.ts"
import type { CheckResult } from "../../src/checker/result.ts"
import type { ProtocolState } from "../../src/core/compile.ts"
import { simReport, type TimedState } from "../../src/core/timed.ts"
import { BACKUP_REPLACED, PRIMARY_CRASH, primaryBackupModel, REPEATED_FAILOVERS } from "../../src/protocols/primarybackup/model.ts"
import { serverRole, viewService } from "../../src/protocols/primarybackup/properties.ts"

const SEED = 1
const results = new Map<string, CheckResult<any, any>>()
const run = (name: string) => {
  let r = results.get(name)
  if (!r) {
    const t = primaryBackupModel.tests[name]!
    r = explore(t.build({}, SEED), { ...t.options, seed: SEED })
    results.set(name, r)
  }
  return r
}
/** The view service never crashes. */
const vs = (w: ProtocolState) => viewService.state(w)!

// The bug hunts (hunt-*) are long searches: pb-hunt.test.ts runs them with a small budget. The slow
// ones of slow-named-tests.ts run in named-tests.slow.test.ts (npm run test:slow).
for (const [name, t] of Object.entries(primaryBackupModel.tests).filter(([n]) => !n.startsWith("hunt-") && fastNamedTest("primarybackup", n)))
  test.serial(`primarybackup ${name}: ${t.expect}`, (tt) => {
    const t0 = performance.now()
    const r = run(name)
    tt.log(`${r.verdict} ${r.property ?? ""} ${r.detail ?? ""} distinct=${r.distinct} depth=${r.depth} complete=${r.complete} ${((performance.now() - t0) / 1000).toFixed(1)}s`)
    tt.not(t.expect, undefined)
    tt.is(r.verdict, t.expect!)
    checkPinned(tt, `primarybackup/${name}`, r)
  })

test.serial("primarybackup exhaustive-small explores its whole (view-bounded) space", (t) => {
  const r = run("exhaustive-small")
  t.true(r.complete)
  t.true(r.distinct > 1000)
})

test.serial("primarybackup planted bug: a short trace that replays to BACKUP_MIRRORS_PRIMARY (the primary executed before its backup)", (t) => {
  const r = run("bug-answer-before-backup")
  t.is(r.property, "BACKUP_MIRRORS_PRIMARY")
  const labels = r.path!.steps.map((s) => s.text)
  t.log(labels.join("\n"))
  t.true(labels.length <= 16, `trace of ${labels.length} steps`)
  const system = primaryBackupModel.tests["bug-answer-before-backup"]!.build({}, SEED)
  const violated = system.properties.find((p) => p.name === "BACKUP_MIRRORS_PRIMARY")!
  t.false(violated.holds(lastState(replayLabels(system, r.path!.initialIndex, labels))))
  t.true(violated.holds(lastState(replayLabels(system, r.path!.initialIndex, labels.slice(0, -1)))))
})

test.serial("primarybackup views: a primary alone first, then a backup", (t) => {
  const r = run("primary-then-backup")
  const views = r.path!.steps.map((s) => vs(s.state as ProtocolState).view)
  const v1 = views.find((v) => v.num === 1)!
  t.truthy(v1.primary)
  t.is(v1.backup, null)
  const v2 = views.at(-1)!
  t.is(v2.num, 2)
  t.is(v2.primary, v1.primary)
  t.truthy(v2.backup)
  t.not(v2.backup, v2.primary)
})

/** The server a fault crashed at `time`, read from the trace's label. */
const crashedAt = (r: CheckResult<any, any>, time: number): string | null =>
  r.path!.steps.map((s) => new RegExp(`^@${time} crash (\\S+)$`).exec(s.text)?.[1]).find((x) => x !== undefined) ?? null

/** The view service's view just before `time`. */
const viewAt = (r: CheckResult<any, any>, time: number) => vs(r.path!.steps.filter((s) => (s.state as TimedState).now < time).at(-1)!.state as ProtocolState).view

test.serial("primarybackup primary crash: the crashed server was the primary; its backup took over; nothing lost", (t) => {
  const r = run("primary-crash")
  const [[at]] = PRIMARY_CRASH
  const before = viewAt(r, at)
  t.truthy(before.primary)
  t.is(crashedAt(r, at), before.primary)
  const end = lastState(r.path!) as TimedState
  t.is(vs(end).view.primary, before.backup)
  t.is(simReport(end).unanswered, 0)
  // The new primary executed every operation of both clients exactly once.
  const s = [0, 1, 2].map((i) => serverRole(i).state(end)).find((x) => x?.view.primary === before.backup)!
  const last = s.state.last
  t.is(last.get("client1")!.seq, 40)
  t.is(last.get("client2")!.seq, 40)
})

test.serial("primarybackup backup replaced: a state transfer makes the idle server a backup that later serves", (t) => {
  const r = run("backup-replaced")
  const [[t1], [t2]] = BACKUP_REPLACED
  const v = viewAt(r, t1)
  const backup = crashedAt(r, t1)
  const primary = crashedAt(r, t2)
  t.truthy(backup)
  t.is(v.backup, backup)
  t.is(v.primary, primary)
  const replaced = viewAt(r, t2)
  t.is(replaced.primary, primary)
  t.not(replaced.backup, backup)
  t.truthy(replaced.backup)
  const end = lastState(r.path!) as TimedState
  t.is(vs(end).view.primary, replaced.backup)
  t.is(simReport(end).unanswered, 0)
})

test.serial("primarybackup repeated failovers: each crash hits the primary of the moment", (t) => {
  const r = run("repeated-failovers")
  const primaries = new Set<string>()
  for (const [at] of REPEATED_FAILOVERS) {
    const node = crashedAt(r, at)
    t.truthy(node)
    t.is(viewAt(r, at).primary, node)
    primaries.add(node!)
  }
  const end = lastState(r.path!) as TimedState
  primaries.add(vs(end).view.primary!)
  t.is(primaries.size, 4)
  t.is(simReport(end).unanswered, 0)
  t.log(simReport(end))
})
