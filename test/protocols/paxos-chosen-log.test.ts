/** Paxos's chosen-log abstraction: values interned by content, and REFINES_CONSENSUS still catches a chosen value that changes. */
import test from "ava"
import type { World } from "../../src/core/world.ts"
import type { Replica } from "../../src/protocols/paxos/properties.ts"
import { declaredReads } from "../../src/core/step-reads.ts"
import { chosenLog, refinesConsensus } from "../../src/protocols/paxos/refinement.ts"
import type { PaxosState } from "../../src/protocols/paxos/server.ts"

type Entry = { readonly chosen: boolean; readonly round: number; readonly leader: string; readonly command: { readonly _tag: string; readonly client?: string; readonly seq?: number } }
const cmd = (client: string, seq: number) => ({ _tag: "AMOCommand", client, seq })
const entry = (chosen: boolean, client: string, seq = 1): Entry => ({ chosen, round: 0, leader: "s1", command: cmd(client, seq) })
const paxos = (log: ReadonlyArray<readonly [number, Entry]>, cleared = 0) => ({ log: new Map(log), cleared }) as unknown as PaxosState
/** A fake world: each replica's log state (undefined: down, nothing persisted). */
const world = (...logs: Array<PaxosState | undefined>) => ({ logs }) as unknown as World
const group: Replica[] = [0, 1, 2].map((i) => ({ name: `s${i + 1}`, log: (w: World) => (w as unknown as { logs: Array<PaxosState | undefined> }).logs[i] }))

test("equal chosen entries in other log objects give the very same abstract state; an accepted entry leaves it", (t) => {
  const abs = chosenLog(group)
  const a = abs(world(paxos([[1, entry(true, "c1")]]), paxos([[1, entry(true, "c1")]]), undefined))
  const b = abs(world(paxos([[1, entry(true, "c1")], [2, entry(false, "c2")]]), paxos([[1, entry(true, "c1")]]), paxos([])))
  t.is(abs(world(paxos([[1, entry(true, "c1")]]), undefined, undefined)), a)
  t.is(b, a, "an accepted entry and a third replica's empty log are still the same content")
  t.deepEqual([...b.chosen], [[1, "c1#1"]])
  const c = abs(world(paxos([[1, entry(true, "c1")], [2, entry(true, "c2")]]), undefined, undefined))
  t.deepEqual([...c.chosen], [[1, "c1#1"], [2, "c2#1"]])
  const compacted = abs(world(paxos([[2, entry(true, "c2")]], 2), paxos([[1, entry(true, "c1")]]), undefined))
  t.is(compacted.base, 2)
  t.deepEqual([...compacted.chosen], [[2, "c2#1"]])
})

test("REFINES_CONSENSUS catches a slot whose chosen value changes, and passes a new choice", (t) => {
  const p = refinesConsensus<World, string>(group)
  const before = world(paxos([[1, entry(true, "c1")]]), paxos([]), paxos([]))
  t.is(p.check(before, "step", world(paxos([[1, entry(true, "c1")]]), paxos([[1, entry(true, "c1")]]), paxos([]))), undefined)
  t.is(p.check(before, "step", world(paxos([[1, entry(true, "c1")], [2, entry(true, "c2")]]), paxos([]), paxos([]))), undefined)
  const why = p.check(before, "step", world(paxos([[1, entry(true, "c2")]]), paxos([]), paxos([])))
  t.truthy(why)
  t.regex(why!, /not a spec step/)
})

test("REFINES_CONSENSUS's declared scope: quiet on a step that keeps each replica's chosen entries and compaction point, not on one that changes either", (t) => {
  const d = declaredReads(refinesConsensus<World, string>(group))
  const quiet = d?.scope
  if (typeof quiet !== "function") return t.fail("REFINES_CONSENSUS declares a quiet scope")
  const before = world(paxos([[1, entry(true, "c1")]]), paxos([]), undefined)
  t.true(quiet(before, before, 0))
  t.true(quiet(before, world(paxos([[1, entry(true, "c1")], [2, entry(false, "c2")]]), paxos([]), undefined), 0), "an accepted entry")
  t.true(quiet(before, world(paxos([[1, entry(true, "c1")]]), paxos([]), undefined), 0), "equal chosen entries in another log object")
  t.false(quiet(before, world(paxos([[1, entry(true, "c2")]]), paxos([]), undefined), 0), "a chosen value changed")
  t.false(quiet(before, world(paxos([[1, entry(true, "c1")]]), paxos([[1, entry(true, "c1")]]), undefined), 1), "a new chosen entry")
  t.false(quiet(before, world(paxos([[1, entry(true, "c1")]], 1), paxos([]), undefined), 0), "compacted")
  t.false(quiet(before, world(undefined, paxos([]), undefined), 0), "down, nothing persisted")
  t.false(quiet(before, world(paxos([[1, entry(true, "c1")]]), paxos([]), paxos([])), 2), "up with a log")
})
