/**
 * Session 14's wave 12 (issue 14, blind, bench/mutants/paxos-session14b.json): two staged searches on
 * leader-confirmed reads (stale-read-ack.ts), each shown catching a catalogue mutant
 * (bench/mutants/paxos.ts, restated as one edit) with a short trace, imported from a mutated copy of
 * the sources (mutant-tree.ts). stale-read-ack: an acknowledgement of an earlier read's probe, still in
 * flight after a newer leader committed a write, counted for a later read (read-stale-ack-counts: first
 * pass, missed by every test) lets the deposed leader answer it without the write, RESULTS_OK in 15
 * steps. read-acked-twice-5: on five servers, one follower's two acknowledgements (of a probe and its
 * re-send on the client's retry) counted as two (read-duplicate-acks-counted: first pass, missed)
 * confirm a deposed leader's read with itself and one follower, RESULTS_OK in 17 steps.
 * live-reads-complete (liveness, a lossy network, at most 2 probes): a retried read that is already
 * pending and probes no more (read-retry-no-reprobe: missed by every test, first pass and after the two
 * searches) never completes once its probes were lost: a lasso of 16 steps.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const reads = "src/core/read-index.ts"
const ACK_GUARD = "        if (reads === undefined || !reads.some((r) => r.epoch === m.epoch && r.probe <= m.probe && !r.acks.includes(from))) return s\n        const next = reads.map((r) => (r.epoch === m.epoch && r.probe <= m.probe && !r.acks.includes(from) ? "
/** The catalogue's mutants (same names), restated as one edit of both the guard and the update. */
const MUTANTS: Record<string, Edit> = {
  "read-stale-ack-counts": { file: reads, search: ACK_GUARD, replace: ACK_GUARD.replaceAll("r.probe <= m.probe", "r.probe >= m.probe") },
  "read-duplicate-acks-counted": { file: reads, search: ACK_GUARD, replace: ACK_GUARD.replaceAll(" && !r.acks.includes(from)", "") },
  "read-retry-no-reprobe": { file: reads, search: "      ctx.broadcast(others(ctx.self), new ReadProbe({ epoch, probe: waiting.probe }))\n      return s", replace: "      return s" },
}

shortTraceTests("paxos", "src/protocols/paxos/model.ts", "paxosModel", MUTANTS, [
  { name: "stale-read-ack", mutant: "read-stale-ack-counts", property: "RESULTS_OK", steps: 15 },
  { name: "read-acked-twice-5", mutant: "read-duplicate-acks-counted", property: "RESULTS_OK", steps: 17 },
  { name: "live-reads-complete", mutant: "read-retry-no-reprobe", property: "ClientsDone", steps: 16 },
])
