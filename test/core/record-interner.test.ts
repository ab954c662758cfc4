import test from "ava"
import { deserialize, serialize } from "node:v8"
import { buildSystem } from "../../src/checker/parallel-protocol.ts"
import { newFingerprint, type TransitionSystem } from "../../src/checker/transition-system.ts"
import { canonicalText } from "../../src/core/encode.ts"
import { RecordInterner } from "../../src/core/record-interner.ts"
import type { NodeRec, World } from "../../src/core/world.ts"
import { REGISTRY_URL } from "../../src/registry/index.ts"

const RAFT = { loader: REGISTRY_URL, model: "raft", test: "exhaustive-election", params: { maxTerm: "2" } } as const

/** Worlds of the first levels of Raft's election search (at most `width` a level), as the successor function built them. */
const worlds = (system: TransitionSystem<World, unknown>, levels: number, width = 300): World[] => {
  let level = system.initial()
  const all = [...level]
  for (let d = 0; d < levels; d++) {
    const next: World[] = []
    for (const s of level) system.successors(s, (_, n) => void next.push(n))
    level = next.slice(0, width)
    all.push(...level)
  }
  return all
}

/** What another thread hands over: the world through structured clone, fresh objects throughout. */
const decoded = (w: World): World => deserialize(serialize(w)) as World

const fingerprint = (system: TransitionSystem<World, unknown>, w: World) => {
  const f = newFingerprint()
  system.fingerprint(w, f)
  return f
}

test("a world decoded from another thread gets back the node records this thread holds, same fingerprint", async (t) => {
  const system = (await buildSystem(RAFT)) as TransitionSystem<World, unknown>
  const w = worlds(system, 4).at(-1)!
  const interner = system.interner!()
  // Records this thread does not hold stay the decoded ones.
  const unknown = interner.adopt(decoded(w))
  t.true(unknown.nodes.every((r, i) => r !== w.nodes[i]))
  t.is(interner.replaced(), 0)
  interner.keep(w)
  const adopted = interner.adopt(decoded(w))
  t.true(adopted.nodes.every((r, i) => r === w.nodes[i]))
  t.deepEqual(fingerprint(system, adopted), fingerprint(system, w))
  t.is(interner.replaced(), w.nodes.length)
})

test("a record this thread does not hold keeps its own hash but takes the node state and storage it holds", async (t) => {
  const system = (await buildSystem(RAFT)) as TransitionSystem<World, unknown>
  const w = worlds(system, 4).at(-1)!
  const interner = new RecordInterner()
  interner.keep(w)
  const copy = decoded(w)
  const r = copy.nodes[0]!
  // Another record of the same state and storage (as one whose timers differ would be).
  ;(copy.nodes as NodeRec[])[0] = { ...r, hi: (r.hi ^ 1) >>> 0 }
  const adopted = interner.adopt(copy).nodes[0]!
  t.not(adopted, w.nodes[0])
  t.is(adopted.hi, (w.nodes[0]!.hi ^ 1) >>> 0)
  t.is(adopted.state, w.nodes[0]!.state)
  if (typeof w.nodes[0]!.durable === "object") t.is(adopted.durable, w.nodes[0]!.durable)
  t.is(adopted.timers, r.timers)
})

test("a small table (slots shared, older entries replaced) still gives back only equal records", async (t) => {
  const system = (await buildSystem(RAFT)) as TransitionSystem<World, unknown>
  const all = worlds(system, 5)
  const interner = new RecordInterner(3, 1)
  for (const w of all) interner.keep(w)
  for (const w of all) {
    const adopted = interner.adopt(decoded(w))
    t.deepEqual(fingerprint(system, adopted), fingerprint(system, w))
    t.true(adopted.nodes.every((r, i) => r.hi === w.nodes[i]!.hi && r.lo === w.nodes[i]!.lo && canonicalText(r.state) === canonicalText(w.nodes[i]!.state)))
  }
  t.true(interner.replaced() > 0)
})
