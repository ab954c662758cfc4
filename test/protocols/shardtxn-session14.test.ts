/**
 * Session 14's transaction checks (issue 14): DecisionAckedOnceApplied (votes-prepared.ts) in every
 * checked search, and walks-three-servers-decided, whose walks start where a Decide is on its way to a
 * group of three servers, catch the blind mutant decision-acked-before-logged
 * (bench/mutants/shardtxn/catalogue.ts, restated: a participant's leader acknowledges a Decide on
 * receipt, before its log has it), which no named test caught under seeds 2, 3, 5 (first pass,
 * bench/mutants/shard-session14.json). ParticipantsCoverKeys (properties.ts, one of the store's
 * invariants) catches read-only-participants-skipped (the coordinator leaves out the owners of keys a
 * transaction only reads) in walks-correct; before, only abort-timeout-partitioned's simulation did,
 * in about 2,400 steps. From a mutated copy of the sources (mutant-tree.ts).
 */
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const MUTANTS: Record<string, Edit> = {
  "decision-acked-before-logged": {
    file: "src/protocols/shardtxn/group.ts",
    search: '    const c = bugs.sendCommitBeforeLogging && command._tag === "Vote" ? coordinated(next, command.id) : undefined\n',
    replace:
      '    if (command._tag === "Decide") return { send: [{ to: command.coordinator, message: new DecisionAck({ id: command.id, group }) }], defer: false }\n    const c = bugs.sendCommitBeforeLogging && command._tag === "Vote" ? coordinated(next, command.id) : undefined\n',
  },
  "read-only-participants-skipped": {
    file: "src/protocols/shardtxn/group.ts",
    search: "    for (const key of keysOf(r.steps)) {\n",
    replace: "    for (const key of writtenKeys(r.steps)) {\n",
  },
}

shortTraceTests("shardtxn", "src/protocols/shardtxn/model.ts", "shardTxnModel", MUTANTS, [
  { name: "walks-three-servers-decided", mutant: "decision-acked-before-logged", property: "DecisionAckedOnceApplied", steps: 3 },
  { name: "walks-correct", mutant: "read-only-participants-skipped", property: "ParticipantsCoverKeys", steps: 4 },
])
