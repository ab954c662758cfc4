/**
 * Session 13's primary-backup check (issue 14, blind wave 8), shown catching a mutant of the wave
 * (bench/mutants/primarybackup/catalogue.ts, restated) with a short trace, from a mutated copy of the
 * sources (mutant-tree.ts): staged-failover-third (failover-third.ts) for promoted-backup-keeps-ready,
 * by ACKED_VIEW_HELD, caught before only by the seeded swarm hunt (25-31 steps): no search had a
 * backup promoted with a new backup in the same view change.
 *
 * That the shipped protocol passes this search, primarybackup.test.ts checks with every named test.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const server = "src/protocols/primarybackup/server.ts"
/** The catalogue's mutant (same name), restated. */
const MUTANTS: Record<string, Edit> = {
  "promoted-backup-keeps-ready": {
    file: server,
    search: "const next: ServerState<A> = { ...s, view: v, ready: v.backup === null, inflight: null, queue: [], promoted }",
    replace: "const next: ServerState<A> = { ...s, view: v, ready: v.backup === null || (s.ready && s.view.backup === ctx.self), inflight: null, queue: [], promoted }",
  },
}

const cases = [{ name: "staged-failover-third", mutant: "promoted-backup-keeps-ready", property: "ACKED_VIEW_HELD", steps: 15 }] as const

shortTraceTests("primarybackup", "src/protocols/primarybackup/model.ts", "primaryBackupModel", MUTANTS, cases)
