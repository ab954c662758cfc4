/**
 * new-primary-keeps-inflight judged benign, re-checked (issue 14 item 5, session 6b): its premise is an
 * invariant (primarybackup/premises.ts HELD_OPS_PENDING_OR_EXECUTED) that fails on a state that breaks
 * it and holds on every state the primary-backup searches reach, the failover ones included.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { withProperties } from "../../src/checker/transition-system.ts"
import type { ProtocolState } from "../../src/core/compile.ts"
import { AMOCommand, AMOResult } from "../../src/core/application.ts"
import { put } from "../../src/core/kv.ts"
import { primaryBackupModel } from "../../src/protocols/primarybackup/model.ts"
import { heldOpsPendingOrExecuted } from "../../src/protocols/primarybackup/premises.ts"

const op = (seq: number) => new AMOCommand({ command: put("k", "v"), client: "client1", seq })
/** View service, server1 (primary holding op 1), server2, client1 with `pending`; server1's table has `executed`. */
const world = (pending: number | null, executed: number | null) =>
  ({
    nodes: [
      { up: true },
      { up: true, state: { view: { num: 2, primary: "server1", backup: "server2" }, inflight: op(1), queue: [], state: { app: {}, last: new Map(executed === null ? [] : [["client1", { seq: executed } as AMOResult]]) } } },
      { up: true },
      { up: true, state: { pending: pending === null ? null : op(pending) } },
    ],
    net: [],
  }) as unknown as ProtocolState

test("HELD_OPS_PENDING_OR_EXECUTED fails on a held operation its client abandoned and the primary never executed, holds otherwise", (t) => {
  const p = heldOpsPendingOrExecuted(2)
  t.false(p.holds(world(null, null)))
  t.false(p.holds(world(2, null)))
  t.true(p.holds(world(1, null)))
  t.true(p.holds(world(null, 1)))
})

for (const name of ["exhaustive-small", "failover-search", "stale-after-rejoin", "stale-after-swap", "stale-after-rejoin-done"]) {
  test(`HELD_OPS_PENDING_OR_EXECUTED holds on primarybackup ${name}`, (t) => {
    const nt = primaryBackupModel.tests[name]!
    const sys = nt.build({}, 1) as Parameters<typeof withProperties<ProtocolState, unknown>>[0]
    const r = explore(withProperties(sys, [...sys.properties, heldOpsPendingOrExecuted(2)]), { seed: 1, ...nt.options })
    t.is(r.verdict, nt.expect!, `${r.property ?? ""} ${r.detail ?? ""}`)
  })
}
