/**
 * Session 16's transaction checks (issue 14): two staged searches that start where session 15's long
 * catches matter (bench/mutants/shard-session15.json), each shown catching its mutant
 * (bench/mutants/shardtxn/catalogue.ts, restated) with a short trace from a mutated copy of the sources
 * (mutant-tree.ts, seed 1; seeds 1-10 in the commit):
 *
 * - walks-coordinator-crash-voting (walks on Raft from the votes on their way, the coordinator crashing
 *   and restarting): late-vote-redecides (a vote recorded after the decision decides again) turns the new
 *   leader's abort into a commit (DecisionFinal), in 7-8 steps; walks-coordinator-crash took 14.
 * - search-partial-overlap (bfs from the clients' first transactions, MultiPuts overlapping on one key):
 *   refused-prepare-keeps-partial-locks (a refused Prepare keeps the locks of its free keys) leaks a
 *   lock (LocksHeldByPrepared) in 1-3 steps; walks-next-txn-elsewhere took 11-12.
 * - walks-read-own-writes (walks from the clients' first transactions, both groups' shards in; a client
 *   whose transactions read keys they wrote and swapped): blind wave 11's reads-from-voted-values (the
 *   coordinator takes the reads from the voted values, not by running the steps) commits reads of the
 *   store before the transaction (REFINES_KV_TXN) in 1-6 steps under seeds 1-10.
 *
 * That the shipped protocol passes each is checked below.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { SHARDTXN_TESTS } from "../../src/protocols/shardtxn/model.ts"
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const group = "src/protocols/shardtxn/group.ts"
const MUTANTS: Record<string, Edit> = {
  "late-vote-redecides": {
    file: group,
    search: 'if (c === undefined || c.decision !== "pending" || c.votes.has(v.group) ||',
    replace: "if (c === undefined || c.votes.has(v.group) ||",
  },
  "refused-prepare-keeps-partial-locks": {
    file: group,
    search: "if (!free) return withState(s, { seen: mark })",
    replace: "if (!free) return withState(s, { seen: mark, locks: new Map([...s.locks, ...locked.filter((k) => !s.locks.has(k)).map((k) => [k, p.id.client] as const)]) })",
  },
  "reads-from-voted-values": {
    file: group,
    search: 'return new Coordinated({ ...c, decision: "commit", reads: [...run(c).output.reads] })',
    replace: 'return new Coordinated({ ...c, decision: "commit", reads: c.steps.flatMap((st) => (st._tag === "TxnRead" ? [[...c.votes.values()].map((v) => v?.get(st.key)).find((x) => x !== undefined) ?? null] : [])) })',
  },
}

shortTraceTests("shardtxn", "src/protocols/shardtxn/model.ts", "shardTxnModel", MUTANTS, [
  { name: "walks-coordinator-crash-voting", mutant: "late-vote-redecides", property: "DecisionFinal", steps: 10 },
  { name: "search-partial-overlap", mutant: "refused-prepare-keeps-partial-locks", property: "LocksHeldByPrepared", steps: 4 },
  { name: "walks-read-own-writes", mutant: "reads-from-voted-values", property: "REFINES_KV_TXN", steps: 8 },
])

for (const [name, verdict] of [["walks-coordinator-crash-voting", "goal-found"], ["search-partial-overlap", "budget-exhausted"], ["walks-read-own-writes", "goal-found"]] as const)
  test(`shardtxn ${name}: the shipped protocol passes (seed 1)`, (t) => {
    const named = SHARDTXN_TESTS[name]
    t.is(explore(named.build({}, 1), { seed: 1, ...named.options }).verdict, verdict)
  })
