/**
 * Session 16's Raft check (issue 14): staged-late-refusal (late-refusal.ts) shown catching
 * next-index-below-match (bench/mutants/raft/catalogue.ts, restated) with a short trace, from a mutated
 * copy of the sources (mutant-tree.ts); before it, only staged-figure-8 caught it, in 19 steps
 * (bench/mutants/rpb-session15.json). That the shipped protocol passes the search, raft.test.ts checks
 * with every named test.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const server = "src/protocols/raft/server.ts"
/** The catalogue's mutant (same name), restated. */
const MUTANTS: Record<string, Edit> = {
  "next-index-below-match": { file: server, search: "        ni = Math.max(match + 1, Math.min(ni, next))\n", replace: "        ni = Math.min(ni, next)\n" },
}

const cases = [{ name: "staged-late-refusal", mutant: "next-index-below-match", property: "NEXT_INDEX_BOUNDS", steps: 13 }] as const

shortTraceTests("raft", "src/protocols/raft/model.ts", "raftModel", MUTANTS, cases)
