/**
 * Session 10's primary-backup search (issue 14), shown catching forward-ack-any-view (a mutant of
 * session 9's blind wave, bench/mutants/primarybackup/catalogue.ts, restated) in a copy of the sources
 * (mutant-tree.ts): staged-stale-ack (stale-ack.ts), three servers, where the third takes the old
 * backup's place in view 3, in 20 steps; stale-after-rejoin, with two servers, needs views 1 to 4 and 23.
 * That the shipped protocol passes it, primarybackup.test.ts checks with every named test.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const MUTANTS: Record<string, Edit> = {
  "forward-ack-any-view": {
    file: "src/protocols/primarybackup/server.ts",
    search: "if (!isPrimary(s, ctx.self) || c === null || m.num !== s.view.num || m.client !== c.client || m.seq !== c.seq) return s",
    replace: "if (!isPrimary(s, ctx.self) || c === null || m.client !== c.client || m.seq !== c.seq) return s",
  },
}

const cases = [{ name: "staged-stale-ack", mutant: "forward-ack-any-view", property: "BACKUP_MIRRORS_PRIMARY", steps: 20 }] as const

shortTraceTests("primarybackup", "src/protocols/primarybackup/model.ts", "primaryBackupModel", MUTANTS, cases)
