/**
 * Session 11's Multi-Paxos checks (issue 14, wave 8), each shown catching a wave-8 mutant
 * (bench/mutants/paxos.ts, restated) with a short trace, imported from a mutated copy of the sources
 * (mutant-tree.ts). split-vote-5 (split-vote.ts): on 5 servers a candidate that counted one promise and
 * lost the race stands again; one that keeps its old promises for the new ballot
 * (candidacy-keeps-promises: on 3 servers a first promise completes a quorum, so the 3-server searches
 * never see it) leads without a majority promised (LEADER_PROMISED, 11 steps). RECOVERY_REBUILDS
 * (properties-recovery.ts, in every persisting search): what a server stored, recovered now by its own
 * `recover`, matches the servers that executed as much; a recovery that replays a hole's no-op to the
 * parent (recover-replays-noops: missed in the first pass, and a real restart throws out of the checker
 * with no trace) is caught at the write, before any crash (hunt-noop-last-compaction, 8 steps).
 * ACCEPTS_AT_PROMISE (properties-acceptor.ts, a step property of the hunts and staged searches): an
 * acceptor writes a value only at a ballot at least its promise; one that skips the check for its own
 * leader's messages (accept-from-promised-leader) takes that leader's late phase-2 message of an
 * earlier ballot (stale-votes, 9 steps). live-compaction: always eventually every slot every server
 * executed is cleared; a leader that leaves its own executed slot out of its table
 * (compaction-omits-leader, first pass: only log-compaction-10000's LOG_BOUNDED, after hundreds of
 * steps) never compacts (a lasso of 20 steps).
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const server = "src/protocols/paxos/server.ts"
/** The catalogue's mutants (same names), restated. */
const MUTANTS: Record<string, Edit> = {
  "candidacy-keeps-promises": {
    file: server,
    search: "promises: new Set([ctx.self]),\n          merged: mergeEntries(empty, logEntries(s), s.cleared),",
    replace: "promises: new Set([...s.promises, ctx.self]),\n          merged: mergeEntries(s.merged, logEntries(s), s.cleared),",
  },
  "accept-from-promised-leader": {
    file: server,
    search: "const below = cmpBallot(m.round, m.leader, s0.round, s0.leader) < 0",
    replace: "const below = m.leader !== s0.leader && cmpBallot(m.round, m.leader, s0.round, s0.leader) < 0",
  },
  "compaction-omits-leader": {
    file: server,
    search: "const executed = new Map(s.executed).set(ctx.self, slotOut)\n    return { ...s, slotOut, executed }",
    replace: "return { ...s, slotOut }",
  },
  "recover-replays-noops": {
    file: server,
    search: 'for (let e = d.log.get(slotOut); e?.chosen; e = d.log.get(++slotOut)) if (e.command._tag !== "Noop") ctx.emit(committed(slotOut, e.command))',
    replace: "for (let e = d.log.get(slotOut); e?.chosen; e = d.log.get(++slotOut)) ctx.emit(committed(slotOut, e.command))",
  },
}

shortTraceTests("paxos", "src/protocols/paxos/model.ts", "paxosModel", MUTANTS, [
  { name: "split-vote-5", mutant: "candidacy-keeps-promises", property: "LEADER_PROMISED", steps: 11 },
  { name: "hunt-noop-last-compaction", mutant: "recover-replays-noops", property: "RECOVERY_REBUILDS", steps: 8 },
  { name: "stale-votes", mutant: "accept-from-promised-leader", property: "ACCEPTS_AT_PROMISE", steps: 9 },
  { name: "live-compaction", mutant: "compaction-omits-leader", property: "Compacted", steps: 20 },
])

test("split-vote-5: the shipped server reaches the search's goal with every invariant kept", async (t) => {
  const { paxosModel } = await import("../../src/protocols/paxos/model.ts")
  const named = paxosModel.tests["split-vote-5"]!
  const r = explore(named.build({}, 1), { seed: 1, ...named.options })
  t.is(r.verdict, "goal-found")
  // The goal is s2's second candidacy won: its first, at round 1, counted s1's promise.
  t.true(r.path!.steps.some((s) => s.text.includes("P1a(leader=server2/log,round=2)")))
})
