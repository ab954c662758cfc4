/**
 * Session 9's primary-backup check (issue 14), shown catching a mutant of the session's blind wave
 * (bench/mutants/primarybackup/catalogue.ts, restated) with a short trace, imported from a mutated
 * copy of the sources (mutant-tree.ts): VIEWS_OF_LIVE_SERVERS in staged-view-after-crash
 * (views-of-live.ts) for promote-dead-backup, which before was caught only as a liveness lasso of 30
 * steps (live-backup-crash), and FORWARD_RESENT in live-lossy-view (prompt-steps.ts,
 * liveness-lossy.ts) for forward-not-resent, which no test caught. That the shipped protocol passes it, primarybackup.test.ts checks with
 * every named test.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const MUTANTS: Record<string, Edit> = {
  "promote-dead-backup": {
    file: "src/protocols/primarybackup/server.ts",
    search: "if (v.backup === null || !alive.has(v.backup)) return undefined",
    replace: "if (v.backup === null) return undefined",
  },
  "forward-not-resent": {
    file: "src/protocols/primarybackup/server.ts",
    search: "    else if (s.inflight) ctx.send(s.view.backup, new Forward({ num: s.view.num, command: s.inflight }))\n",
    replace: "",
  },
}

const cases = [
  { name: "staged-view-after-crash", mutant: "promote-dead-backup", property: "VIEWS_OF_LIVE_SERVERS", steps: 10 },
  { name: "live-lossy-view", mutant: "forward-not-resent", property: "FORWARD_RESENT", steps: 12 },
] as const

shortTraceTests("primarybackup", "src/protocols/primarybackup/model.ts", "primaryBackupModel", MUTANTS, cases)
