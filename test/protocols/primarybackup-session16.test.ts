/**
 * Session 16's primary-backup checks (issue 14, blind wave 11), each shown catching a mutant of the wave
 * (bench/mutants/primarybackup/catalogue.ts, restated) from a mutated copy of the sources
 * (mutant-tree.ts; bench/mutants/rpb-session16.json has the first pass):
 *
 * - TRANSFER_RESENT (prompt-steps.ts), in the live-failover family, for transfer-not-resent; that
 *   search's first stage now keeps a violating path (as staged() does) instead of throwing, so the
 *   violation comes with its trace;
 * - VIEW_REPLY_CURRENT (views-of-live.ts), in every checked search, for viewreply-before-advance.
 *
 * That the shipped protocol passes these searches, primarybackup.test.ts checks.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const MUTANTS: Record<string, Edit> = {
  "transfer-not-resent": { file: "src/protocols/primarybackup/server.ts", search: "        ping(s, ctx)\n        resend(s, ctx)\n", replace: "        ping(s, ctx)\n        if (s.ready) resend(s, ctx)\n" },
  "viewreply-before-advance": {
    file: "src/protocols/primarybackup/server.ts",
    search: "      s = advance(s, new Set([...s.live, ...s.pinged]))\n      ctx.send(from, new ViewReply({ view: s.view }))\n",
    replace: "      ctx.send(from, new ViewReply({ view: s.view }))\n      s = advance(s, new Set([...s.live, ...s.pinged]))\n",
  },
}

const cases = [
  { name: "live-failover", mutant: "transfer-not-resent", property: "TRANSFER_RESENT", steps: 6 },
  { name: "stale-after-rejoin", mutant: "viewreply-before-advance", property: "VIEW_REPLY_CURRENT", steps: 4 },
] as const

shortTraceTests("primarybackup", "src/protocols/primarybackup/model.ts", "primaryBackupModel", MUTANTS, cases)
