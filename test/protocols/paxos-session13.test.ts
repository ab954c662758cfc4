/**
 * Session 13's Multi-Paxos checks (issue 14), each shown catching a catalogue mutant
 * (bench/mutants/paxos.ts, restated) with a short trace, imported from a mutated copy of the sources
 * (mutant-tree.ts). QUORUM_ACTS (properties-leader.ts, a hunt invariant): an active leader holds no
 * open proposal that a majority, itself counted, accepted; a leader whose tally leaves itself out
 * (leader-forgets-own-vote: before, only staged goals not found) is caught at the first acceptance
 * (3 steps). CATCH_UP_ANSWERED (properties-learned.ts, a step property of the hunts and staged
 * searches): a heartbeat reply reporting a follower behind the leader is answered with the slots it
 * lacks; a catch-up that skips a follower one slot behind (catch-up-skips-one-behind: before, a
 * budget exhausted and a 14-step lasso of a 207k-state liveness search) is caught at that reply
 * (hunt-lazy-learning, 8 steps). Wave 10 (blind): CANDIDATE_COUNTS_ITSELF (properties-leader.ts, a step
 * property): a replica standing at a new ballot counts its own promise (candidate-forgets-own-promise:
 * first pass, only staged goals not found, since a liveness search within a bound on ballot changes
 * cuts every re-election), 1 step; PROPOSALS_PURSUED (a hunt invariant): an active leader keeps a vote
 * count for each of its open proposals (late-promise-reruns-phase1, which runs phase-1 completion again
 * on late promises and wipes the counts: first pass, goals not found), 7 steps.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const server = "src/protocols/paxos/server.ts"
/** The catalogue's mutants (same names), restated. */
const MUTANTS: Record<string, Edit> = {
  "leader-forgets-own-vote": { file: server, search: "const votes = setIn(s.votes, slot, new Set([ctx.self]))", replace: "const votes = setIn(s.votes, slot, new Set<Address>())" },
  "catch-up-skips-one-behind": { file: server, search: "if (m.executed < s.slotOut) {", replace: "if (m.executed < s.slotOut - 1) {" },
  "candidate-forgets-own-promise": { file: server, search: "          promises: new Set([ctx.self]),\n", replace: "          promises: emptySet,\n" },
  "late-promise-reruns-phase1": { file: server, search: "if (s !== s0 || s.active || s.leader !== ctx.self", replace: "if (s !== s0 || s.leader !== ctx.self" },
}

shortTraceTests("paxos", "src/protocols/paxos/model.ts", "paxosModel", MUTANTS, [
  { name: "stale-votes", mutant: "leader-forgets-own-vote", property: "QUORUM_ACTS", steps: 3 },
  { name: "hunt-lazy-learning", mutant: "catch-up-skips-one-behind", property: "CATCH_UP_ANSWERED", steps: 8 },
  { name: "lagging-follower-5", mutant: "catch-up-skips-one-behind", property: "CATCH_UP_ANSWERED", steps: 10 },
  { name: "stale-votes", mutant: "candidate-forgets-own-promise", property: "CANDIDATE_COUNTS_ITSELF", steps: 1 },
  { name: "hunt-lazy-learning", mutant: "late-promise-reruns-phase1", property: "PROPOSALS_PURSUED", steps: 7 },
])
