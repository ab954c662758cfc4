/**
 * plainFingerprint reuses, per position of the state tree, the hashes of entries it met before (by
 * identity): incremental hashing. Held here to the same fingerprint computed from scratch, on seeded
 * random walks that hash every successor of each state in turn, as BFS does (siblings share most of
 * their structure with the parent and with each other): of the plain TwoPhase and TCommit specs, and
 * of random plain data (objects, arrays, Sets, Maps, nested, with undefined fields and shared
 * sub-trees) edited one path at a time. A planted bug in the incremental scheme (a changed string
 * taken for the one hashed before) is caught.
 */
import test from "ava"
import { bfs } from "../../src/checker/explore.ts"
import { plainFingerprint, plainFingerprintFromScratch, plantStaleStringBug } from "../../src/checker/plain.ts"
import { Rng } from "../../src/checker/random.ts"
import { newFingerprint, type TransitionSystem } from "../../src/checker/transition-system.ts"
import { tCommitPlain } from "../../spec/tcommit-plain.ts"
import { twoPhasePlain } from "../../spec/twophase-plain.ts"

const SEED = 20261206

/**
 * Random walks through `system` from the seed: at each state every successor is fingerprinted
 * incrementally and from scratch; the first state whose prints differ is returned (as JSON), or
 * undefined. Returns how many states were compared too.
 */
const incrementalMismatch = <S, L>(system: TransitionSystem<S, L>, seed: number, walks: number, length: number) => {
  const rng = new Rng(seed)
  const inc = newFingerprint()
  const fresh = newFingerprint()
  const inits = system.initial()
  let compared = 0
  for (let w = 0; w < walks; w++) {
    let state = inits[rng.int(inits.length)]!
    for (let k = 0; k < length; k++) {
      const nexts: S[] = []
      system.successors(state, (_, next) => void nexts.push(next))
      for (const next of nexts) {
        plainFingerprint(next, inc)
        plainFingerprintFromScratch(next, fresh)
        compared++
        if (inc.hi !== fresh.hi || inc.lo !== fresh.lo) return { compared, mismatch: JSON.stringify(system.view(next)) }
      }
      if (nexts.length === 0) break
      state = nexts[rng.int(nexts.length)]!
    }
  }
  return { compared, mismatch: undefined }
}

/** Random plain data: a tree of objects, arrays, Sets and Maps over a small vocabulary. */
const WORDS = ["a", "b", "c", "working", "prepared", "r1", "r2"]
const leaf = (rng: Rng): unknown => {
  switch (rng.int(6)) {
    case 0:
      return rng.int(5) - 2
    case 1:
      return rng.int(4) === 0 ? undefined : WORDS[rng.int(WORDS.length)]
    case 2:
      return rng.int(2) === 0
    case 3:
      return rng.int(3) === 0 ? null : 0.5 * rng.int(4)
    default:
      return WORDS[rng.int(WORDS.length)]
  }
}
const randomValue = (rng: Rng, depth: number): unknown => {
  if (depth === 0 || rng.int(3) === 0) return leaf(rng)
  const n = rng.int(4)
  switch (rng.int(4)) {
    case 0:
      return Array.from({ length: n }, () => randomValue(rng, depth - 1))
    case 1:
      return new Set(Array.from({ length: n }, () => leaf(rng)))
    case 2:
      return new Map(Array.from({ length: n }, () => [WORDS[rng.int(WORDS.length)]!, randomValue(rng, depth - 1)] as const))
    default:
      return Object.fromEntries(Array.from({ length: n }, () => [WORDS[rng.int(WORDS.length)]!, randomValue(rng, depth - 1)]))
  }
}

/** A copy of `v` with one position replaced, added or removed; everything off that path shared. */
const edit = (rng: Rng, v: unknown, depth: number): unknown => {
  if (typeof v !== "object" || v === null || depth === 0 || rng.int(4) === 0) return randomValue(rng, depth)
  if (Array.isArray(v)) {
    const a = [...v]
    if (a.length === 0 || rng.int(4) === 0) a.push(randomValue(rng, depth - 1))
    else if (rng.int(4) === 0) a.pop()
    else {
      const i = rng.int(a.length)
      a[i] = edit(rng, a[i], depth - 1)
    }
    return a
  }
  if (v instanceof Set) {
    const s = new Set(v)
    const x = leaf(rng)
    if (s.has(x)) s.delete(x)
    else s.add(x)
    return s
  }
  if (v instanceof Map) {
    const m = new Map(v)
    const k = WORDS[rng.int(WORDS.length)]!
    if (m.has(k) && rng.int(3) === 0) m.delete(k)
    else m.set(k, edit(rng, m.get(k), depth - 1))
    return m
  }
  const o: Record<string, unknown> = { ...(v as Record<string, unknown>) }
  const k = WORDS[rng.int(WORDS.length)]!
  if (k in o && rng.int(4) === 0) delete o[k]
  else o[k] = edit(rng, o[k], depth - 1)
  return o
}

/** Plain data as a transition system: a state's successors are a few random edits of it (seeded by the state's own print). */
const randomData = (seed: number): TransitionSystem<unknown, number> => {
  const fp = newFingerprint()
  return {
    name: "random plain data",
    initial: () => [0, 1, 2].map((i) => randomValue(new Rng(seed + i), 4)),
    successors: (s, emit) => {
      plainFingerprintFromScratch(s, fp)
      const rng = new Rng((seed ^ fp.hi ^ Math.imul(fp.lo, 31)) >>> 0)
      for (let i = 0; i < 6; i++) emit(i, edit(rng, s, 4))
    },
    fingerprint: plainFingerprint,
    formatLabel: String,
    view: (s) => s,
    properties: [],
  }
}

test.serial("incremental plain fingerprints equal from-scratch ones: TwoPhase RM=4 and TCommit RM=4 random walks", (t) => {
  for (const system of [twoPhasePlain({ rm: 4 }), tCommitPlain({ rm: 4 })] as ReadonlyArray<TransitionSystem<unknown, unknown>>) {
    const r = incrementalMismatch(system, SEED, 40, 30)
    t.is(r.mismatch, undefined, system.name)
    t.true(r.compared > 1000, `${system.name}: ${r.compared} states compared`)
  }
})

test.serial("incremental plain fingerprints equal from-scratch ones: random plain data edited one path at a time", (t) => {
  for (const seed of [SEED, SEED + 1, SEED + 2]) {
    const r = incrementalMismatch(randomData(seed), seed, 30, 25)
    t.is(r.mismatch, undefined, `seed ${seed}`)
    t.true(r.compared > 1000, `seed ${seed}: ${r.compared} states compared`)
  }
})

test.serial("a planted incremental-hashing bug (a changed string taken for the one hashed before) is caught, and would have lost states", (t) => {
  plantStaleStringBug(true)
  try {
    const walked = incrementalMismatch(twoPhasePlain({ rm: 4 }), SEED, 40, 30)
    t.not(walked.mismatch, undefined, "the random walks compare an incremental print with a from-scratch one")
    t.not(incrementalMismatch(randomData(SEED), SEED, 30, 25).mismatch, undefined)
    // What the bug does to a search: distinct states merged (TLC: 1568).
    t.true(bfs(twoPhasePlain({ rm: 4 })).distinct < 1568)
  } finally {
    plantStaleStringBug(false)
  }
  t.is(bfs(twoPhasePlain({ rm: 4 })).distinct, 1568)
})
