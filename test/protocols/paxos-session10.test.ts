/**
 * Session 10's Multi-Paxos checks (issue 14, wave 7), each shown catching a catalogue mutant
 * (bench/mutants/paxos.ts, restated) with a short trace, imported from a mutated copy of the sources
 * (mutant-tree.ts). hunt-noop-last-compaction (targeted.ts): the shortest road to a replica whose last
 * executed slot is a no-op (no snapshot there) when everyone has executed it; a replica that clears
 * past the slot after its snapshot (clear-past-snapshot, and its off-by-one clear-one-past-snapshot)
 * breaks STORAGE_REPLAYABLE at that write in 15 steps, where hunt-noop-compaction took 21.
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
}

shortTraceTests("paxos", "src/protocols/paxos/model.ts", "paxosModel", MUTANTS, [
  { name: "hunt-noop-last-compaction", mutant: "clear-past-snapshot", property: "STORAGE_REPLAYABLE", steps: 15 },
  { name: "hunt-noop-last-compaction", mutant: "clear-one-past-snapshot", property: "STORAGE_REPLAYABLE", steps: 15 },
])

test("hunt-noop-last-compaction: the shipped server reaches the announced compaction with every invariant kept", async (t) => {
  const { paxosModel } = await import("../../src/protocols/paxos/model.ts")
  const named = paxosModel.tests["hunt-noop-last-compaction"]!
  const r = explore(named.build({}, 1), { seed: 1, ...named.options })
  t.is(r.verdict, named.expect!)
  t.true(r.path!.steps.some((s) => s.text.includes("P2a(command=Noop()")), "the hole was filled with a no-op")
})
