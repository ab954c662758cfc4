/**
 * walks-side-by-side (shardtxn model.ts), session 9: two clients' MultiPuts on disjoint keys prepared
 * side by side in each group, then a single-key Get of a key just written. Two blind-wave mutants of
 * bench/mutants/shardtxn/catalogue.ts (restated) that no earlier named test caught: a decision that
 * releases every lock of its group (LocksHeldUntilDecision: the other prepared transaction loses its
 * locks) and a single-key Get served on a locked key (RESULTS_OK: it reads the value from before the
 * commit its client was told of). And walks-after-abort (a network that delivers messages again, from
 * an abort on): ack-matched-by-client, a coordinator taking a late acknowledgement of an aborted attempt
 * for its next one, breaks AckedNotPreparedAgain (18 steps in walks-shard-moves before). And
 * walks-three-servers (Raft, three servers a group): reply-before-logging, a leader answering a
 * transaction message before its log has it, breaks YesVoteHeldPrepared (20 steps in walks-correct
 * before). The shipped protocol passes every named test (test:models).
 */
import test from "ava"
import { exploreMutated } from "./mutant-tree.ts"

const group = "src/protocols/shardtxn/group.ts"
const cases = [
  {
    name: "decide-releases-all-locks",
    edit: { file: group, search: "const locks = new Map([...s.locks].filter(([, owner]) => owner !== d.id.client))", replace: "const locks = new Map<string, string>()" },
    search: "walks-side-by-side",
    property: "LocksHeldUntilDecision",
    steps: 15,
  },
  {
    name: "single-get-ignores-locks",
    edit: { file: group, search: 's.locks.has(c.op.key) && !(bugs.readsSkipLocks && c.op._tag === "Get")', replace: 's.locks.has(c.op.key) && c.op._tag !== "Get"' },
    search: "walks-side-by-side",
    property: "RESULTS_OK",
    steps: 11,
  },
  {
    name: "ack-matched-by-client",
    edit: {
      file: group,
      search: "  const acked = (s: TxnGroupState, a: DecisionAck): TxnGroupState => {\n    const c = coordinated(s, a.id)",
      replace: "  const acked = (s: TxnGroupState, a: DecisionAck): TxnGroupState => {\n    const c = s.coordinating.get(a.id.client)",
    },
    search: "walks-after-abort",
    property: "AckedNotPreparedAgain",
    steps: 15,
  },
  {
    name: "reply-before-logging",
    edit: {
      file: "src/protocols/shardkv/server.ts",
      search: "    const early = extension.beforeProposing?.(m, next)",
      replace: "    sendAll(ctx, extension.answers(m, next))\n    const early = extension.beforeProposing?.(m, next)",
    },
    search: "walks-three-servers",
    property: "YesVoteHeldPrepared",
    steps: 9,
  },
]

for (const c of cases)
  test(`shardtxn ${c.search}: ${c.name} breaks ${c.property} within ${c.steps} steps`, async (t) => {
    const r = await exploreMutated(c.edit, "src/protocols/shardtxn/model.ts", "shardTxnModel", c.search)
    t.is(r.verdict, "violation")
    t.is(r.property, c.property)
    t.true(r.path!.steps.length <= c.steps, `trace of ${r.path!.steps.length} steps`)
  })
