/**
 * Session 9's primary-backup check (issue 14), shown catching a mutant of the session's blind wave
 * (bench/mutants/primarybackup/catalogue.ts, restated) with a short trace, imported from a mutated
 * copy of the sources (mutant-tree.ts): VIEWS_OF_LIVE_SERVERS in staged-view-after-crash
 * (views-of-live.ts) for promote-dead-backup, which before was caught only as a liveness lasso of 30
 * steps (live-backup-crash). That the shipped protocol passes it, primarybackup.test.ts checks with
 * every named test.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const MUTANTS: Record<string, Edit> = {
  "promote-dead-backup": {
    file: "src/protocols/primarybackup/server.ts",
    search: "if (v.backup === null || !alive.has(v.backup)) return undefined",
    replace: "if (v.backup === null) return undefined",
  },
}

const cases = [{ name: "staged-view-after-crash", mutant: "promote-dead-backup", property: "VIEWS_OF_LIVE_SERVERS", steps: 10 }] as const

shortTraceTests("primarybackup", "src/protocols/primarybackup/model.ts", "primaryBackupModel", MUTANTS, cases)
