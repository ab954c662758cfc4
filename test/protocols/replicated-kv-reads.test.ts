/**
 * Leader-confirmed reads on Raft across a leader change (replicated-kv/read-searches.ts): two
 * mistakes in raft/read-index.ts that no simulated read test saw (a partitioned leader's probes never
 * meet a later term), each caught with a short trace, imported from a mutated copy of the sources
 * (mutant-tree.ts):
 *
 * - a read point that forgets Raft §8 (the commit index of a leader that has committed nothing in its
 *   own term may lag what the previous leader committed): reads-new-leader, a stale get at 11 steps;
 * - probes acknowledged whatever the acknowledging server's term: staged-reads-deposed-leader, a
 *   deposed leader confirmed by servers of the next term answers a stale get at 16 steps.
 *
 * That the shipped protocol passes both searches, models.test.ts checks with every named test.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const readIndex = "src/protocols/raft/read-index.ts"
const MUTANTS: Record<string, Edit> = {
  "read-point-any-term": {
    file: readIndex,
    search: 'readPoint: (s) => (s.role === "leader" && termAt(s, s.commitIndex) === s.term ? s.commitIndex : null),',
    replace: 'readPoint: (s) => (s.role === "leader" ? s.commitIndex : null),',
  },
  "probe-epoch-ignores-term": { file: readIndex, search: "epoch: (s) => `${s.term}`,", replace: "epoch: (s) => `${s.term * 0}`," },
}

const cases = [
  { name: "reads-new-leader", mutant: "read-point-any-term", property: "RESULTS_OK", steps: 11 },
  { name: "staged-reads-deposed-leader", mutant: "probe-epoch-ignores-term", property: "RESULTS_OK", steps: 16 },
] as const

shortTraceTests("replicated-kv", "src/protocols/replicated-kv/model.ts", "replicatedKvModel", MUTANTS, cases)
