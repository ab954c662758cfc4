/**
 * Shard-group code that no named test executed before (bench/coverage-protocols.ts), each branch now
 * reached by a cheap named search that catches a mutant of it with a short trace, imported from a
 * mutated copy of the sources (mutant-tree.ts):
 *
 * - group.ts `request`: a request older than the client's last reply must be ignored; a dedup table that
 *   answers only the last sequence number from its table executes the old one again.
 *   groups-stale-requests (stale-requests.ts) redelivers answered requests late: an Append applied twice.
 *
 * That the shipped protocol passes the search, models.test.ts checks with every named test.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const group = "src/protocols/shardkv/group.ts"
const MUTANTS: Record<string, Edit> = {
  "dedup-last-seq-only": {
    file: group,
    search: "if (last !== undefined && last.seq >= r.seq) return",
    replace: "if (last !== undefined && last.seq === r.seq) return",
  },
}

const cases = [{ name: "groups-stale-requests", mutant: "dedup-last-seq-only", property: "ServedDataMatchesSpec", steps: 5 }] as const

shortTraceTests("shardkv", "src/protocols/shardkv/model.ts", "shardKvModel", MUTANTS, cases)
