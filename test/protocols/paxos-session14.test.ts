/**
 * Session 14's Multi-Paxos checks (issue 14), each shown catching a catalogue mutant
 * (bench/mutants/paxos.ts, restated) with a short trace, imported from a mutated copy of the sources
 * (mutant-tree.ts). live-client-finds-leader (a liveness search, faults.forgetDown): a leader-mode
 * client whose retries go only to the server it first chose (leader-retry-stays: missed by every named
 * test before, no test ran such a client across a change of leader) never completes once that leader
 * crashed for good: a lasso of 8 steps.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

/** The catalogue's mutants (same names), restated. */
const MUTANTS: Record<string, Edit> = {
  "leader-retry-stays": { file: "src/core/exactly-once.ts", search: "const out = leader ? { ...s, target: (s.target! + 1) % list.length } : s", replace: "const out = s" },
}

shortTraceTests("paxos", "src/protocols/paxos/model.ts", "paxosModel", MUTANTS, [{ name: "live-client-finds-leader", mutant: "leader-retry-stays", property: "ClientsDone", steps: 8 }])
