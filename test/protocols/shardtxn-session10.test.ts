/**
 * Session 10: checks that turn a transaction or configuration stuck for good into a short trace
 * (owed.ts), each shown on the mistake of a session 10 mutant (bench/mutants/shardtxn) in a mutated
 * copy of group.ts: a coordinator that stops resending a decision a participant has not acknowledged,
 * or sends an abort only to the participants whose votes it has, breaks DECISIONS_RESENT_UNTIL_ACKNOWLEDGED
 * in walks-correct (they showed before only as simulations that never finish); a group that keeps its
 * draining flag once the configuration is in breaks DRAINING_ONLY_BEHIND_THE_MASTER, and one that
 * prepares while draining NO_PREPARE_WHILE_DRAINING, in walks-draining (walks from a group holding a
 * configuration back for a prepared transaction; no earlier test reached one). And search-from-refusal,
 * bfs from a Prepare refused while its coordinator waits: a coordinator that commits despite a no vote
 * breaks CommitOnlyOnYes at the first step (16 steps in walks-correct before).
 */
import { shortTraceTests, type Edit } from "./mutant-tree.ts"

const group = "src/protocols/shardtxn/group.ts"
const mutants: Record<string, Edit> = {
  "decision-not-resent": {
    file: group,
    search: "const resend = (s: TxnGroupState): Send[] => [...s.coordinating.values()].flatMap((c) => coordinatorSends(s, c, false))",
    replace: 'const resend = (s: TxnGroupState): Send[] => [...s.coordinating.values()].filter((c) => c.decision === "pending").flatMap((c) => coordinatorSends(s, c, false))',
  },
  "abort-only-to-voters": {
    file: group,
    search: "const sends = c.participants.filter((p) => !c.acked.includes(p.group)).map((p) => decisionFor(c, p, me))",
    replace: "const sends = c.participants.filter((p) => c.votes.has(p.group) && !c.acked.includes(p.group)).map((p) => decisionFor(c, p, me))",
  },
  "draining-never-cleared": { file: group, search: 'withState(s, { base: next, draining: c._tag === "ApplyConfig" ? false : s.draining })', replace: "withState(s, { base: next, draining: s.draining })" },
  "prepare-ignores-draining": { file: group, search: "const free = !s.draining && !s.prepared.has(p.id.client)", replace: "const free = !s.prepared.has(p.id.client)" },
  "commit-despite-no-vote": {
    file: group,
    search: 'if (votes.some((v) => v === null)) return new Coordinated({ ...c, decision: "abort" })',
    replace: 'if (votes.length > 0 && votes.every((v) => v === null)) return new Coordinated({ ...c, decision: "abort" })',
  },
}

shortTraceTests("shardtxn", "src/protocols/shardtxn/model.ts", "shardTxnModel", mutants, [
  { name: "walks-correct", mutant: "decision-not-resent", property: "DECISIONS_RESENT_UNTIL_ACKNOWLEDGED", steps: 11 },
  { name: "walks-correct", mutant: "abort-only-to-voters", property: "DECISIONS_RESENT_UNTIL_ACKNOWLEDGED", steps: 12 },
  { name: "walks-draining", mutant: "draining-never-cleared", property: "DRAINING_ONLY_BEHIND_THE_MASTER", steps: 9 },
  { name: "walks-draining", mutant: "prepare-ignores-draining", property: "NO_PREPARE_WHILE_DRAINING", steps: 7 },
  { name: "search-from-refusal", mutant: "commit-despite-no-vote", property: "CommitOnlyOnYes", steps: 2 },
])
