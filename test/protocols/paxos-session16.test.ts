/**
 * Session 16 (issue 14, bench/mutants/paxos-session16.json): wave 14's two first-pass misses, each
 * shown on its catalogue mutant (bench/mutants/paxos.ts, restated as one edit) imported from a mutated
 * copy of the sources (mutant-tree.ts). former-leader-after-noop (former-leader-after-noop.ts, two
 * leader changes): a candidate's merge that passes over accepted no-ops (merge-skips-accepted-noops)
 * re-proposes the first leader's stale command over the no-op its successor had chosen,
 * CHOSEN_BY_MAJORITY in 15 steps. EXECUTED_STORED now reads a persisting replica's saved slot too: a
 * recovery that counts every stored chosen slot as saved, past a hole (recover-saved-past-gaps), breaks
 * it 6 steps into hunt-crash-recovery.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const MUTANTS: Record<string, Edit> = {
  "merge-skips-accepted-noops": {
    file: "src/protocols/paxos/server.ts",
    search: "      if (slot < cleared) continue\n",
    replace: '      if (slot < cleared || (!e.chosen && e.command._tag === "Noop")) continue\n',
  },
  "recover-saved-past-gaps": {
    file: "src/protocols/paxos/server.ts",
    search: "        saved: slotOut,\n",
    replace: "        saved: Math.max(slotOut, ...[...d.log].filter(([, e]) => e.chosen).map(([k]) => k + 1)),\n",
  },
}

shortTraceTests("paxos", "src/protocols/paxos/model.ts", "paxosModel", MUTANTS, [
  { name: "former-leader-after-noop", mutant: "merge-skips-accepted-noops", property: "CHOSEN_BY_MAJORITY", steps: 15 },
  { name: "hunt-crash-recovery", mutant: "recover-saved-past-gaps", property: "EXECUTED_STORED", steps: 6 },
])
