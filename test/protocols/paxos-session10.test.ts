/**
 * Session 10's Multi-Paxos checks (issue 14, wave 7), each shown catching a catalogue mutant
 * (bench/mutants/paxos.ts, restated) with a short trace, imported from a mutated copy of the sources
 * (mutant-tree.ts). hunt-noop-last-compaction (targeted.ts): the shortest road to a replica whose last
 * executed slot is a no-op (no snapshot there) when everyone has executed it; a replica that clears
 * past the slot after its snapshot (clear-past-snapshot, and its off-by-one clear-one-past-snapshot)
 * breaks STORAGE_REPLAYABLE at that write in 15 steps, where hunt-noop-compaction took 21.
 * lower-round-rival (targeted.ts): three ballots, (1, s3), (2, s2) and s3's next, so that the value a
 * new leader must keep is of a later round but a leader whose name sorts first; a merge that compares
 * ballots leader first (merge-ballot-leader-first, missed by all 31 searches) re-proposes the older
 * value over a chosen one (CHOSEN_BY_MAJORITY, 19 steps). LEADER_SENDS_OWN_BALLOT (properties-leader.ts,
 * a step property of the hunts and staged searches): a heartbeat or a phase-2 request comes only from
 * the active leader of its ballot; a stepped-down leader that falls through to heartbeating
 * (stepped-down-keeps-heartbeating, before: only a staged search's goal not found, no trace) breaks it
 * in 3 steps, a replica that copies a newer heartbeat's ballot without stepping down
 * (heartbeat-keeps-leading, before: CHOSEN_BY_MAJORITY in 7) in 5.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const server = "src/protocols/paxos/server.ts"
/** The catalogue's mutants (same names), restated. */
const MUTANTS: Record<string, Edit> = {
  "clear-past-snapshot": {
    file: server,
    search: "const clear = Math.min(point, s.slotOut, options.persist ? s.snapSlot + 1 : Infinity)",
    replace: "const clear = Math.min(point, s.slotOut)",
  },
  "clear-one-past-snapshot": { file: server, search: "options.persist ? s.snapSlot + 1 : Infinity", replace: "options.persist ? s.snapSlot + 2 : Infinity" },
  "merge-ballot-leader-first": {
    file: server,
    search: "!e.chosen && cmpBallot(have.round, have.leader, e.round, e.leader) >= 0",
    replace: "!e.chosen && (have.leader !== e.leader ? have.leader > e.leader : have.round >= e.round)",
  },
  "stepped-down-keeps-heartbeating": {
    file: server,
    search: "          startElectionTimer(ctx)\n          return s\n        }\n        sendHeartbeats(s, ctx)",
    replace: "          startElectionTimer(ctx)\n        }\n        sendHeartbeats(s, ctx)",
  },
  "heartbeat-keeps-leading": {
    file: server,
    search: "clearBelow({ ...adopt(s0, m.round, m.leader), heard: true }, m.clear)",
    replace: "clearBelow({ ...s0, round: m.round, leader: m.leader, heard: true }, m.clear)",
  },
}

shortTraceTests("paxos", "src/protocols/paxos/model.ts", "paxosModel", MUTANTS, [
  { name: "hunt-noop-last-compaction", mutant: "clear-past-snapshot", property: "STORAGE_REPLAYABLE", steps: 15 },
  { name: "hunt-noop-last-compaction", mutant: "clear-one-past-snapshot", property: "STORAGE_REPLAYABLE", steps: 15 },
  { name: "lower-round-rival", mutant: "merge-ballot-leader-first", property: "CHOSEN_BY_MAJORITY", steps: 19 },
  { name: "stale-votes", mutant: "stepped-down-keeps-heartbeating", property: "LEADER_SENDS_OWN_BALLOT", steps: 3 },
  { name: "hunt-coverage", mutant: "heartbeat-keeps-leading", property: "LEADER_SENDS_OWN_BALLOT", steps: 5 },
])

for (const name of ["hunt-noop-last-compaction", "lower-round-rival"])
  test(`${name}: the shipped server reaches the search's goal with every invariant kept`, async (t) => {
    const { paxosModel } = await import("../../src/protocols/paxos/model.ts")
    const named = paxosModel.tests[name]!
    const r = explore(named.build({}, 1), { seed: 1, ...named.options })
    t.is(r.verdict, named.expect!)
    if (name === "hunt-noop-last-compaction") t.true(r.path!.steps.some((s) => s.text.includes("P2a(command=Noop()")), "the hole was filled with a no-op")
  })
