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
import type { World } from "../../src/core/world.ts"
import { ApplyConfig } from "../../src/protocols/shardkv/messages.ts"
import { configurationsOf } from "../../src/protocols/shardkv/system.ts"
import { join } from "../../src/protocols/shardmaster/messages.ts"
import { txnGroup } from "../../src/protocols/shardtxn/group.ts"
import { Coordinated, Decide, multiPutTxn, Prepare, TxnGroupState, TxnId } from "../../src/protocols/shardtxn/messages.ts"
import { yesCountedForItsAttempt } from "../../src/protocols/shardtxn/votes-counted.ts"
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

test("YesCountedForItsAttempt: a coordinator's record holding a yes of a group that has seen only an earlier attempt's Prepare breaks it", (t) => {
  const app = txnGroup({ group: 1, shards: 10 })
  const run = (s: TxnGroupState, ...cs: Parameters<typeof app.execute>[1][]) => cs.reduce((x, c) => app.execute(x, c)[1], s)
  const start = run(app.init(), new ApplyConfig({ config: configurationsOf(10, [join(1, ["s1"])])[0]! }))
  const [a0, a1] = [0, 1].map((attempt) => new TxnId({ client: "c1", seq: 1, attempt }))
  const prepare = (id: TxnId) => new Prepare({ id, keys: ["a"], written: ["a"], coordinator: ["s1"] })
  // Attempt 0 prepared and aborted; group 1 coordinates attempt 1, with group 1's yes or no recorded.
  const seen0 = run(start, prepare(a0!), new Decide({ id: a0!, commit: false, writes: new Map(), coordinator: ["s1"] }))
  const seen1 = run(seen0, prepare(a1!))
  const record = (vote: ReadonlyMap<string, string | null> | null) =>
    new Map([["c1", new Coordinated({ id: a1!, steps: multiPutTxn([["a", "1"]]).steps, participants: [], votes: new Map([[1, vote]]), decision: "pending", reads: [], acked: [] })]])
  const holds = (s: TxnGroupState) => yesCountedForItsAttempt<World>(() => [s]).holds({ nodes: [], aux: {} } as unknown as World)
  const yes = new Map([["a", null]])
  t.true(holds(new TxnGroupState({ ...seen1, coordinating: record(yes) })), "a yes of the group that has seen attempt 1")
  t.true(holds(new TxnGroupState({ ...seen0, coordinating: record(null) })), "a no counts for nothing")
  t.false(holds(new TxnGroupState({ ...seen0, coordinating: record(yes) })), "a yes recorded for attempt 1, the group having seen attempt 0 only")
})
