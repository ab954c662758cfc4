/**
 * BFS bounded by memory instead of the JS heap: the queue off-heap and spilling to disk under a
 * memory cap, checkpoints and resume giving the same counts and traces as an uninterrupted run.
 */
import test from "ava"
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { bfs } from "../../src/checker/explore.ts"
import { CheckpointError } from "../../src/checker/checkpoint.ts"
import { SpillQueue, queueCodec } from "../../src/checker/spill-queue.ts"
import { twoPhasePlain } from "../../spec/twophase-plain.ts"
import { twoPhase } from "../../spec/twophase.ts"
import { labelsOf, replayHit } from "../helpers.ts"

const temp = () => mkdtempSync(join(tmpdir(), "tla-ts-scale-"))
const counts = (r: { verdict: string; distinct: number; generated: number; depth: number }) => ({ verdict: r.verdict, distinct: r.distinct, generated: r.generated, depth: r.depth })

test("spill queue: records come back in order after going to disk under a small memory budget", (t) => {
  const dir = temp()
  const q = new SpillQueue(queueCodec(twoPhasePlain({ rm: 3 }), { pc: 0 } as never), dir, 1 << 20)
  const N = 30_000
  const pad = "x".repeat(100)
  for (let i = 0; i < N; i++) q.push({ pc: i, pad } as never, i)
  t.true(readdirSync(dir).length > 0, "some segments spilled")
  t.true(q.bytesInMemory < 4 << 20)
  let inOrder = 0
  while (q.shift()) if ((q.state as unknown as { pc: number }).pc === inOrder && q.id === inOrder) inOrder++
  t.is(inOrder, N)
  t.deepEqual(readdirSync(dir), [], "spilled segments are deleted once read")
})

test("spill queue saved and loaded: spilled segments are hard-linked, not copied, and the checkpoint outlives the resumed queue", (t) => {
  const dir = temp()
  const codec = queueCodec(twoPhasePlain({ rm: 3 }), { pc: 0 } as never)
  const q = new SpillQueue(codec, join(dir, "spill"), 1 << 20)
  const N = 30_000
  const pad = "x".repeat(100)
  for (let i = 0; i < N; i++) q.push({ pc: i, pad } as never, i)
  for (let i = 0; i < 100; i++) q.shift()
  q.save(join(dir, "saved"))
  const saved = readdirSync(join(dir, "saved")).filter((f) => f.endsWith(".bin"))
  t.true(saved.some((f) => statSync(join(dir, "saved", f)).nlink === 2), "a spilled segment is shared with the spill directory")
  const loaded = SpillQueue.load(join(dir, "saved"), codec, join(dir, "spill2"), 1 << 20)
  t.is(loaded.size, N - 100)
  let inOrder = 100
  while (loaded.shift()) if ((loaded.state as unknown as { pc: number }).pc === inOrder && loaded.id === inOrder) inOrder++
  t.is(inOrder, N)
  t.deepEqual(readdirSync(join(dir, "saved")).filter((f) => f.endsWith(".bin")), saved, "reading the resumed queue leaves the checkpoint whole")
})

test("bfs under a memory cap: plain TwoPhase RM=5 with its queue off the heap gives the same counts", (t) => {
  const system = twoPhasePlain({ rm: 5 })
  t.deepEqual(counts(bfs(system, { memoryMiB: 4 })), counts(bfs(system)))
})

test("bfs: a memory cap the fingerprint table alone exceeds stops the run with budget-exhausted and says why", (t) => {
  const r = bfs(twoPhase({ rm: 7 }), { memoryMiB: 2 })
  t.is(r.verdict, "budget-exhausted")
  t.regex(r.detail!, /memory: the fingerprint table alone holds \d+ MiB of the 2 MiB allowed/)
})

for (const [name, system] of [
  ["packed TwoPhase RM=6", twoPhase({ rm: 6 })],
  ["plain TwoPhase RM=5", twoPhasePlain({ rm: 5 })],
] as const)
  test(`checkpoint at a state budget, then resume: ${name} ends as an uninterrupted run`, (t) => {
    const dir = temp()
    const whole = bfs(system as never)
    const first = bfs(system as never, { maxStates: Math.floor(whole.distinct / 3), checkpoint: dir })
    t.is(first.verdict, "budget-exhausted")
    t.true(existsSync(join(dir, "current", "meta.json")))
    const second = bfs(system as never, { maxStates: Math.floor((whole.distinct * 2) / 3), resume: dir, checkpoint: dir })
    t.is(second.verdict, "budget-exhausted")
    t.deepEqual(counts(bfs(system as never, { resume: dir })), counts(whole))
  })

test("resume finds the same shortest counterexample, and it replays", (t) => {
  const dir = temp()
  const system = twoPhasePlain({ rm: 4, bugCommitWithoutAllPrepared: true })
  const whole = bfs(system)
  bfs(system, { maxStates: 40, checkpoint: dir })
  const r = bfs(system, { resume: dir })
  t.like(r, { verdict: "violation", property: "TCConsistent", depth: whole.depth })
  t.is(labelsOf(r.path).length, labelsOf(whole.path).length)
  t.is(replayHit(system, r)?.property, "TCConsistent")
})

test("resume rejects a missing checkpoint and one of another system", (t) => {
  const dir = temp()
  t.throws(() => bfs(twoPhase({ rm: 3 }), { resume: dir }), { instanceOf: CheckpointError, message: /no checkpoint in/ })
  bfs(twoPhase({ rm: 3 }), { maxStates: 10, checkpoint: dir })
  t.throws(() => bfs(twoPhase({ rm: 4 }), { resume: dir }), { instanceOf: CheckpointError, message: /is of TwoPhase\(RM=3\), not of TwoPhase\(RM=4\)/ })
})
