/**
 * Raft's step properties cache their verdicts per node step (step-verdicts.ts): the same step in other
 * world objects keeps its verdict, the same records at another node or a send array from another
 * sender's record are judged afresh, and a violation is reported (with its explanation) each time.
 * REFINES_KV passes a step that leaves every commit index and store as it was without reading them.
 */
import test from "ava"
import type { HashedSend } from "../../src/core/execute.ts"
import { declaredReads } from "../../src/core/step-reads.ts"
import type { NodeRec, World } from "../../src/core/world.ts"
import { messagesCarryTerm } from "../../src/protocols/raft/message-terms.ts"
import { kvRefinement } from "../../src/protocols/raft/refinement.ts"
import { RequestVote, type RaftState } from "../../src/protocols/raft/server.ts"
import { StepVerdicts } from "../../src/core/step-verdicts.ts"
import { termMonotone } from "../../src/protocols/raft/term-monotone.ts"

const raft = (term: number): RaftState => ({
  role: "follower", term, votedFor: null, log: [], snapIndex: 0, snapTerm: 0, snap: undefined, commitIndex: 0, votes: null, next: null, match: null, leader: null,
})
const node = (s: RaftState): NodeRec => ({ state: { log: s, app: {} }, timers: [], up: true, durable: undefined, client: undefined, hi: 0, lo: 0, sh: 0, sl: 0, dh: 0, dl: 0 }) as unknown as NodeRec
const world = (...nodes: NodeRec[]): World => ({ nodes, net: [], sendSeq: 0, aux: { step: 0, history: undefined, messagesSent: 0 } }) as unknown as World
const names = ["s1", "s2"]

test("Raft's cached step properties: a node step keeps its verdict in new worlds, and is its own node's", (t) => {
  const p = new StepVerdicts().property(termMonotone<undefined>(2, names))
  const t3 = node(raft(3))
  const t2 = node(raft(2))
  const t4 = node(raft(4))
  const other = node(raft(1))
  t.is(p.check(world(t3, other), undefined, world(t2, other)), "s1's term went from 3 back to 2")
  // The same records in other world objects: the cached verdict, both ways.
  t.is(p.check(world(t3, other), undefined, world(t2, other)), "s1's term went from 3 back to 2")
  t.is(p.check(world(t3, other), undefined, world(t4, other)), undefined)
  t.is(p.check(world(t3, other), undefined, world(t4, other)), undefined)
  // The same step at the other node names that node (a cache keyed on the records alone would say s1).
  t.is(p.check(world(other, t3), undefined, world(other, t2)), "s2's term went from 3 back to 2")
  // Two nodes changed at once: checked afresh, the first in node order reported.
  t.is(p.check(world(t3, t3), undefined, world(t4, t2)), "s2's term went from 3 back to 2")
  t.is(p.check(world(t3, t3), undefined, world(t3, t3)), undefined)
})

test("Raft's cached sends checks: a send array is judged against its sender's record after the step", (t) => {
  const p = messagesCarryTerm<undefined>(2, names, new StepVerdicts())
  const d = declaredReads(p)
  if (d?.reads !== "sends") return t.fail("MESSAGES_CARRY_TERM declares it reads the sends")
  const sends = [{ msg: new RequestVote({ term: 2, lastLogIndex: 0, lastLogTerm: 0 }) }] as unknown as ReadonlyArray<HashedSend>
  const other = node(raft(1))
  const inTerm2 = world(node(raft(2)), other)
  const inTerm3 = world(node(raft(3)), other)
  t.is(d.check(inTerm2, inTerm2, 0, undefined, sends), undefined)
  // The same array from a sender in another term (a cache keyed on the array alone would pass it).
  t.is(d.check(inTerm3, inTerm3, 0, undefined, sends), "s1 sent RequestVote of term 2 while in term 3")
  t.is(d.check(inTerm3, inTerm3, 0, undefined, sends), "s1 sent RequestVote of term 2 while in term 3")
  t.is(d.check(inTerm2, inTerm2, 0, undefined, sends), undefined)
  // From the other node: its record is judged.
  t.is(d.check(inTerm3, inTerm3, 1, undefined, sends), "s2 sent RequestVote of term 2 while in term 1")
  // A client's sends are not the servers'.
  t.is(d.check(world(node(raft(2)), other, other), world(node(raft(2)), other, other), 2, undefined, sends), undefined)
})

test("Raft's REFINES_KV: a step that keeps every commit index and store is a stutter; one that changes either is judged", (t) => {
  const p = kvRefinement(2)
  const at = (commitIndex: number, store: ReadonlyMap<string, string>, role: RaftState["role"] = "follower"): NodeRec =>
    ({ ...node({ ...raft(1), role, commitIndex }), state: { log: { ...raft(1), role, commitIndex }, app: { app: store } } }) as unknown as NodeRec
  const one = new Map([["x", "1"]])
  const other = at(0, new Map())
  const before = world(at(1, one), other)
  // Another record (a new role), the same commit index and store: a stutter.
  t.is(p.check(before, undefined, world(at(1, one, "candidate"), other)), undefined)
  // One more command applied: a spec step.
  t.is(p.check(before, undefined, world(at(2, new Map([["x", "1"], ["y", "2"]])), other)), undefined)
  // Two keys changed in one step, with the commit index (and without it: a store applied out of band).
  const two = new Map([["x", "1"], ["y", "2"], ["z", "3"]])
  t.regex(p.check(before, undefined, world(at(3, two), other)) ?? "", /not a spec step/)
  t.regex(p.check(before, undefined, world(at(1, two), other)) ?? "", /not a spec step/)
  // Its declared scope (core/step-reads.ts): quiet on the stutter alone, and on a client's step.
  const quiet = declaredReads(p)?.scope
  if (typeof quiet !== "function") return t.fail("REFINES_KV declares a quiet scope")
  t.true(quiet(before, world(at(1, one, "candidate"), other), 0))
  t.false(quiet(before, world(at(2, new Map([["x", "1"], ["y", "2"]])), other), 0))
  t.false(quiet(before, world(at(1, two), other), 0))
  t.true(quiet(world(at(1, one), other, other), world(at(1, one), other, at(3, two)), 2), "a client's step")
})
