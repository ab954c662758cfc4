/** Retransmissions on live connections, and messages one sent before carries, are left out; they go again as soon as a copy may have been lost. */
import test from "ava"
import type * as raft from "../../src/protocols/raft/server.ts"
import { CoverHold, ResendDamper } from "../../src/runtime/resend.ts"
import { SERVICES } from "../../src/runtime/services.ts"

const link = () => ({ isOpen: true })

test("a repeated frame on the same open connections is left out; a new connection, a closed one or the end of the window lets it go", (t) => {
  let now = 0
  const d = new ResendDamper(500, () => now)
  const out = link()
  const back = link()
  t.false(d.redundant("b", "P2a 1", out, back), "the first copy goes")
  t.true(d.redundant("b", "P2a 1", out, back), "a reproposal on the same connections is left out")
  t.false(d.redundant("c", "P2a 1", link(), link()), "another peer is another matter")
  t.false(d.redundant("b", "P2a 2", out, back), "another frame goes")
  // The peer's connection back was replaced: its answer may have been lost, so the copy goes again.
  const back2 = link()
  t.false(d.redundant("b", "P2a 1", out, back2))
  t.true(d.redundant("b", "P2a 1", out, back2))
  // Our connection to the peer closed (and came back as a new one): the first copy may be lost.
  const out2 = link()
  t.false(d.redundant("b", "P2a 1", out2, back2))
  back2.isOpen = false
  t.false(d.redundant("b", "P2a 1", out2, back2), "an answer cannot come back on a closed connection")
  t.false(d.redundant("b", "P2a 3", out2, undefined), "no connection back from the peer: nothing is left out")
  t.false(d.redundant("b", "P2a 3", out2, undefined))
  // The window bounds how long a copy is trusted.
  const back3 = link()
  t.false(d.redundant("b", "P2a 4", out2, back3))
  now = 499
  t.true(d.redundant("b", "P2a 4", out2, back3))
  now = 500
  t.false(d.redundant("b", "P2a 4", out2, back3), "past the window the copy goes again")
})

test("a message the last one sent carries is left out on the same open connections, within the window", (t) => {
  let now = 0
  // Messages as [from, to] intervals: the earlier covers the later if it spans it.
  const h = new CoverHold<readonly [number, number]>(50, (a, b) => a[0] <= b[0] && a[1] >= b[1] && b[1] > b[0], () => now)
  const out = link()
  const back = link()
  t.false(h.needless("b", [4, 6], out, back), "the first goes")
  t.true(h.needless("b", [5, 6], out, back), "carried by the one before")
  t.false(h.needless("b", [3, 6], out, back), "reaches further back (the follower refused the first)")
  t.false(h.needless("b", [6, 6], out, back), "one that covers nothing (a heartbeat) always goes")
  t.true(h.needless("b", [4, 5], out, back), "a heartbeat did not replace the last one that covers")
  t.false(h.needless("c", [4, 5], out, back), "another peer")
  t.false(h.needless("b", [4, 5], link(), back), "another connection out")
  t.false(h.needless("b", [4, 5], out, link()), "another connection back: the answer to the first may be lost")
  t.false(h.needless("b", [4, 5], out, undefined), "no connection back")
  t.false(h.needless("b", [10, 12], out, back))
  now = 49
  t.true(h.needless("b", [11, 12], out, back))
  now = 50
  t.false(h.needless("b", [11, 12], out, back), "past the window it goes")
  out.isOpen = false
  t.false(h.needless("b", [11, 12], out, back), "the connection closed")
})

test("Raft: an AppendEntries goes unless one of its term sent before holds all its entries with as high a commit index", (t) => {
  const covers = SERVICES.raft!.covers!
  // Only the fields covers reads (the entries' commands are not looked at).
  const ae = (prevLogIndex: number, last: number, leaderCommit: number, term = 2) =>
    ({ _tag: "AppendEntries", term, prevLogIndex, prevLogTerm: 2, entries: Array.from({ length: last - prevLogIndex }, (_, k) => ({ term: 2, command: `c${prevLogIndex + 1 + k}` })), leaderCommit }) as unknown as raft.AppendEntries
  // Sent when entry 8 was appended, the follower's acknowledgement of 7 not yet in; then the answer to that acknowledgement.
  const first = ae(6, 8, 7)
  t.true(covers(first, first), "it may cover later ones")
  t.true(covers(first, ae(7, 8, 7)), "entry 8 again, nothing new")
  t.false(covers(first, ae(7, 8, 8)), "a higher commit index")
  t.false(covers(first, ae(7, 9, 7)), "a further entry")
  t.false(covers(first, ae(5, 8, 7)), "from further back")
  t.false(covers(first, ae(8, 8, 7)), "a heartbeat")
  t.false(covers(first, ae(7, 8, 7, 3)), "another term")
})
