/**
 * Figure 8 of the Raft paper as a scripted interaction (etcd-style): with the planted bug "commit
 * entries of earlier terms by counting replicas", s1 (term 3) commits its term-1 entry on {s1, s3},
 * then s2 (whose term-2 entry is more up to date) wins term 4 without it: LEADER_COMPLETENESS fails.
 * The correct protocol runs the very same schedule and commits nothing, so every invariant holds.
 */
import test from "ava"
import { lastState, replayLabels } from "../../src/checker/path.ts"
import { workload } from "../../src/core/config.ts"
import { put, putOk } from "../../src/core/kv.ts"
import { serverStates } from "../../src/protocols/raft/properties.ts"
import { checkedSystem } from "../../src/protocols/raft/scenarios.ts"

const FIGURE_8 = [
  "timer s1: log: ElectionTimer()",
  "deliver s1/log -> s2/log: RequestVote(t=1,last=0/0)",
  "deliver s2/log -> s1/log: RequestVoteReply(t=1,granted)",
  "deliver client1 -> s1: Request(client1.1:Put(key=k,value=a))",
  "timer s2: log: ElectionTimer()",
  "deliver s2/log -> s3/log: RequestVote(t=2,last=0/0)",
  "deliver s3/log -> s2/log: RequestVoteReply(t=2,granted)",
  "timer client1: ClientTimer(seq=1)",
  "deliver client1 -> s2: Request(client1.1:Put(key=k,value=a))",
  "deliver s2/log -> s1/log: RequestVote(t=2,last=0/0)",
  "timer s1: log: ElectionTimer()",
  "deliver s1/log -> s3/log: RequestVote(t=3,last=1/1)",
  "deliver s3/log -> s1/log: RequestVoteReply(t=3,granted)",
  "deliver s1/log -> s3/log: AppendEntries(t=3,prev=1/1,[],commit=0)",
  "deliver s3/log -> s1/log: AppendEntriesReply(t=3,fail,conflict=1/-1)",
  "deliver s1/log -> s3/log: AppendEntries(t=3,prev=0/0,[1:client1.1],commit=0)",
  "deliver s3/log -> s1/log: AppendEntriesReply(t=3,ok,match=1)",
  "deliver s1/log -> s2/log: RequestVote(t=3,last=1/1)",
  "timer s2: log: ElectionTimer()",
  "deliver s2/log -> s3/log: RequestVote(t=4,last=1/2)",
  "deliver s3/log -> s2/log: RequestVoteReply(t=4,granted)",
]

const system = (bug: boolean) =>
  checkedSystem({ servers: 3, workloads: [workload([[put("k", "a"), putOk()]])], server: { maxTerm: 4, bugCommitOldTerms: bug } })

const broken = (bug: boolean) => {
  const sys = system(bug)
  const path = replayLabels(sys, 0, FIGURE_8)
  const states = [path.initial, ...path.steps.map((s) => s.state)]
  const firstBad = states.findIndex((s) => sys.properties.some((p) => p.kind === "invariant" && !p.holds(s)))
  const end = lastState(path)
  return { sys, firstBad, end, names: sys.properties.filter((p) => p.kind === "invariant" && !p.holds(end)).map((p) => p.name) }
}

test("Figure 8 with the planted bug: the old-term entry is committed, then a leader without it is elected", (t) => {
  const { firstBad, end, names } = broken(true)
  t.is(firstBad, FIGURE_8.length, "the violation appears exactly when s2 wins term 4")
  t.deepEqual(names, ["LEADER_COMPLETENESS"])
  t.is(serverStates(end, 3)[0]!.commitIndex, 1)
})

test("Figure 8 with the correct commit rule: the same schedule commits nothing and every invariant holds", (t) => {
  const { firstBad, end } = broken(false)
  t.is(firstBad, -1)
  t.is(serverStates(end, 3)[0]!.commitIndex, 0)
  t.is(serverStates(end, 3)[1]!.role, "leader")
})
