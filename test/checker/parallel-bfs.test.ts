import test from "ava"
import { fileURLToPath } from "node:url"
import { bfs } from "../../src/checker/explore.ts"
import { NO_PARENT } from "../../src/checker/fpset.ts"
import { parallelBfs, type ModelRef } from "../../src/checker/parallel-bfs.ts"
import { buildSystem } from "../../src/checker/parallel-protocol.ts"
import { SharedFpSet } from "../../src/checker/shared-fpset.ts"
import { queueKindOf, queueReader, queueWriter } from "../../src/checker/shared-queue.ts"
import type { TransitionSystem } from "../../src/checker/transition-system.ts"
import { REGISTRY_URL } from "../../src/registry/index.ts"
import { labelsOf, replayHit } from "../helpers.ts"

// Each run starts its own workers: run one at a time so that they do not fight for the cores.
const counts = (r: { verdict: string; distinct: number; generated: number; depth: number; complete: boolean }) => ({
  verdict: r.verdict,
  distinct: r.distinct,
  generated: r.generated,
  depth: r.depth,
  complete: r.complete,
})

// Small models finish before a worker has started unless the search waits for it (startTogether).
const same = (ref: ModelRef, startTogether = true) =>
  test.serial(`same counts as bfs: ${ref.model} ${JSON.stringify(ref.params)} ${ref.test ?? ""}${startTogether ? "" : " (workers join as they start)"}`, async (t) => {
    const expected = counts(bfs(await buildSystem(ref)))
    t.deepEqual(counts(await parallelBfs(ref, { workers: 2, startTogether })), expected)
  })

for (const rm of ["3", "4", "5"]) same({ loader: REGISTRY_URL, model: "twophase", params: { rm } })
same({ loader: REGISTRY_URL, model: "tcommit", params: { rm: "3" } })
// 296,448 states outgrow the smallest table (2^18 slots, grown at 75%): the threads pause mid-level and resume on a grown table.
same({ loader: REGISTRY_URL, model: "twophase", params: { rm: "7" } })
// The worker joins at a level after the coordinator alone may have grown the table.
same({ loader: REGISTRY_URL, model: "twophase", params: { rm: "7" } }, false)
// Object states cross threads as structured-clone bytes.
same({ loader: REGISTRY_URL, model: "clientserver", params: {}, test: "exhaustive-appends" })

for (const rm of ["2", "3"]) {
  test.serial(`planted bug, RM=${rm}: the same shortest violation as bfs, and it replays`, async (t) => {
    const ref = { loader: REGISTRY_URL, model: "twophase", params: { rm }, test: "bug-commit-without-all-prepared" }
    const system = await buildSystem(ref)
    const r = await parallelBfs(ref, { workers: 2, startTogether: true })
    t.is(r.verdict, "violation")
    t.is(r.property, "TCConsistent")
    t.is(r.path!.steps.length, bfs(system).path!.steps.length)
    t.is(r.path!.steps.length, 5, labelsOf(r.path).join(", "))
    t.is(r.depth, 6)
    t.is(replayHit(system, r)?.property, "TCConsistent")
  })
}

test.serial("a violation in an object-state system: shortest, and it replays", async (t) => {
  const ref = { loader: REGISTRY_URL, model: "clientserver", params: {}, test: "bug-execute-retries" }
  const system = await buildSystem(ref)
  const r = await parallelBfs(ref, { workers: 2, startTogether: true })
  t.is(r.verdict, "violation")
  t.is(r.path!.steps.length, bfs(system).path!.steps.length)
  t.is(replayHit(system, r)?.property, r.property)
})

test.serial("depth budget: the same levels as bfs", async (t) => {
  const ref = { loader: REGISTRY_URL, model: "twophase", params: { rm: "3" }, test: "bug-commit-without-all-prepared" }
  const r = await parallelBfs(ref, { workers: 2, maxDepth: 4, startTogether: true })
  t.deepEqual(counts(r), counts(bfs(await buildSystem(ref), { maxDepth: 4 })))
  t.is(r.verdict, "budget-exhausted")
})

test.serial("state budget: stops early, incomplete", async (t) => {
  const r = await parallelBfs({ loader: REGISTRY_URL, model: "twophase", params: { rm: "5" } }, { workers: 2, maxStates: 1000, startTogether: true })
  t.like(r, { verdict: "budget-exhausted", complete: false })
  t.true(r.distinct >= 1000 && r.distinct < 8832, String(r.distinct))
})

test.serial("time budget: the workers stop, incomplete", async (t) => {
  const r = await parallelBfs({ loader: REGISTRY_URL, model: "twophase", params: { rm: "8" } }, { workers: 2, maxSeconds: 0.2 })
  t.like(r, { verdict: "budget-exhausted", complete: false })
  t.true(r.distinct < 1_745_408)
})

test.serial("unknown model or test: rejected before any worker starts", async (t) => {
  await t.throwsAsync(parallelBfs({ loader: REGISTRY_URL, model: "nope", params: {} }), { message: /unknown model "nope"/ })
  await t.throwsAsync(parallelBfs({ loader: REGISTRY_URL, model: "twophase", params: {}, test: "nope" }), { message: /has no test "nope"/ })
})

test("shared table: ids, duplicates, growth and parent paths", (t) => {
  let seen = SharedFpSet.create(0)
  const n = 300_000 // beyond the smallest table's growth point
  let parent = NO_PARENT
  const ids: number[] = []
  for (let i = 0; i < n; i++) {
    if (seen.claimed >= seen.growAt) {
      const grown = seen.grownIds()
      // As two workers would: each re-inserts half the old slots.
      grown.rehashPart(seen, 1, 2)
      grown.rehashPart(seen, 0, 2)
      seen = grown
    }
    const id = seen.add(i * 7919, i ^ 0x5bd1e995, parent)
    t.true(id >= 0)
    ids.push(id)
    parent = id
  }
  for (let i = 0; i < n; i += 997) t.is(seen.add(i * 7919, i ^ 0x5bd1e995, NO_PARENT), -1)
  t.true(seen.capacity > 1 << 18)
  const path = seen.pathTo(ids[9]!)
  t.deepEqual(
    path,
    Array.from({ length: 10 }, (_, i) => [(i * 7919) >>> 0, (i ^ 0x5bd1e995) >>> 0])
  )
})

const objects: TransitionSystem<{ readonly xs: ReadonlyArray<number>; readonly m: ReadonlyMap<string, number> }, number> = {
  name: "objects",
  initial: () => [],
  successors: () => {},
  fingerprint: () => {},
  formatLabel: String,
  view: (s) => s,
  properties: [],
}

test("queues: numbers and structured-clone bytes survive growth and the trip through a segment", (t) => {
  const numbers = queueWriter(objects as unknown as TransitionSystem<number, number>, "number")
  for (let i = 0; i < 5000; i++) numbers.push(i * 1.5 + 2 ** 40, i)
  const nr = queueReader(objects as unknown as TransitionSystem<number, number>, numbers.segment())
  t.is(nr.count, 5000)
  t.is(nr.state(4999), 4999 * 1.5 + 2 ** 40)
  t.is(nr.id(4999), 4999)

  t.is(queueKindOf(objects, { xs: [], m: new Map() }), "bytes")
  const bytes = queueWriter(objects, "bytes")
  for (let i = 0; i < 3000; i++) bytes.push({ xs: [i, i + 1], m: new Map([["k", i]]) }, i + 7)
  const br = queueReader(objects, bytes.segment())
  t.is(br.count, 3000)
  t.deepEqual(br.state(0), { xs: [0, 1], m: new Map([["k", 0]]) })
  t.deepEqual(br.state(2999), { xs: [2999, 3000], m: new Map([["k", 2999]]) })
  t.is(br.id(2999), 3006)
  bytes.clear()
  t.is(bytes.segment().count, 0)
})

test("queues: a system's own encode / decode is used", (t) => {
  const coded: TransitionSystem<number, number> = {
    ...(objects as unknown as TransitionSystem<number, number>),
    encode: (s) => Uint8Array.of(s),
    decode: (b) => b[0]! + 1000,
  }
  t.is(queueKindOf(coded, 5), "bytes")
  const w = queueWriter(coded, "bytes")
  w.push(5, 0)
  t.is(queueReader(coded, w.segment()).state(0), 1005)
})

test.serial("a worker that starts during a level joins it: one wide slow level, and the worker generates part of it", async (t) => {
  const ref: ModelRef = { loader: REGISTRY_URL, model: fileURLToPath(new URL("./fixtures/wide-level.ts", import.meta.url)), params: {} }
  const r = await parallelBfs(ref, { workers: 2 })
  t.like(r, { verdict: "ok", distinct: 40001, complete: true })
  // Waiting for the next level, as workers did, it would find none: the coordinator alone would have generated everything.
  t.true(r.generatedByThread[1]! > 0, `generated by thread: ${r.generatedByThread.join(", ")}`)
  t.is(r.generatedByThread.reduce((a, b) => a + b, 0), r.generated - 1) // the initial state is the coordinator's, before any thread searches
})
