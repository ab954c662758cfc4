import test from "ava"
import { fileURLToPath } from "node:url"
import { bfs } from "../../src/checker/explore.ts"
import { NO_PARENT } from "../../src/checker/fpset.ts"
import { parallelBfs, type ModelRef } from "../../src/checker/parallel-bfs.ts"
import { buildSystem, controlWords, REFUSED } from "../../src/checker/parallel-protocol.ts"
import { answer, answered, ask, asked, claim, close, open, withdraw } from "../../src/checker/parallel-steal.ts"
import { SharedFpSet } from "../../src/checker/shared-fpset.ts"
import { handoff, handoffBuffers, stateKindOf } from "../../src/checker/shared-handoff.ts"
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
const same = (ref: ModelRef, startTogether = true, growths?: number) =>
  test.serial(`same counts as bfs: ${ref.model} ${JSON.stringify(ref.params)} ${ref.test ?? ""}${startTogether ? "" : " (workers join as they start)"}`, async (t) => {
    const expected = counts(bfs(await buildSystem(ref)))
    const r = await parallelBfs(ref, { workers: 2, startTogether })
    t.deepEqual(counts(r), expected)
    if (growths === undefined) return
    t.is(r.tableGrowths, growths)
    // Every searching thread re-inserted its slice of the table; the worker thread loaded the model (Linux: its CPU is read from /proc).
    t.true(r.threads.every((s) => s.rehashSeconds > 0))
    if (process.platform === "linux") t.true(r.threads[1]!.startCpuSeconds > 0)
  })

for (const rm of ["3", "4", "5"]) same({ loader: REGISTRY_URL, model: "twophase", params: { rm } })
same({ loader: REGISTRY_URL, model: "tcommit", params: { rm: "3" } })
// 296,448 states outgrow the smallest table (2^18 slots, grown at 50%): the threads pause mid-level and resume on a table
// grown once, fourfold (twofold, it grew twice).
same({ loader: REGISTRY_URL, model: "twophase", params: { rm: "7" } }, true, 1)
// The worker joins at a level after the coordinator alone may have grown the table.
same({ loader: REGISTRY_URL, model: "twophase", params: { rm: "7" } }, false)
// Object states cross threads as structured-clone bytes.
same({ loader: REGISTRY_URL, model: "clientserver", params: {}, test: "exhaustive-appends" })

// A coordinator that pauses every 0.05 ms often gives up waiting for the work it asked for (and withdraws the request): no state may be lost.
test.serial("same counts as bfs when the coordinator keeps pausing with a request for work outstanding", async (t) => {
  const ref = { loader: REGISTRY_URL, model: "twophase", params: { rm: "5" } }
  const r = await parallelBfs(ref, { workers: 2, startTogether: true, sliceMs: 0.05 })
  t.deepEqual(counts(r), counts(bfs(await buildSystem(ref))))
})

// States taken from the other thread get back the taker's own node records (core/record-interner.ts), so its caches keyed by identity hit.
test.serial("same counts as bfs on Raft, and the states a thread takes get back node records it holds", async (t) => {
  const ref = { loader: REGISTRY_URL, model: "raft", test: "exhaustive-election", params: { maxTerm: "2" } }
  const r = await parallelBfs(ref, { workers: 2, maxDepth: 8, startTogether: true })
  t.deepEqual(counts(r), counts(bfs(await buildSystem(ref), { maxDepth: 8 })))
  const stolen = r.threads.reduce((a, x) => a + x.stolen, 0)
  const adopted = r.threads.reduce((a, x) => a + x.adopted, 0)
  t.true(stolen > 0 && adopted > 0, JSON.stringify(r.threads))
  // Three records a state, nearly all of them held already.
  t.true(adopted <= 3 * stolen && adopted >= stolen, JSON.stringify(r.threads))
})

test("work requests: a thief may withdraw its request only until the giver claims it; a closed thread takes none", (t) => {
  const control = new Int32Array(new SharedArrayBuffer(controlWords(3) * 4))
  const [giver, thief] = [0, 1]
  open(control, giver, 10)
  t.true(ask(control, thief, giver))
  t.false(ask(control, 2, giver), "one request at a time")
  t.true(asked(control, giver))
  t.true(withdraw(control, thief, giver))
  t.is(claim(control, giver), -1, "withdrawn before the claim: nothing to answer")

  t.true(ask(control, thief, giver))
  t.is(claim(control, giver), thief)
  // The states are being written into the thief's buffer: taking the request back now would lose them.
  t.false(withdraw(control, thief, giver))
  t.is(answered(control, thief), 0)
  answer(control, giver, thief, 5)
  t.is(answered(control, thief), 5)

  t.true(ask(control, thief, giver))
  t.false(close(control, giver), "a pending request is answered before the thread closes")
  t.is(claim(control, giver), thief)
  answer(control, giver, thief, 0)
  t.is(answered(control, thief), REFUSED)
  t.true(close(control, giver))
  t.false(ask(control, thief, giver), "closed")
})

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

test.serial("unknown model or test: rejected, and the workers started beside the check end", async (t) => {
  await t.throwsAsync(parallelBfs({ loader: REGISTRY_URL, model: "nope", params: {} }), { message: /unknown model "nope"/ })
  await t.throwsAsync(parallelBfs({ loader: REGISTRY_URL, model: "twophase", params: {}, test: "nope" }), { message: /has no test "nope"/ })
})

test("shared table: grows fourfold up to 2^22 slots, then twofold", (t) => {
  const capacities = [SharedFpSet.create(0)]
  for (let i = 0; i < 3; i++) capacities.push(capacities.at(-1)!.grownIds())
  t.deepEqual(
    capacities.map((s) => Math.log2(s.capacity)),
    [18, 20, 22, 23]
  )
})

test("shared table: ids, duplicates, lookups, growth and parent paths", (t) => {
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
  for (let i = 0; i < n; i += 997) {
    // What parallel search asks before it builds a successor (unseenSuccessors): held, and the same hi with another lo not;
    // a fingerprint with a zero word (i = 0) is never said held (a word read 0 may not be written yet), and add still refuses it.
    t.is(seen.has(i * 7919, i ^ 0x5bd1e995), i !== 0)
    t.false(seen.has(i * 7919, i ^ 0x2545f491))
    t.is(seen.add(i * 7919, i ^ 0x5bd1e995, NO_PARENT), -1)
  }
  // 300,000 ids: the smallest table (2^18 slots) grew once, fourfold.
  t.is(seen.capacity, 1 << 20)
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

test("hand-offs: numbers and structured-clone bytes, taken from the end of the giver's frontier, as many as fit", (t) => {
  const nums = Array.from({ length: 5000 }, (_, i) => i * 1.5 + 2 ** 40)
  const numIds = Array.from({ length: 5000 }, (_, i) => i)
  const numbers = handoff(objects as unknown as TransitionSystem<number, number>, "number", handoffBuffers())
  // Half of what is left past index 1000: the last 2000 states, newest first.
  t.is(numbers.give(nums, numIds, 1000, 5000, 2000), 2000)
  const gotNums: number[] = []
  const gotNumIds: number[] = []
  numbers.take(2000, gotNums, gotNumIds)
  t.deepEqual(gotNums, nums.slice(3000).reverse())
  t.deepEqual(gotNumIds, numIds.slice(3000).reverse())

  t.is(stateKindOf(objects, { xs: [], m: new Map() }), "bytes")
  const objs = Array.from({ length: 3000 }, (_, i) => ({ xs: [i, i + 1], m: new Map([["k", i]]) }))
  const objIds = objs.map((_, i) => i + 7)
  // A small buffer: fewer states than asked for fit, and the giver keeps the rest.
  const bytes = handoff(objects, "bytes", handoffBuffers(1 << 10, 4096))
  const n = bytes.give(objs, objIds, 0, 3000, 1500)
  t.true(n > 10 && n < 1500, String(n))
  const got: Array<(typeof objs)[number]> = []
  const gotIds: number[] = []
  bytes.take(n, got, gotIds)
  t.deepEqual(got, objs.slice(3000 - n).reverse())
  t.deepEqual(gotIds, objIds.slice(3000 - n).reverse())
  t.throws(() => handoff(objects, "bytes", handoffBuffers(4, 8)).give(objs, objIds, 0, 1, 1), { instanceOf: RangeError, message: /exceeds the 8-byte hand-off buffer/ })
})

test("hand-offs: a system's own encode / decode is used", (t) => {
  const coded: TransitionSystem<number, number> = {
    ...(objects as unknown as TransitionSystem<number, number>),
    encode: (s) => Uint8Array.of(s),
    decode: (b) => b[0]! + 1000,
  }
  t.is(stateKindOf(coded, 5), "bytes")
  const h = handoff(coded, "bytes", handoffBuffers())
  t.is(h.give([5], [0], 0, 1, 1), 1)
  const got: number[] = []
  h.take(1, got, [])
  t.deepEqual(got, [1005])
})

test.serial("a worker that starts during a level joins it: one wide slow level, and the worker generates part of it", async (t) => {
  const ref: ModelRef = { loader: REGISTRY_URL, model: fileURLToPath(new URL("./fixtures/wide-level.ts", import.meta.url)), params: {} }
  const r = await parallelBfs(ref, { workers: 2 })
  t.like(r, { verdict: "ok", distinct: 40001, complete: true })
  // Waiting for the next level, as workers did, it would find none: the coordinator alone would have generated everything.
  t.true(r.generatedByThread[1]! > 0, `generated by thread: ${r.generatedByThread.join(", ")}`)
  // It started with no states: what it expanded it took from the coordinator.
  t.true(r.threads[1]!.stolen > 0 && r.threads[0]!.handedBytes > 0, JSON.stringify(r.threads))
  t.is(r.generatedByThread.reduce((a, b) => a + b, 0), r.generated - 1) // the initial state is the coordinator's, before any thread searches
})
