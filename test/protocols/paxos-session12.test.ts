/**
 * Session 12's Multi-Paxos checks (issue 14), each shown catching a catalogue mutant
 * (bench/mutants/paxos.ts, restated) with a short trace, imported from a mutated copy of the sources
 * (mutant-tree.ts). DECISIONS_LEARNED (properties-learned.ts, a step property of the hunts and staged
 * searches): a replica delivered a Decisions message holds every listed slot chosen afterwards; one that
 * learns only slots it accepted (decisions-need-accepted: before, a lagging-follower goal not found and
 * a 17-step liveness lasso) is caught at the first decision it drops (hunt-crash-recovery, 4 steps),
 * one that stops at the first slot it already knew (catch-up-stops-at-known: missed before) at the
 * catch-up it cuts short. client-moved-on (moved-on.ts): a command a deposed leader alone accepted is
 * re-proposed by a later leader after its client's next command ran; an exactly-once layer that drops
 * only a retry of the client's last command (amo-dedup-last-seq-only: missed before) runs it again
 * (EXECUTED_ONCE, 20 steps). LOG_WINDOW now also says a replica's executed prefix stops at its first
 * unchosen slot: a leader that learns a slot and leaves it unexecuted (wave 9's
 * leader-learns-without-executing: first pass, only staged goals not found) is caught there (3 steps).
 * RECOVERY_REBUILDS also holds the log a server's storage recovers to LOG_WINDOW's rules: a recovery
 * that forgets its compaction point (recover-forgets-compaction-point) is caught at the first write
 * after a compaction, before any crash (hunt-noop-compaction, 20 steps).
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const server = "src/protocols/paxos/server.ts"
const decisionsLoop = "for (const [slot, command] of m.entries as ReadonlyArray<readonly [number, Tagged]>) s = decide(s, slot, command)"
/** The catalogue's mutants (same names), restated. */
const MUTANTS: Record<string, Edit> = {
  "decisions-need-accepted": {
    file: server,
    search: decisionsLoop,
    replace: "for (const [slot, command] of m.entries as ReadonlyArray<readonly [number, Tagged]>) if (s.log.has(slot)) s = decide(s, slot, command)",
  },
  "catch-up-stops-at-known": {
    file: server,
    search: decisionsLoop,
    replace:
      "for (const [slot, command] of m.entries as ReadonlyArray<readonly [number, Tagged]>) {\n          if (s.log.get(slot)?.chosen) break\n          s = decide(s, slot, command)\n        }",
  },
  "leader-learns-without-executing": { file: server, search: "return executeReady(decide(s, m.slot, command), ctx)", replace: "return decide(s, m.slot, command)" },
  "recover-forgets-compaction-point": { file: server, search: "return {\n        ...d,\n        slotOut,", replace: "return {\n        ...d,\n        cleared: 0,\n        slotOut," },
  "amo-dedup-last-seq-only": { file: "src/core/application.ts", search: "return last !== undefined && last.seq >= c.seq", replace: "return last !== undefined && last.seq === c.seq" },
}

shortTraceTests("paxos", "src/protocols/paxos/model.ts", "paxosModel", MUTANTS, [
  { name: "hunt-crash-recovery", mutant: "decisions-need-accepted", property: "DECISIONS_LEARNED", steps: 4 },
  { name: "hunt-noop-compaction", mutant: "catch-up-stops-at-known", property: "DECISIONS_LEARNED", steps: 20 },
  { name: "hunt-crash-recovery", mutant: "leader-learns-without-executing", property: "LOG_WINDOW", steps: 3 },
  { name: "hunt-noop-compaction", mutant: "recover-forgets-compaction-point", property: "RECOVERY_REBUILDS", steps: 20 },
  { name: "client-moved-on", mutant: "amo-dedup-last-seq-only", property: "EXECUTED_ONCE", steps: 20 },
])

test("client-moved-on: the shipped server re-proposes the orphan and runs it once", async (t) => {
  const { paxosModel } = await import("../../src/protocols/paxos/model.ts")
  const named = paxosModel.tests["client-moved-on"]!
  const r = explore(named.build({}, 1), { seed: 1, ...named.options })
  t.is(r.verdict, "goal-found")
  t.is(r.property, "EXECUTED_IN_TWO_SLOTS")
})
