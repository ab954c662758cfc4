/**
 * Session 15 (issue 14, bench/mutants/paxos-session15.json): the two long catches of wave 12 made
 * short, each shown on its catalogue mutant (bench/mutants/paxos.ts, restated as one edit) imported from
 * a mutated copy of the sources (mutant-tree.ts). DEDUP_COMPLETE (properties.ts, one of the hunts'
 * invariants): every command a replica executed and still holds is in its exactly-once table; a
 * one-entry table (dedup-keeps-latest-client-only, 21 steps by hunt-noop-compaction's EXECUTED_ONCE
 * before) breaks it when a second client's command executes, 6 steps into hunt-crash-recovery.
 * new-leader-reads (stale-read-ack.ts): a new leader re-proposing a completed write gets a read and its
 * confirmation before the write is chosen again; a read handed back before the leader applied through
 * its read point (read-ready-before-applied, 22 steps by deposed-leader-reads before) answers without
 * the write, RESULTS_OK in 13 steps. Wave 13: PHASE2_ANSWERED (properties-acceptor.ts, a step check of the
 * staged searches and hunts): an acceptor silent on a phase-2 message for a slot it holds chosen
 * (p2a-chosen-unanswered: first pass, caught only as leader-behind-followers' goal-not-found) breaks it
 * in 5 steps of hunt-crash-recovery. hunt-three-appenders (three commands open at a stable leader): a new
 * command proposed over a slot the leader holds chosen (next-slot-after-open-votes: first pass 11 steps,
 * client-moved-on) breaks REFINES_CONSENSUS in 5 steps.
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const MUTANTS: Record<string, Edit> = {
  "dedup-keeps-latest-client-only": {
    file: "src/core/application.ts",
    search: "return [r, { app: next, last: setIn(s.last, c.client, r) }]",
    replace: "return [r, { app: next, last: new Map([[c.client, r]]) }]",
  },
  "read-ready-before-applied": {
    file: "src/core/read-index.ts",
    search: "if (r.acks.length + 1 >= majority && applied >= r.point) ctx.emit(readReady(r.request))",
    replace: "if (r.acks.length + 1 >= majority) ctx.emit(readReady(r.request))",
  },
  "p2a-chosen-unanswered": {
    file: "src/protocols/paxos/server.ts",
    search: "ctx.send(from, new P2b({ round: m.round, leader: m.leader, slot: m.slot }))",
    replace: "if (!e?.chosen) ctx.send(from, new P2b({ round: m.round, leader: m.leader, slot: m.slot }))",
  },
  "next-slot-after-open-votes": {
    file: "src/protocols/paxos/server.ts",
    search: "for (const k of s.log.keys()) if (k >= slot) slot = k + 1",
    replace: "for (const k of s.votes.keys()) if (k >= slot) slot = k + 1",
  },
}

shortTraceTests("paxos", "src/protocols/paxos/model.ts", "paxosModel", MUTANTS, [
  { name: "hunt-crash-recovery", mutant: "dedup-keeps-latest-client-only", property: "DEDUP_COMPLETE", steps: 6 },
  { name: "new-leader-reads", mutant: "read-ready-before-applied", property: "RESULTS_OK", steps: 13 },
  { name: "hunt-crash-recovery", mutant: "p2a-chosen-unanswered", property: "PHASE2_ANSWERED", steps: 5 },
  { name: "hunt-three-appenders", mutant: "next-slot-after-open-votes", property: "REFINES_CONSENSUS", steps: 5 },
])
