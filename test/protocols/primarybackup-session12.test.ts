/**
 * Session 12's primary-backup checks (issue 14, blind wave 7), each shown catching a mutant of the
 * wave (bench/mutants/primarybackup/catalogue.ts, restated) with a short trace, from a mutated copy
 * of the sources (mutant-tree.ts):
 *
 * - ACKED_VIEW_HELD (acked-view-held.ts) in staged-second-client-queued for
 *   transfer-of-known-view-ignored and primary-stays-ready-on-new-backup, caught before by
 *   ACKED_OPS_REPLICATED in stale-after-rejoin-done with 25 and 19 steps;
 * - INFLIGHT_UNEXECUTED (inflight-unexecuted.ts) in staged-second-client-queued for
 *   inflight-not-cleared-on-ack, which that search caught before only as a goal not reached.
 *
 * That the shipped protocol passes these searches, primarybackup.test.ts checks with every named test.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const server = "src/protocols/primarybackup/server.ts"
/** The catalogue's mutants (same names), restated. */
const MUTANTS: Record<string, Edit> = {
  "transfer-of-known-view-ignored": { file: server, search: "if (v.num === s.view.num && s.ready) return s", replace: "if (v.num === s.view.num) return s" },
  "primary-stays-ready-on-new-backup": {
    file: server,
    search: "const next: ServerState<A> = { ...s, view: v, ready: v.backup === null, inflight: null, queue: [], promoted }",
    replace: "const next: ServerState<A> = { ...s, view: v, ready: v.backup === null || (s.ready && s.view.primary === ctx.self), inflight: null, queue: [], promoted }",
  },
  "inflight-not-cleared-on-ack": { file: server, search: "let next = executeAndReply({ ...s, inflight: null }, c, ctx)", replace: "let next = executeAndReply(s, c, ctx)" },
}

const cases = [
  { name: "staged-second-client-queued", mutant: "transfer-of-known-view-ignored", property: "ACKED_VIEW_HELD", steps: 10 },
  { name: "staged-second-client-queued", mutant: "primary-stays-ready-on-new-backup", property: "ACKED_VIEW_HELD", steps: 6 },
  { name: "staged-second-client-queued", mutant: "inflight-not-cleared-on-ack", property: "INFLIGHT_UNEXECUTED", steps: 13 },
] as const

shortTraceTests("primarybackup", "src/protocols/primarybackup/model.ts", "primaryBackupModel", MUTANTS, cases)
