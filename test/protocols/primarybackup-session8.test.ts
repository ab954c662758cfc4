/**
 * Session 8's primary-backup promptness checks (primarybackup/prompt-steps.ts), in the staged search
 * staged-second-client-queued, each shown catching a catalogue mutant
 * (bench/mutants/primarybackup/catalogue.ts, restated) with a trace, where only prompt-service's
 * deadline caught them before (no trace): queue-drops-ops (REQUEST_TAKEN) and client-waits-for-timer
 * (CLIENT_FOLLOWS_PRIMARY). Without the checks the search reaches its goal on both (the clients' retries
 * finish the work), so each case fails. The shipped protocol passes it: primarybackup.test.ts runs
 * every named test.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const MUTANTS: Record<string, Edit> = {
  "queue-drops-ops": {
    file: "src/protocols/primarybackup/server.ts",
    search: "return { ...s, queue: [...s.queue.filter((q) => q.client !== c.client), c] }",
    replace: "return s",
  },
  "client-waits-for-timer": {
    file: "src/protocols/primarybackup/client.ts",
    search: "const next = { ...s, primary: m.view.primary }\n        send(next, ctx)\n",
    replace: "const next = { ...s, primary: m.view.primary }\n",
  },
}

const cases = [
  { name: "staged-second-client-queued", mutant: "queue-drops-ops", property: "REQUEST_TAKEN", steps: 14 },
  { name: "staged-second-client-queued", mutant: "client-waits-for-timer", property: "CLIENT_FOLLOWS_PRIMARY", steps: 14 },
] as const

shortTraceTests("primarybackup", "src/protocols/primarybackup/model.ts", "primaryBackupModel", MUTANTS, cases)
