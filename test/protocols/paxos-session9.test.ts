/**
 * Session 9's Multi-Paxos checks (issue 14, wave 6), each shown catching a catalogue mutant
 * (bench/mutants/paxos.ts, restated) with a short trace, imported from a mutated copy of the sources
 * (mutant-tree.ts): DECISIONS_HELD (properties-learned.ts, a step property of the hunts and staged
 * searches: a replica announces as chosen only what it holds chosen), LOG_WINDOW (the hunts'
 * invariants: a log holds nothing below its compaction point and every executed slot above it
 * chosen; a re-sent phase 2 accepted below the compaction point, p2a-below-cleared-accepted, breaks
 * it in hunt-prompt-heartbeats-appends, whose network repeats messages), PROMISES_ONLY_RISE
 * (properties-leader.ts, a step property beside STEPS_DOWN_ONLY_TO_HIGHER: no step lowers a replica's
 * promise; election-same-round was caught a step later by LEADER_PROMISED), and REPORTS_STORED
 * (properties-durable.ts, a step property of persisting hunts: a heartbeat reply reports as executed
 * only what the sender's storage rebuilds) in hunt-lazy-learning, the first search with the runtime's
 * lazyLearning: report-unsaved-executed behaves as the shipped server wherever every learned slot is
 * written at once, so no earlier search could catch it. Without the check, decide-at-cleared was
 * caught only as a 24-step liveness lasso (hunt-live-requests-reliable), and the searches below pass
 * on each mutant or catch it later by another property, so each case fails. That the shipped protocol passes the named tests,
 * paxos.test.ts checks (hunt-lazy-learning: the last test here; the other hunts: test:models).
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const server = "src/protocols/paxos/server.ts"
/** The catalogue's mutants (same names), restated. */
const MUTANTS: Record<string, Edit> = {
  "decide-at-cleared": { file: server, search: "if (slot < s.cleared || s.log.get(slot)?.chosen) return s", replace: "if (slot <= s.cleared || s.log.get(slot)?.chosen) return s" },
  "catch-up-past-executed": { file: server, search: "slot < s.slotOut; slot++) entries.push", replace: "slot <= s.slotOut; slot++) if (s.log.has(slot)) entries.push" },
  "election-same-round": { file: server, search: "const round = s.round + 1", replace: "const round = s.round" },
  "report-unsaved-executed": {
    file: server,
    search: "const executedOf = (s: PaxosState): number => (options.persist ? s.saved : s.slotOut)",
    replace: "const executedOf = (s: PaxosState): number => s.slotOut",
  },
  "p2a-below-cleared-accepted": { file: server, search: "if (m.slot >= s.cleared && !e?.chosen) s = {", replace: "if (!e?.chosen) s = {" },
  "clear-deletes-point": { file: server, search: "for (const k of log.keys()) if (k < clear) log.delete(k)", replace: "for (const k of log.keys()) if (k <= clear) log.delete(k)" },
}

shortTraceTests("paxos", "src/protocols/paxos/model.ts", "paxosModel", MUTANTS, [
  { name: "stale-votes", mutant: "decide-at-cleared", property: "DECISIONS_HELD", steps: 3 },
  { name: "lagging-follower-5", mutant: "catch-up-past-executed", property: "DECISIONS_HELD", steps: 10 },
  // ACCEPTED_KEPT (session 11) fires at the step that deletes the slot, before LOG_WINDOW sees the state.
  { name: "hunt-noop-compaction", mutant: "clear-deletes-point", property: "ACCEPTED_KEPT", steps: 20 },
  { name: "leadership-comes-back", mutant: "election-same-round", property: "PROMISES_ONLY_RISE", steps: 4 },
  { name: "hunt-lazy-learning", mutant: "report-unsaved-executed", property: "REPORTS_STORED", steps: 8 },
  { name: "hunt-prompt-heartbeats-appends", mutant: "p2a-below-cleared-accepted", property: "LOG_WINDOW", steps: 13 },
])

test("hunt-lazy-learning: the shipped server keeps REPORTS_STORED and every hunt invariant within the test's budget", async (t) => {
  const { paxosModel } = await import("../../src/protocols/paxos/model.ts")
  const named = paxosModel.tests["hunt-lazy-learning"]!
  t.is(explore(named.build({}, 1), { seed: 1, ...named.options }).verdict, named.expect!)
})
