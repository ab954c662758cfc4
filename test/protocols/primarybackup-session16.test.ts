/**
 * Session 16's primary-backup check (issue 14, blind wave 11): TRANSFER_RESENT (prompt-steps.ts), in
 * the live-failover family, shown catching transfer-not-resent (bench/mutants/primarybackup/catalogue.ts,
 * restated), which passed every test in the first pass (bench/mutants/rpb-session16.json), from a
 * mutated copy of the sources (mutant-tree.ts). live-failover's first stage now keeps a violating path
 * (as staged() does) instead of throwing, so the violation comes with its trace. That the shipped
 * protocol passes the search, primarybackup.test.ts checks.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const MUTANTS: Record<string, Edit> = {
  "transfer-not-resent": { file: "src/protocols/primarybackup/server.ts", search: "        ping(s, ctx)\n        resend(s, ctx)\n", replace: "        ping(s, ctx)\n        if (s.ready) resend(s, ctx)\n" },
}

const cases = [{ name: "live-failover", mutant: "transfer-not-resent", property: "TRANSFER_RESENT", steps: 6 }] as const

shortTraceTests("primarybackup", "src/protocols/primarybackup/model.ts", "primaryBackupModel", MUTANTS, cases)
