/** Retransmissions on live connections are left out, and go again as soon as a copy may have been lost. */
import test from "ava"
import { ResendDamper } from "../../src/runtime/resend.ts"

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
