/**
 * Raft's invariants cache their verdicts per tuple of the servers' states and storage (GroupVerdicts):
 * a world made of nodes seen before gets the verdict computed then, a changed node is checked afresh,
 * and a violation is still reported (with its explanation) when it comes back in another world.
 */
import test from "ava"
import type { NodeRec, World } from "../../src/core/world.ts"
import { raftInvariants } from "../../src/protocols/raft/properties.ts"
import type { RaftState } from "../../src/protocols/raft/server.ts"

const raft = (role: RaftState["role"], term: number): RaftState => ({
  role, term, votedFor: null, log: [], snapIndex: 0, snapTerm: 0, snap: undefined, commitIndex: 0, votes: null, next: null, match: null, leader: null,
})
const durable = (s: RaftState) => ({ log: { term: s.term, votedFor: s.votedFor, log: s.log, snapIndex: s.snapIndex, snapTerm: s.snapTerm, snap: s.snap, commitIndex: s.commitIndex } })
const node = (s: RaftState): NodeRec => ({ state: { log: s, app: {} }, timers: [], up: true, durable: durable(s), client: undefined, hi: 0, lo: 0, sh: 0, sl: 0, dh: 0, dl: 0 }) as unknown as NodeRec
const world = (...nodes: NodeRec[]): World => ({ nodes, net: [], sendSeq: 0, aux: { step: 0, history: undefined, messagesSent: 0 } })

test("Raft's cached invariants: the same nodes in a new world keep their verdict, a changed node is checked afresh", (t) => {
  const names = ["s1", "s2"]
  const props = raftInvariants(2, names)
  const safety = props.find((p) => p.name === "ELECTION_SAFETY")!
  const allHold = (w: World) => props.every((p) => p.holds(w))
  const leader = node(raft("leader", 2))
  const follower = node(raft("follower", 2))
  const rival = node(raft("leader", 2))
  t.true(allHold(world(leader, follower)))
  // One changed node: checked afresh, and the planted second leader of term 2 is caught.
  const bad = world(leader, rival)
  t.false(safety.holds(bad))
  t.is(safety.explain?.(bad), "s1 and s2 both lead term 2")
  // The same node objects in other world objects: the cached verdicts, both ways.
  t.true(allHold(world(leader, follower)))
  t.false(safety.holds(world(leader, rival)))
  t.is(safety.explain?.(world(leader, rival)), "s1 and s2 both lead term 2")
  // Equal data in new objects gives the same verdict (the cache is by identity, the verdict by content).
  t.false(safety.holds(world(node(raft("leader", 2)), node(raft("leader", 2)))))
  t.true(safety.holds(world(node(raft("leader", 2)), node(raft("leader", 3)))))
})
