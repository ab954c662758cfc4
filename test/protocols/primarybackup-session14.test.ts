/**
 * Session 14's primary-backup check (issue 14, blind wave 9), shown catching a mutant of the wave
 * (bench/mutants/primarybackup/catalogue.ts, restated) with a short trace, from a mutated copy of the
 * sources (mutant-tree.ts): stale-read-after-swap (model.ts) for backup-serves-reads, by
 * BACKUP_MIRRORS_PRIMARY, caught before only by the seeded hunts (33-85 steps): no search had a client
 * send a read to a server that is the backup of the view it knows (there, a client that learned of view
 * 3 before server2, still the backup of view 2, did).
 *
 * That the shipped protocol passes this search, primarybackup.test.ts checks with every named test.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const server = "src/protocols/primarybackup/server.ts"
/** The catalogue's mutant (same name), restated. */
const MUTANTS: Record<string, Edit> = {
  "backup-serves-reads": {
    file: server,
    search: "        if (!isPrimary(s, ctx.self) || !s.ready) return s\n        if (answerIfExecuted(s.state, c, ctx)) return s\n",
    replace:
      "        if (isBackup(s, ctx.self) && s.ready && app.readOnly?.(c.command) === true) return executeAndReply(s, c, ctx)\n        if (!isPrimary(s, ctx.self) || !s.ready) return s\n        if (answerIfExecuted(s.state, c, ctx)) return s\n",
  },
}

const cases = [{ name: "stale-read-after-swap", mutant: "backup-serves-reads", property: "BACKUP_MIRRORS_PRIMARY", steps: 18 }] as const

shortTraceTests("primarybackup", "src/protocols/primarybackup/model.ts", "primaryBackupModel", MUTANTS, cases)
