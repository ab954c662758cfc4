/**
 * CatchUpHold (runtime/catch-up.ts): an InstallSnapshot to a peer is left out only while an
 * AppendEntries of the same term, sent before it over the same open connection less than the window
 * ago, reaches the snapshot point; otherwise it goes (a mismatch or a lost connection must not keep a
 * follower from its snapshot for longer than the window).
 */
import test from "ava"
import { CatchUpHold } from "../../src/runtime/catch-up.ts"

test("a transfer is needless only while an earlier message of its epoch on the same open link reaches its point", (t) => {
  let now = 0
  const hold = new CatchUpHold(2000, () => now)
  const link = { isOpen: true }
  const other = { isOpen: true }
  t.false(hold.needless("n2", { epoch: 3, index: 100 }, link), "nothing sent yet")
  hold.sent("n2", { epoch: 3, index: 120 }, link)
  t.true(hold.needless("n2", { epoch: 3, index: 100 }, link))
  t.true(hold.needless("n2", { epoch: 3, index: 120 }, link))
  t.false(hold.needless("n2", { epoch: 3, index: 121 }, link), "reaches less far than the snapshot")
  t.false(hold.needless("n3", { epoch: 3, index: 100 }, link), "another peer")
  t.false(hold.needless("n2", { epoch: 4, index: 100 }, link), "another term")
  t.false(hold.needless("n2", { epoch: 3, index: 100 }, other), "another connection")
  hold.sent("n2", { epoch: 3, index: 90 }, link) // a heartbeat reaching less far keeps the furthest reach
  t.true(hold.needless("n2", { epoch: 3, index: 100 }, link))
  now = 1999
  t.true(hold.needless("n2", { epoch: 3, index: 100 }, link))
  now = 2000
  t.false(hold.needless("n2", { epoch: 3, index: 100 }, link), "the window is over")
  hold.sent("n2", { epoch: 3, index: 150 }, link)
  link.isOpen = false
  t.false(hold.needless("n2", { epoch: 3, index: 100 }, link), "the connection closed")
})
