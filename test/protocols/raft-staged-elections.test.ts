/**
 * staged-shorter-log-campaigns: on the shipped Raft the follower one entry short wins term 2 only once
 * it holds the committed entry; with the up-to-date check skipped (the planted bugVoteWithoutUpToDateCheck)
 * it wins without it, and LEADER_COMPLETENESS fails on a short trace that replays on the unstaged system.
 * MESSAGES_CARRY_TERM (raft/message-terms.ts) on hand-made steps.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { replayLabels } from "../../src/checker/path.ts"
import { privateKeyWorkload } from "../../src/core/workloads.ts"
import { checkedSystem } from "../../src/protocols/raft/scenarios.ts"
import { shorterLogCampaigns } from "../../src/protocols/raft/staged-elections.ts"
import { messagesCarryTerm } from "../../src/protocols/raft/message-terms.ts"
import type { World } from "../../src/core/world.ts"

const OPTIONS = { strategy: "bfs", maxStates: 100_000 } as const

test("staged-shorter-log-campaigns: the short follower wins only after catching up", (t) => {
  const r = explore(shorterLogCampaigns(), OPTIONS)
  t.is(r.verdict, "goal-found")
  t.is(r.property, "S3_LEADS_TERM_2_WITH_BOTH")
})

// Session 14: RECEIVER_RULES' RequestVote rule (receiver-rules.ts, every raft search) flags the vote itself,
// before LEADER_COMPLETENESS (16 steps) sees the leader it elects.
test("staged-shorter-log-campaigns: a vote without the up-to-date check breaks RECEIVER_RULES in at most 12 steps, replayable unstaged", (t) => {
  const r = explore(shorterLogCampaigns({ bugVoteWithoutUpToDateCheck: true }), OPTIONS)
  t.is(r.verdict, "violation")
  t.is(r.property, "RECEIVER_RULES")
  t.true(r.path!.steps.length <= 12, `trace of ${r.path!.steps.length} steps`)
  const plain = checkedSystem({ servers: 3, workloads: [privateKeyWorkload("client1", 2)], server: { maxTerm: 2, bugVoteWithoutUpToDateCheck: true }, client: { retry: false } })
  t.notThrows(() => replayLabels(plain, 0, r.path!.steps.map((s) => s.text)))
})

test("MESSAGES_CARRY_TERM: a reply sent with a term other than its sender's fails; an older message in flight is not the step's", (t) => {
  const p = messagesCarryTerm<string>(1, ["s1"])
  const node = { up: true, state: { log: { term: 2 } } }
  const sent = (term: number, seq: number) => ({ src: 0, seq, msg: { _tag: "AppendEntriesReply", term } })
  const from = { nodes: [node], net: [], sendSeq: 3 } as unknown as World
  const to = (term: number, seq = 3) => ({ nodes: [node], net: [sent(term, seq)], sendSeq: 4 }) as unknown as World
  t.truthy(p.check(from, "step", to(1)))
  t.is(p.check(from, "step", to(2)), undefined)
  t.is(p.check(from, "step", to(1, 2)), undefined)
})
