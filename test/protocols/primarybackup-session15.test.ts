/**
 * Session 15's primary-backup check (issue 14, blind wave 10), shown catching a mutant of the wave
 * (bench/mutants/primarybackup/catalogue.ts, restated) with a short trace, from a mutated copy of the
 * sources (mutant-tree.ts): VIEW_NUMBERED (views-of-live.ts, in every checked search) in
 * stale-after-rejoin for backup-change-keeps-view-number, caught before by ACKED_VIEW_HELD in 16 steps
 * (bench/mutants/rpb-session15.json). That the shipped protocol passes it, primarybackup.test.ts checks
 * with every named test.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const MUTANTS: Record<string, Edit> = {
  "backup-change-keeps-view-number": {
    file: "src/protocols/primarybackup/server.ts",
    search: "  if (v.backup !== null && !alive.has(v.backup)) return new View({ num: v.num + 1, primary: v.primary, backup: idle })\n",
    replace: "  if (v.backup !== null && !alive.has(v.backup)) return new View({ num: v.num, primary: v.primary, backup: idle })\n",
  },
}

const cases = [{ name: "stale-after-rejoin", mutant: "backup-change-keeps-view-number", property: "VIEW_NUMBERED", steps: 10 }] as const

shortTraceTests("primarybackup", "src/protocols/primarybackup/model.ts", "primaryBackupModel", MUTANTS, cases)
