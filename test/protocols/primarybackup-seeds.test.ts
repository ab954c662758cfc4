/**
 * Session 11's primary-backup checks (the seed problem): catches that only the swarm hunt made, with
 * a trace whose length depended on the seed, each now made by a search whose verdict does not depend
 * on the seed, shown catching the catalogue's mutant (bench/mutants/primarybackup/catalogue.ts,
 * restated) in a mutated copy of the sources (mutant-tree.ts):
 *
 * - VIEW_CHANGE_ACKED (views-of-live.ts), checked in every interleaving search, for
 *   view-change-without-ack, which hunt-swarm-3 caught with 23 to 45 steps under seeds 2, 3, 5, 8
 *   (bench/mutants/rpb-seeds.json), only through a later failover losing an acknowledged write;
 * - exhaustive-one-server (model.ts: one server, one client's three operations, replies delivered
 *   again late) for client-accepts-stale-reply, which hunt-swarm-3 caught with 7 to 13 steps;
 * - LIVE_SERVERS_KEPT (views-of-live.ts), checked in every interleaving search, for the blind mutant
 *   alive-only-this-period, which only prompt-service's deadline caught (a goal not reached, no trace).
 *
 * That the shipped protocol passes these searches, primarybackup.test.ts checks with every named test.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const MUTANTS: Record<string, Edit> = {
  "view-change-without-ack": {
    file: "src/protocols/primarybackup/server.ts",
    search: "if (!s.acked || v.primary === null) return undefined",
    replace: "if (v.primary === null) return undefined",
  },
  "client-accepts-stale-reply": {
    file: "src/protocols/primarybackup/client.ts",
    search: "if (s.pending === null || m.result.seq !== s.pending.seq) return s",
    replace: "if (s.pending === null) return s",
  },
  "alive-only-this-period": {
    file: "src/protocols/primarybackup/server.ts",
    search: "s = advance(s, new Set([...s.live, ...s.pinged]))",
    replace: "s = advance(s, s.pinged)",
  },
}

const cases = [
  { name: "exhaustive-small", mutant: "view-change-without-ack", property: "VIEW_CHANGE_ACKED", steps: 2 },
  { name: "exhaustive-one-server", mutant: "client-accepts-stale-reply", property: "RESULTS_OK", steps: 7 },
  { name: "stale-after-rejoin", mutant: "alive-only-this-period", property: "LIVE_SERVERS_KEPT", steps: 9 },
] as const

shortTraceTests("primarybackup", "src/protocols/primarybackup/model.ts", "primaryBackupModel", MUTANTS, cases)
