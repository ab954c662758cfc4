/**
 * Cross-shard transactions: the transactional group's pure logic step by step (2PL with abort on
 * conflict, locks held until the decision, writes computed from reads, exactly once per attempt, no
 * configuration under locks, single-key requests waiting on locks); a simulated run where two clients
 * keep swapping the same keys in opposite orders and all finish (abort and retry terminates); the
 * planted bugs caught, one by a staged search with a short trace.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { withProperties } from "../../src/checker/transition-system.ts"
import { get, put } from "../../src/core/kv.ts"
import { ApplyConfig, ClientRequest, NotReady, type ShardKvCommand } from "../../src/protocols/shardkv/messages.ts"
import { keyShard } from "../../src/protocols/shardkv/keys.ts"
import { configurationsOf } from "../../src/protocols/shardkv/system.ts"
import { joinGroup } from "../../src/protocols/shardkv/replicated.ts"
import { join } from "../../src/protocols/shardmaster/messages.ts"
import { txnGroup, type TxnBugs } from "../../src/protocols/shardtxn/group.ts"
import { Coordinated, Decide, DecisionAck, multiPutTxn, Prepare, swapTxn, TxnGroupState, TxnId, TxnRequest, Vote, type TxnCommand } from "../../src/protocols/shardtxn/messages.ts"
import { SHARDTXN_TESTS, smallestSetup } from "../../src/protocols/shardtxn/model.ts"
import { keysOn } from "../../src/protocols/shardtxn/workloads.ts"
import { simulatedTxnStore, txnCluster } from "../../src/protocols/shardtxn/store.ts"
import { absTxn, txnStepProblem } from "../../src/protocols/shardtxn/refinement.ts"
import type { TxnClientState } from "../../src/protocols/shardtxn/client.ts"
import { historyOf, type World } from "../../src/core/world.ts"
import { decisionFinal, txnInvariants } from "../../src/protocols/shardtxn/properties.ts"
import { ackedNotPreparedAgain } from "../../src/protocols/shardtxn/acked-not-prepared.ts"
import { yesVoteHeldPrepared } from "../../src/protocols/shardtxn/votes-prepared.ts"
import type { TimedState } from "../../src/core/timed.ts"

const SHARDS = 10
const configs = configurationsOf(SHARDS, [join(1, ["s1"]), join(2, ["s2"])])
const ME = ["s1"]
const id = (client: string, seq: number, attempt = 0) => new TxnId({ client, seq, attempt })

/** Group 1 with every shard (configuration 1), and its commands applied in turn. */
const group = (bugs: TxnBugs = {}) => {
  const app = txnGroup({ group: 1, shards: SHARDS, bugs })
  const run = (s: TxnGroupState, ...cs: ReadonlyArray<ShardKvCommand | TxnCommand>) => cs.reduce((x, c) => app.execute(x, c)[1], s)
  return { app, run, start: run(app.init(), new ApplyConfig({ config: configs[0]! })) }
}

const prepare = (txn: TxnId, keys: string[], written = keys) => new Prepare({ id: txn, keys, written, coordinator: ME })
const kv = (s: TxnGroupState) => new Map([...s.base.shards.values()].flatMap((x) => (x._tag === "Serving" ? [...x.data.kv] : [])))

test("two-phase locking: a Prepare on a key another transaction holds votes no; a Get of it waits; the decision releases it", (t) => {
  const { app, run, start } = group()
  const s = run(start, prepare(id("c1", 1), ["a", "b"]))
  t.deepEqual([...s.locks], [["a", "c1"], ["b", "c1"]])
  const vote = (x: TxnGroupState, p: Prepare) => app.extension.answers(p, x)[0]!.message as Vote
  t.true(vote(s, prepare(id("c1", 1), ["a", "b"])).yes)
  const refused = run(s, prepare(id("c2", 1), ["b", "c"]))
  t.false(vote(refused, prepare(id("c2", 1), ["b", "c"])).yes, "abort on conflict: no waiting, so no deadlock")
  t.false(refused.locks.has("c"))
  t.true(app.execute(s, new ClientRequest({ client: "c3", seq: 1, op: get("a") }))[0] instanceof NotReady)
  const released = run(s, new Decide({ id: id("c1", 1), commit: true, writes: new Map([["a", "1"]]), coordinator: ME }))
  t.is(released.locks.size, 0)
  t.is(kv(released).get("a"), "1")
  t.false(app.execute(released, new ClientRequest({ client: "c3", seq: 1, op: get("a") }))[0] instanceof NotReady)
})

test("the coordinator commits only with every yes vote, and a Swap's writes come from its reads", (t) => {
  const { app, run, start } = group()
  const s0 = run(start, new ClientRequest({ client: "w", seq: 1, op: put("a", "x") }), new ClientRequest({ client: "w", seq: 2, op: put("b", "y") }))
  const txn = id("c1", 1)
  const begun = run(s0, new TxnRequest({ id: txn, steps: swapTxn("a", "b").steps }), prepare(txn, ["a", "b"]))
  const record = () => begun.coordinating.get("c1")!
  t.is(record().decision, "pending")
  t.deepEqual(record().participants.map((p) => [p.group, [...p.keys]]), [[1, ["a", "b"]]])
  const voted = run(begun, new Vote({ id: txn, group: 1, yes: true, values: new Map([["a", "x"], ["b", "y"]]) }))
  t.is(voted.coordinating.get("c1")!.decision, "commit")
  const decide = app.extension.answers(new TxnRequest({ id: txn, steps: [] }), voted).map((x) => x.message).find((m): m is Decide => m._tag === "Decide")!
  t.deepEqual([...decide.writes], [["a", "y"], ["b", "x"]])
  t.true(voted.locks.has("a"), "a participant that voted yes holds its locks until it learns the decision")
  const done = run(voted, decide)
  t.deepEqual([kv(done).get("a"), kv(done).get("b")], ["y", "x"])
  t.is(done.locks.size, 0)
})

test("a replica's lock table: LocksHeldByPrepared fails on a lock left after the decision, DecidedNotPreparedAgain on a decided transaction prepared again", (t) => {
  const holds = (s: TxnGroupState) => Object.fromEntries(txnInvariants<World>(() => [s]).map((p) => [p.name, p.holds({ nodes: [], aux: {} } as unknown as World)]))
  const { run, start } = group()
  const prepared = run(start, prepare(id("c1", 1), ["a", "b"]))
  const aborted = run(prepared, new Decide({ id: id("c1", 1), commit: false, writes: new Map(), coordinator: ME }))
  for (const s of [start, prepared, aborted]) t.like(holds(s), { LocksHeldByPrepared: true, DecidedNotPreparedAgain: true })
  // A resent Prepare after the decision is refused (nothing prepared again), as the invariant asks.
  t.is(run(aborted, prepare(id("c1", 1), ["a", "b"])), aborted)
  t.like(holds(new TxnGroupState({ ...aborted, locks: prepared.locks })), { LocksHeldByPrepared: false, DecidedNotPreparedAgain: true })
  t.like(holds(new TxnGroupState({ ...aborted, locks: prepared.locks, prepared: prepared.prepared })), { LocksHeldByPrepared: true, DecidedNotPreparedAgain: false })
})

test("DecisionFinal: a replica may decide what was pending, never replace a decision of its group by the other", (t) => {
  const { run, start } = group()
  const pending = run(start, new TxnRequest({ id: id("c1", 1), steps: multiPutTxn([["a", "1"]]).steps }))
  const committed = run(pending, new Vote({ id: id("c1", 1), group: 1, yes: true, values: new Map([["a", null]]) }))
  t.is(committed.coordinating.get("c1")!.decision, "commit")
  const aborted = new TxnGroupState({ ...committed, coordinating: new Map([["c1", new Coordinated({ ...committed.coordinating.get("c1")!, decision: "abort" })]]) })
  const step = decisionFinal<ReadonlyArray<TxnGroupState>, string>((rs) => rs)
  t.is(step.check([pending], "vote", [committed]), undefined)
  t.is(step.check([committed, pending], "vote", [committed, committed]), undefined)
  t.regex(step.check([committed], "abort", [aborted]) ?? "", /had decided commit/)
  t.regex(step.check([committed, pending], "crash and abort", [aborted]) ?? "", /had decided commit/, "the replica that held the commit need not be the one that changes")
})

test("exactly once: a retried request changes nothing, and the next waits until every participant acknowledged the decision", (t) => {
  const { run, start } = group()
  const first = run(start, new TxnRequest({ id: id("c1", 1), steps: multiPutTxn([["a", "1"]]).steps }), prepare(id("c1", 1), ["a"]), new Vote({ id: id("c1", 1), group: 1, yes: true, values: new Map([["a", null]]) }))
  t.is(first.coordinating.get("c1")!.decision, "commit")
  t.is(run(first, new TxnRequest({ id: id("c1", 1), steps: multiPutTxn([["a", "1"]]).steps })), first)
  const next = new TxnRequest({ id: id("c1", 2), steps: multiPutTxn([["a", "2"]]).steps })
  t.is(run(first, next), first, "the decision is still owed to group 1")
  const acked = run(first, new DecisionAck({ id: id("c1", 1), group: 1 }))
  t.is(run(acked, next).coordinating.get("c1")!.id.seq, 2)
})

test("LockedKeysServed: a lock on a key of a shard the group hands off (a configuration applied under a prepared transaction) breaks it", (t) => {
  const holds = (s: TxnGroupState) => txnInvariants<World>(() => [s]).find((p) => p.name === "LockedKeysServed")!.holds({ nodes: [], aux: {} } as unknown as World)
  const { run, start } = group()
  const locked = run(start, prepare(id("c1", 1), ["a"]))
  t.true(holds(start))
  t.true(holds(locked))
  // The group's base applies configuration 2 (half the shards to group 2) as if no lock were held.
  const moved = txnGroup({ group: 1, shards: SHARDS }).execute(new TxnGroupState({ ...locked, locks: new Map(), prepared: new Map() }), new ApplyConfig({ config: configs[1]! }))[1]
  const lockedKey = [...locked.locks.keys()][0]!
  const other = ["a", "b", "c", "d", "e", "f", "g", "h"].find((k) => moved.base.shards.get(keyShard(k, SHARDS))?._tag === "Sending")!
  t.true(holds(new TxnGroupState({ ...moved, locks: new Map([[lockedKey, "c1"]]) })) === (moved.base.shards.get(keyShard(lockedKey, SHARDS))?._tag === "Serving"))
  t.false(holds(new TxnGroupState({ ...moved, locks: new Map([[other, "c1"]]) })))
})

test("AckedNotPreparedAgain: a group whose acknowledgement of a decision is recorded and that holds the transaction prepared breaks it", (t) => {
  const { run, start } = group()
  const holds = (s: TxnGroupState) => ackedNotPreparedAgain<World>(() => [s]).holds({ nodes: [], aux: {} } as unknown as World)
  const txn = id("c1", 1)
  const record = (acked: number[]) => new Map([["c1", new Coordinated({ id: txn, steps: multiPutTxn([["a", "1"]]).steps, participants: [], votes: new Map(), decision: "abort", reads: [], acked })]])
  const prepared = run(start, prepare(txn, ["a"]))
  t.true(holds(new TxnGroupState({ ...start, coordinating: record([1]) })), "acknowledged, nothing prepared")
  t.true(holds(new TxnGroupState({ ...prepared, coordinating: record([]) })), "prepared, not yet acknowledged")
  t.false(holds(new TxnGroupState({ ...prepared, coordinating: record([1]) })), "acknowledged and prepared (again)")
})

test("YesVoteHeldPrepared: a step that sends a yes Vote for an attempt its group does not hold prepared (an earlier attempt of the client still is) breaks it", (t) => {
  const { app, run, start } = group()
  const step = yesVoteHeldPrepared<World, string>((w) => (w as unknown as { replicas: ReadonlyArray<TxnGroupState> }).replicas)
  // A world after `sendSeq` sends in all (its network's new envelopes are numbered from the step's before).
  const world = (s: TxnGroupState, net: ReadonlyArray<unknown>, sendSeq = net.length) => ({ nodes: [], net, sendSeq, aux: {}, replicas: [s] }) as unknown as World
  const held = run(start, prepare(id("c1", 1, 0), ["a"]))
  // The next attempt's Prepare is refused (attempt 0 still holds the client's slot): the correct group votes no.
  const refused = run(held, prepare(id("c1", 1, 1), ["a"]))
  const sent = (v: Vote) => ({ from: "s1", to: "s1", src: 0, dst: 0, msg: v, seq: 0, hi: 0, lo: 0 })
  const voteFor = (s: TxnGroupState, p: Prepare) => app.extension.answers(p, s)[0]!.message as Vote
  const no = voteFor(refused, prepare(id("c1", 1, 1), ["a"]))
  t.false(no.yes)
  t.is(step.check(world(held, []), "prepare", world(refused, [sent(no)])), undefined)
  const yes0 = sent(voteFor(held, prepare(id("c1", 1, 0), ["a"])))
  t.is(step.check(world(start, []), "prepare", world(held, [yes0])), undefined, "a yes for the attempt held prepared")
  const wrongYes = sent(new Vote({ ...no, yes: true }))
  t.regex(step.check(world(held, []), "prepare", world(refused, [wrongYes])) ?? "", /votes yes for c1#1\.1 without holding it prepared/)
  t.is(step.check(world(refused, [wrongYes]), "deliver", world(refused, [wrongYes])), undefined, "only the step that sends it")
})

test("no configuration is applied while the group holds locks: a shard never moves under an undecided transaction", (t) => {
  const { app, run, start } = group()
  const locked = run(start, prepare(id("c1", 1), ["a"]))
  const [, waiting] = app.execute(locked, new ApplyConfig({ config: configs[1]! }))
  t.is(waiting.base.config?.num, 1)
  t.true(waiting.draining, "no new transaction is prepared meanwhile")
  const after = run(waiting, new Decide({ id: id("c1", 1), commit: false, writes: new Map(), coordinator: ME }), new ApplyConfig({ config: configs[1]! }))
  t.is(after.base.config?.num, 2)
  t.false(after.draining)
})

test("planted bugs in the pure logic: locks released on voting, reads that skip the locks, commits on partial votes", (t) => {
  const correct = group()
  t.is(correct.run(correct.start, prepare(id("c1", 1), ["a"])).locks.size, 1, "the correct group locks")
  const released = group({ releaseBeforeDecision: true })
  t.is(released.run(released.start, prepare(id("c1", 1), ["a"])).locks.size, 0)
  const skip = group({ readsSkipLocks: true })
  t.deepEqual([...skip.run(skip.start, prepare(id("c1", 1), ["a", "b"], ["b"])).locks.keys()], ["b"])
  // A Swap of a key of group 1 and one of group 2 (configuration 2), coordinated by group 1: one yes vote in.
  const [k1, k2] = [keysOn(SHARDS, [join(1, ["s1"]), join(2, ["s2"])], 1, 1)[0]!, keysOn(SHARDS, [join(1, ["s1"]), join(2, ["s2"])], 2, 1)[0]!]
  const oneVote = (bugs: TxnBugs) => {
    const g = group(bugs)
    const s = g.run(g.start, new ApplyConfig({ config: configs[1]! }), new TxnRequest({ id: id("c1", 1), steps: swapTxn(k1, k2).steps }))
    t.is(s.coordinating.get("c1")!.participants.length, 2)
    return g.run(s, new Vote({ id: id("c1", 1), group: 1, yes: true, values: new Map([[k1, "x"]]) })).coordinating.get("c1")!.decision
  }
  t.is(oneVote({}), "pending")
  t.is(oneVote({ commitOnPartialVotes: true }), "commit")
})

test("abort on conflict terminates: two clients swapping the same keys in opposite orders across two groups all finish", (t) => {
  const [a, b] = ["k0", "k1"]
  const system = simulatedTxnStore(
    { log: "spec", shards: SHARDS, groups: 2, servers: 1, script: (n) => [joinGroup(1, n), joinGroup(2, n)], pace: 40, workloads: [{ commands: Array.from({ length: 8 }, () => swapTxn(a, b)) }, { commands: Array.from({ length: 8 }, () => swapTxn(b, a)) }] },
    { maxTime: 20_000 },
    7,
    "opposite swaps"
  )
  t.like(explore(system, { strategy: "random", samples: 1, maxDepth: 1_000_000, minimise: false, seed: 7 }), { verdict: "goal-found", property: "CLIENTS_DONE" })
})

test("a staged search catches locks released before the decision with a short trace", (t) => {
  const named = SHARDTXN_TESTS["search-bug-release-before-decision"]
  const r = explore(named.build({}, 1), { ...named.options, seed: 1 })
  t.is(r.verdict, "violation")
  t.is(r.property, "LocksHeldUntilDecision")
  t.true(r.path!.steps.length <= 8, `trace of ${r.path!.steps.length} steps`)
})

test("simulation: reads that skip the locks let a MultiGet see a MultiPut in part", (t) => {
  const named = SHARDTXN_TESTS["bug-reads-skip-locks"]
  const r = explore(named.build({ servers: "1", ops: "10" }, 1), { ...named.options, seed: 1 })
  t.is(r.verdict, "violation")
})

test("locks released before the decision are seen by clients too: without LocksHeldUntilDecision a MultiGet reads a MultiPut in part", (t) => {
  const named = SHARDTXN_TESTS["bug-release-before-decision"]
  const system = named.build({}, 1)
  const r = explore(withProperties(system, system.properties.filter((p) => p.name !== "LocksHeldUntilDecision")), { ...named.options, seed: 1 })
  t.like(r, { verdict: "violation", property: "MultiGetsReadOneMultiPut" })
})

/** A named test run with seed 1: its verdict, property and trace length. */
const short = (name: keyof typeof SHARDTXN_TESTS) => {
  const named = SHARDTXN_TESTS[name]
  const r = explore(named.build({}, 1), { ...named.options, seed: 1 })
  return { verdict: r.verdict, property: r.property, steps: r.path?.steps.length ?? 0 }
}

test("staged random walks, minimised, catch a commit on a partial set of yes votes with a short trace (CommitOnlyOnYes at the decision; without it REFINES_KV_TXN: a participant drops the committed write)", (t) => {
  const r = short("walks-bug-commit-partial-votes")
  t.like(r, { verdict: "violation", property: "CommitOnlyOnYes" })
  t.true(r.steps <= 30, `trace of ${r.steps} steps`)
  const named = SHARDTXN_TESTS["walks-bug-commit-partial-votes"]
  const system = named.build({}, 1)
  const later = explore(withProperties(system, system.properties.filter((p) => p.name !== "CommitOnlyOnYes")), { ...named.options, seed: 1 })
  t.like(later, { verdict: "violation", property: "REFINES_KV_TXN" })
  t.true(r.steps <= later.path!.steps.length, `${r.steps} steps, the refinement ${later.path!.steps.length}`)
})

test("staged random walks, minimised, catch reads that skip the locks with a short trace (a MultiGet reads a MultiPut in part)", (t) => {
  const r = short("walks-bug-reads-skip-locks")
  t.is(r.verdict, "violation")
  t.true(["REFINES_KV_TXN", "STRICTLY_SERIALIZABLE", "MultiGetsReadOneMultiPut"].includes(r.property!), r.property)
  t.true(r.steps <= 30, `trace of ${r.steps} steps`)
})

test("staged random walks, minimised, catch a client that retries an aborted transaction under the same attempt (CLIENT_RETRIES_WITH_NEW_ATTEMPT) with a short trace", (t) => {
  const r = short("walks-bug-retry-same-attempt")
  t.like(r, { verdict: "violation", property: "CLIENT_RETRIES_WITH_NEW_ATTEMPT" })
  t.true(r.steps <= 30, `trace of ${r.steps} steps`)
})

test("staged random walks, minimised, catch a client that takes a late reply to an earlier, aborted attempt as its own (CLIENT_TAKES_ONLY_ITS_ATTEMPTS_REPLY) with a short trace", (t) => {
  const r = short("walks-bug-stale-txn-reply")
  t.like(r, { verdict: "violation", property: "CLIENT_TAKES_ONLY_ITS_ATTEMPTS_REPLY" })
  t.true(r.steps <= 30, `trace of ${r.steps} steps`)
})

test("staged random walks while a shard moves: the correct protocol commits, and no walk breaks LockedKeysServed, AckedNotPreparedAgain or any other property", (t) => {
  t.like(short("walks-shard-moves"), { verdict: "goal-found", property: "A_TRANSACTION_COMMITTED" })
})

test("MultiGetsReadOneMultiPut takes a MultiGet that read one MultiPut of different values whole (a=1, b=2 read as [1,2]) for right: walks-shard-moves and walks-coordinator-moves under seed 1499155823, where the property's old form reported it", (t) => {
  for (const name of ["walks-shard-moves", "walks-coordinator-moves"] as const) {
    const named = SHARDTXN_TESTS[name]
    const r = explore(named.build({}, 1499155823), { ...named.options, seed: 1499155823 })
    t.like({ verdict: r.verdict, property: r.property }, { verdict: "goal-found", property: "A_TRANSACTION_COMMITTED" }, name)
  }
})

test("a search in two phases catches a Commit sent before it is logged with a short trace: the coordinator crashes, restarts and aborts what group 2 committed", (t) => {
  const r = short("phases-bug-commit-before-logging")
  t.like(r, { verdict: "violation", property: "AtomicCommit" })
  t.true(r.steps <= 30, `trace of ${r.steps} steps`)
})

test("the refinement of spec/kv-txn is not vacuous: on a correct walk the abstract store changes by committed transactions, each a spec step", (t) => {
  const named = SHARDTXN_TESTS["walks-correct"]
  const system = named.build({}, 1)
  const r = explore(system, { strategy: "random", samples: 50, maxDepth: 60, seed: 1, minimise: false, checkDeterminism: false })
  t.like(r, { verdict: "goal-found", property: "A_TRANSACTION_COMMITTED" })
  const replicas = txnCluster(smallestSetup([])).replicas
  const states = [r.path!.initial, ...r.path!.steps.map((s) => s.state)].map((w) => absTxn(replicas(w), SHARDS))
  const commits = states.slice(1).filter((b, i) => Object.keys(b.committed).length > Object.keys(states[i]!.committed).length || JSON.stringify(b.store) !== JSON.stringify(states[i]!.store))
  t.true(commits.length >= 1, "some step commits a transaction")
  t.true(states.slice(1).every((b, i) => txnStepProblem(states[i]!, b) === undefined))
  // The same check rejects a participant that loses a committed write, and reads that miss the store.
  const last = states.at(-1)!
  t.regex(txnStepProblem(last, { ...last, store: { ...last.store, lost: "write" } }) ?? "", /no transaction committing/)
  const fresh = { id: "c9#1.0", txn: { steps: [{ op: "read" as const, key: "x" }] }, reads: ["never written"] }
  t.regex(txnStepProblem(last, { ...last, committed: { ...last.committed, c9: fresh } }) ?? "", /reading/)
})

test("abort timeout: with group 2 cut off, client1's transaction over both groups is aborted (it retries), group 1's lock is released so client2 finishes before the heal, and after it client1's completes", (t) => {
  const named = SHARDTXN_TESTS["abort-timeout-partitioned"]
  const r = explore(named.build({}, 1), { ...named.options, seed: 1 })
  t.like(r, { verdict: "goal-found", property: "CLIENTS_DONE" })
  const states = r.path!.steps.map((s) => s.state)
  const client1 = (w: TimedState) => w.nodes[w.nodes.length - 2]!.state as TxnClientState
  t.is(client1(states[0]!).client, "client1")
  t.true(states.some((w) => w.now < 2_000 && client1(w).seq === 1 && client1(w).attempt > 0), "client1's first transaction was answered abort before the heal, and it tried again")
  const end = states.at(-1)!
  const attempts = historyOf(end).filter((op) => op.client === "client1").length
  t.is(attempts, 2, "both of client1's transactions completed")
})
