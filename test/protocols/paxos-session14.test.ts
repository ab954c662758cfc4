/**
 * Session 14's Multi-Paxos checks (issue 14), each shown catching a catalogue mutant
 * (bench/mutants/paxos.ts, restated) with a short trace, imported from a mutated copy of the sources
 * (mutant-tree.ts). live-client-finds-leader (a liveness search, faults.forgetDown): a leader-mode
 * client whose retries go only to the server it first chose (leader-retry-stays: missed by every named
 * test before, no test ran such a client across a change of leader) never completes once that leader
 * crashed for good: a lasso of 8 steps. Wave 11 (blind): leader-behind-followers (leader-behind.ts, a
 * staged search): a new leader that re-proposes a slot its followers already executed (they got the
 * old leader's decision) lags behind them, and a compaction point that leaves the leader out
 * (compaction-skips-self: first pass, missed by every test) lets them clear it, CATCH_UP_POSSIBLE in
 * 14 steps; its servers persist, so the durable invariants see a compaction 15 steps deep: a stored
 * record without the compaction point (durable-omits-cleared: first pass, 20 steps) breaks
 * RECOVERY_REBUILDS there. PROPOSALS_PURSUED (properties-leader.ts) now also asks that every open slot an active
 * leader holds is of its ballot: a new leader that does not re-propose a slot it accepted itself
 * (new-leader-skips-own-accepted: first pass, a 17-step lasso of live-client-finds-leader) breaks it
 * at its election, 6 steps.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const server = "src/protocols/paxos/server.ts"
/** The catalogue's mutants (same names), restated. */
const MUTANTS: Record<string, Edit> = {
  "leader-retry-stays": { file: "src/core/exactly-once.ts", search: "const out = leader ? { ...s, target: (s.target! + 1) % list.length } : s", replace: "const out = s" },
  "compaction-skips-self": { file: server, search: "    for (const a of servers) min = Math.min(min, s.executed.get(a) ?? 0)", replace: "    for (const a of servers) if (a !== s.leader) min = Math.min(min, s.executed.get(a) ?? 0)" },
  "durable-omits-cleared": { file: server, search: "cleared: s.cleared, snap: s.snap, snapSlot: s.snapSlot })", replace: "cleared: 0, snap: s.snap, snapSlot: s.snapSlot })" },
  "new-leader-skips-own-accepted": { file: server, search: "      if (s.log.get(slot)?.chosen) continue\n      const e = s0.merged.get(slot)", replace: "      if (s.log.has(slot)) continue\n      const e = s0.merged.get(slot)" },
}

shortTraceTests("paxos", "src/protocols/paxos/model.ts", "paxosModel", MUTANTS, [
  { name: "live-client-finds-leader", mutant: "leader-retry-stays", property: "ClientsDone", steps: 8 },
  { name: "leader-behind-followers", mutant: "compaction-skips-self", property: "CATCH_UP_POSSIBLE", steps: 14 },
  { name: "leader-behind-followers", mutant: "durable-omits-cleared", property: "RECOVERY_REBUILDS", steps: 15 },
  { name: "hunt-crash-recovery", mutant: "new-leader-skips-own-accepted", property: "PROPOSALS_PURSUED", steps: 6 },
])
