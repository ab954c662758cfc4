import test from "ava"
import type { Tagged } from "../../src/core/node.ts"
import type { World } from "../../src/core/world.ts"
import { leaderLogContiguous } from "../../src/protocols/paxos/properties-leader.ts"
import { Noop, type Entry, type PaxosState } from "../../src/protocols/paxos/server.ts"

const me = "server2/log"
const entry = (round: number, leader: string, chosen = false, command: Tagged = new Noop()): Entry => ({ chosen, round, leader, command })
const leaderWith = (log: ReadonlyArray<readonly [number, Entry]>, over: Partial<PaxosState> = {}): PaxosState =>
  ({ round: 1, leader: me, active: true, log: new Map(log), cleared: 0, slotOut: 0, ...over }) as unknown as PaxosState
const check = (s: PaxosState) => {
  const p = leaderLogContiguous([{ name: "server2", log: () => s }])
  const w = {} as World
  return p.holds(w) ? undefined : p.explain!(w)
}

test("LEADER_LOG_CONTIGUOUS: a leader that proposed slot 1 at its ballot with nothing in slot 0 breaks it", (t) => {
  t.is(check(leaderWith([[1, entry(1, me)]])), "server2 leads ballot (1, server2/log) with slot 1 proposed but nothing in slot 0")
})

test("LEADER_LOG_CONTIGUOUS: filled slots, executed or cleared slots below, a follower, and a stale leader that learned a later leader's chosen slot keep it", (t) => {
  t.is(check(leaderWith([[0, entry(0, "server1/log", true)], [1, entry(1, me)]])), undefined)
  t.is(check(leaderWith([[3, entry(1, me)]], { slotOut: 3 })), undefined)
  t.is(check(leaderWith([[3, entry(1, me)]], { cleared: 3, slotOut: 3 })), undefined)
  t.is(check(leaderWith([[1, entry(1, me)]], { active: false })), undefined)
  t.is(check(leaderWith([[1, entry(1, me, true)]])), undefined)
  t.is(check(leaderWith([[1, entry(2, "server3/log")]])), undefined)
})

test("LEADER_LOG_CONTIGUOUS: a leader that a majority moved past may hold a hole below its proposal (it learned a later leader's slot, then proposed above it); with a minority past it may not", (t) => {
  // hunt-scripted under seed 2: the ballot-0 leader, unaware of ballot 1, learns slot 2 and proposes slot 3.
  const stale = { round: 0, leader: "server1/log", active: true, log: new Map([[2, entry(1, "server3/log", true)], [3, entry(0, "server1/log")]]), cleared: 0, slotOut: 0 } as unknown as PaxosState
  const follower = (round: number) => ({ round, leader: round > 0 ? "server3/log" : "server1/log", active: false, log: new Map(), cleared: 0, slotOut: 0 }) as unknown as PaxosState
  const group = (...others: PaxosState[]) => leaderLogContiguous([stale, ...others].map((s, i) => ({ name: `server${i + 1}`, log: () => s })))
  const w = {} as World
  t.true(group(follower(1), follower(1)).holds(w))
  const minority = group(follower(1), follower(0))
  t.false(minority.holds(w))
  t.is(minority.explain!(w), "server1 leads ballot (0, server1/log) with slot 3 proposed but nothing in slot 0")
})
