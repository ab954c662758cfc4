/**
 * Exhaustive and sampled exploration of a transition system: BFS (shortest counterexamples), seeded
 * DFS, and seeded random simulation. All three share property checking, budgets, progress and the
 * determinism check; `explore` dispatches to them and to pbt.ts's fast-check schedules.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { loadCheckpoint, saveCheckpoint } from "./checkpoint.ts"
import { FingerprintSet, NO_PARENT } from "./fpset.ts"
import { ArrayQueue, type BfsQueue, queueCodec, SpillQueue } from "./spill-queue.ts"
import { determinismHit, shouldSample } from "./determinism.ts"
import { duplicateHit } from "./idempotence.ts"
import { minimisePath } from "./minimise.ts"
import { walk } from "./walk.ts"
import { checkPbt } from "./pbt.ts"
import { thenLiveness } from "./liveness.ts"
import { guidedSearch } from "./schedules.ts"
import { shardRange } from "./shard.ts"
import { exhaustiveResult, toResult } from "./outcome.ts"
import { pathFromFingerprints } from "./path.ts"
import { type Hit, PropertySet } from "./properties.ts"
import { Rng, freshSeed } from "./random.ts"
import type { CheckOptions, CheckResult, Path, Progress, Strategy } from "./result.ts"
import { type Fingerprint, newFingerprint, type TransitionSystem } from "./transition-system.ts"
import { appendLast } from "./symmetry.ts"
import { reduced } from "./reductions.ts"
import { porBfs } from "./por.ts"

// process.hrtime, not performance.now: the first read of the global `performance` loads node's perf_hooks (3-4 ms CPU), inside a small search's time.
const now = () => {
  const [s, ns] = process.hrtime()
  return s + ns / 1e9
}

/** Progress reporting and the wall-clock budget, checked every few thousand steps. */
export class Clock {
  readonly start = now()
  private lastReport = this.start
  constructor(private readonly options: CheckOptions) {}
  elapsed(): number {
    return now() - this.start
  }
  /** True when the time budget is spent. */
  tick(p: () => Omit<Progress, "seconds" | "statesPerSecond">): boolean {
    const t = now()
    if (this.options.onProgress && t - this.lastReport >= 1) {
      this.lastReport = t
      const q = p()
      const seconds = t - this.start
      this.options.onProgress({ ...q, seconds, statesPerSecond: q.distinct / seconds })
    }
    return this.options.maxSeconds !== undefined && t - this.start > this.options.maxSeconds
  }
}



export const bfs = <S, L>(system: TransitionSystem<S, L>, options: CheckOptions = {}): CheckResult<S, L> => {
  const props = new PropertySet(system)
  const clock = new Clock(options)
  const maxStates = options.maxStates ?? Infinity
  const maxDepth = options.maxDepth ?? Infinity
  const stopAtGoal = options.stopAtGoal ?? true
  const determinism = options.checkDeterminism ?? true
  const redelivery = options.checks ? system.redelivery : undefined
  // Bounded by memory, not by the heap: states queue off-heap and spill to disk (spill-queue.ts).
  const scaled = options.memoryMiB !== undefined || options.checkpoint !== undefined || options.resume !== undefined
  const memoryBytes = (options.memoryMiB ?? Infinity) * 2 ** 20
  const spillDir = scaled ? join(options.checkpoint ?? mkdtempSync(join(tmpdir(), "tla-ts-bfs-")), "spill") : undefined
  const fp = newFingerprint()
  let seen: FingerprintSet
  let queue: BfsQueue<S>
  let generated = 0
  let depth = 0
  let levelLeft = 0
  let expanded = 0
  let hit: Hit | undefined
  let hitParent = NO_PARENT
  let hitStep: { label: L; state: S } | undefined
  let hitDepth = 0
  let budgetHit = false
  let stoppedBy: string | undefined
  let goalSeen: Hit | undefined

  const record = (h: Hit, parent: number, step: { label: L; state: S } | undefined, d: number) => {
    if (h.kind === "goal" && !stopAtGoal) {
      goalSeen ??= h
      return
    }
    hit = h
    hitParent = parent
    hitStep = step
    hitDepth = d
  }

  if (options.resume !== undefined) {
    const loaded = loadCheckpoint(options.resume, system.name, queueCodec(system, system.initial()[0]!), spillDir, memoryBytes)
    ;({ seen, queue } = loaded)
    ;({ generated, depth, levelLeft, expanded } = loaded.counters)
  } else {
    const inits = system.initial()
    // Small, growing as it fills: a table for 2^16 states costs a small search 3-10 ms of page faults to zero 2.3 MB.
    seen = new FingerprintSet(1 << 12)
    queue = scaled ? new SpillQueue(queueCodec(system, inits[0]!), spillDir, memoryBytes) : new ArrayQueue<S>()
    for (const s of inits) {
      generated++
      system.fingerprint(s, fp)
      const id = seen.add(fp.hi, fp.lo, NO_PARENT)
      if (id < 0) continue
      const h = props.checkState(s)
      if (h) {
        record(h, NO_PARENT, { label: undefined as L, state: s }, 0)
        if (hit) break
      }
      queue.push(s, id)
    }
    levelLeft = queue.size
  }

  let parentId = 0
  let parentState: S
  const hasStepProps = props.steps.length > 0
  const emit = (label: L, next: S, print?: Fingerprint, holds?: boolean) => {
    if (hit) return
    generated++
    // A print handed over (unseenSuccessors) is the system's scratch: read before anything else runs
    // (into fp: in locals across the calls below, a print outside the small integers is a heap number).
    if (print !== undefined) {
      fp.hi = print.hi
      fp.lo = print.lo
    }
    // `holds`: the system has checked the step properties on this step already (unseenSuccessors).
    if (hasStepProps && holds !== true) {
      const h = props.checkStep(parentState, label, next)
      if (h) return record(h, parentId, { label, state: next }, depth + 1)
    }
    if (print === undefined) system.fingerprint(next, fp)
    const id = seen.add(fp.hi, fp.lo, parentId)
    if (id < 0) return
    const h = props.checkState(next)
    if (h) {
      record(h, parentId, { label, state: next }, depth + 1)
      if (hit) return
    }
    queue.push(next, id)
  }

  // Successors into seen states left unbuilt, where the system can check the step properties without them (compile.ts).
  // After a hit nothing more is counted as generated (emit returns at once): nothing is left out then either.
  const unseen = system.unseenSuccessors?.(system, props.steps, (hi, lo) => hit === undefined && seen.has(hi, lo))

  const checkpoint = () => {
    if (options.checkpoint !== undefined && queue instanceof SpillQueue) saveCheckpoint(options.checkpoint, system.name, seen, queue, { generated, depth, levelLeft, expanded })
  }
  let lastCheckpoint = clock.elapsed()
  while (!hit) {
    if (levelLeft === 0) {
      if (queue.size === 0) break
      depth++
      levelLeft = queue.size
    }
    if (seen.size >= maxStates) {
      stoppedBy = "states"
      break
    }
    if (memoryBytes < Infinity && seen.bytes > memoryBytes) {
      stoppedBy = `memory: the fingerprint table alone holds ${Math.round(seen.bytes / 2 ** 20)} MiB of the ${options.memoryMiB} MiB allowed`
      break
    }
    queue.shift()
    levelLeft--
    const s = queue.state
    parentId = queue.id
    if (depth >= maxDepth) {
      budgetHit = true
      continue
    }
    if (props.pruned(s)) continue
    if (
      shouldSample(expanded) &&
      ((determinism && (hit = determinismHit(system, s, true))) || (redelivery && (hit = duplicateHit(system, s, redelivery))))
    ) {
      hitParent = parentId
      hitDepth = depth
      break
    }
    parentState = s
    const omitted = unseen !== undefined ? unseen(s, emit) : system.successors(s, emit, props.steps)
    if (omitted) generated += omitted
    expanded++
    if ((expanded & 4095) === 0) {
      if (clock.tick(() => ({ generated, distinct: seen.size, queue: queue.size, depth }))) {
        stoppedBy = "time"
        break
      }
      if (queue instanceof SpillQueue) {
        queue.setMemoryBudget(Math.max(2 ** 21, memoryBytes - seen.bytes))
        if (clock.elapsed() - lastCheckpoint >= (options.checkpointEverySeconds ?? 60)) {
          checkpoint()
          lastCheckpoint = clock.elapsed()
        }
      }
    }
  }
  if (stoppedBy && !hit) checkpoint()
  if (queue.size > 0 && !hit) budgetHit = true
  if (spillDir !== undefined && options.checkpoint === undefined) rmSync(dirname(spillDir), { recursive: true, force: true })
  return exhaustiveResult({
    strategy: "bfs",
    hit,
    goalSeen,
    hasGoals: props.goals.length > 0,
    budgetHit,
    path: hit ? buildPath(system, seen, hitParent, hitStep) : undefined,
    distinct: seen.size,
    generated,
    depth: (hit ? hitDepth : depth) + 1,
    seconds: clock.elapsed(),
    ...(stoppedBy?.startsWith("memory") ? { detail: `stopped by ${stoppedBy}` } : {}),
  })
}

/** Path to the parent id, plus the final step (absent when the hit is the parent state itself). */
export const buildPath = <S, L>(
  system: TransitionSystem<S, L>,
  seen: FingerprintSet,
  parent: number,
  last: { label: L; state: S } | undefined
): Path<S, L> => {
  if (parent === NO_PARENT) {
    // An initial state itself.
    const inits = system.initial()
    const fp = newFingerprint()
    const want = newFingerprint()
    system.fingerprint(last!.state, want)
    const i = inits.findIndex((s) => (system.fingerprint(s, fp), fp.hi === want.hi && fp.lo === want.lo))
    return { initialIndex: i, initial: inits[i]!, steps: [] }
  }
  const base = pathFromFingerprints(system, seen.pathTo(parent))
  if (!last) return base
  const props = new PropertySet(system)
  return appendLast(system, base, last, props.steps.length > 0 ? (from, label, to) => props.checkStep(from, label, to) !== undefined : undefined)
}

/** Seeded depth-first search with a visited set; the path found is then minimised. */
export const dfs = <S, L>(system: TransitionSystem<S, L>, options: CheckOptions = {}): CheckResult<S, L> => {
  const props = new PropertySet(system)
  const clock = new Clock(options)
  const seed = options.seed ?? freshSeed()
  const rng = new Rng(seed)
  const maxStates = options.maxStates ?? Infinity
  const maxDepth = options.maxDepth ?? Infinity
  const determinism = options.checkDeterminism ?? true
  const seen = new FingerprintSet(1 << 16)
  const fp = newFingerprint()
  const stack: Array<{ state: S; id: number; depth: number }> = []
  let generated = 0
  let maxSeen = 0
  let hit: Hit | undefined
  let hitParent = NO_PARENT
  let hitStep: { label: L; state: S } | undefined
  let budgetHit = false
  const stopAtGoal = options.stopAtGoal ?? true
  let goalSeen: Hit | undefined

  for (const s of system.initial()) {
    generated++
    system.fingerprint(s, fp)
    const id = seen.add(fp.hi, fp.lo, NO_PARENT)
    if (id < 0) continue
    const h = props.checkState(s)
    if (h && (h.kind === "violation" || stopAtGoal)) {
      hit = h
      hitStep = { label: undefined as L, state: s }
      break
    }
    if (h) goalSeen ??= h
    stack.push({ state: s, id, depth: 0 })
  }
  stack.reverse()
  let expanded = 0
  const children: Array<{ label: L; next: S }> = []
  while (!hit && stack.length > 0) {
    if (seen.size >= maxStates) {
      budgetHit = true
      break
    }
    const { state, id, depth } = stack.pop()!
    if (depth > maxSeen) maxSeen = depth
    if (depth >= maxDepth) {
      budgetHit = true
      continue
    }
    if (props.pruned(state)) continue
    if (determinism && shouldSample(expanded) && (hit = determinismHit(system, state, true))) {
      hitParent = id
      break
    }
    children.length = 0
    system.successors(state, (label, next) => children.push({ label, next }))
    expanded++
    rng.shuffle(children)
    for (const { label, next } of children) {
      generated++
      const sh = props.checkStep(state, label, next)
      if (sh) {
        hit = sh
        hitParent = id
        hitStep = { label, state: next }
        break
      }
      system.fingerprint(next, fp)
      const nid = seen.add(fp.hi, fp.lo, id)
      if (nid < 0) continue
      const h = props.checkState(next)
      if (h && (h.kind === "violation" || stopAtGoal)) {
        hit = h
        hitParent = id
        hitStep = { label, state: next }
        break
      }
      if (h) goalSeen ??= h
      stack.push({ state: next, id: nid, depth: depth + 1 })
    }
    if ((expanded & 4095) === 0 && clock.tick(() => ({ generated, distinct: seen.size, queue: stack.length, depth: maxSeen }))) {
      budgetHit = true
      break
    }
  }
  if (stack.length > 0 && !hit) budgetHit = true
  let path = hit ? buildPath(system, seen, hitParent, hitStep) : undefined
  if (path && hit && (options.minimise ?? true)) path = minimisePath(system, path, hit)
  return exhaustiveResult({
    strategy: "dfs",
    hit,
    goalSeen,
    hasGoals: props.goals.length > 0,
    budgetHit,
    path,
    distinct: seen.size,
    generated,
    depth: (path ? path.steps.length : maxSeen) + 1,
    seconds: clock.elapsed(),
    seed,
  })
}

/**
 * Random simulation: `samples` runs of up to `maxDepth` steps, run i seeded with hash(seed, i).
 * Distinct states are counted over all runs. A run ends early in a state with no enabled step.
 */
export const simulate = <S, L>(system: TransitionSystem<S, L>, options: CheckOptions = {}): CheckResult<S, L> => {
  const props = new PropertySet(system)
  const clock = new Clock(options)
  const seed = options.seed ?? freshSeed()
  const samples = options.samples ?? 1000
  const maxDepth = options.maxDepth ?? 100
  const maxSteps = options.maxStates ?? Infinity
  const seen = new FingerprintSet(1 << 16)
  const fp = newFingerprint()
  const inits = system.initial()
  const labels: L[] = []
  const nexts: S[] = []
  const emit = (label: L, next: S) => {
    labels.push(label)
    nexts.push(next)
  }
  let generated = 0
  let maxSeen = 0
  let hit: Hit | undefined
  let goalSeen: Hit | undefined
  let hitSample = -1
  let budgetHit = false
  const stopAtGoal = options.stopAtGoal ?? true
  const determinism = options.checkDeterminism ?? true
  let expanded = 0
  const [first, end] = shardRange(samples, options.shard)
  let sample = first
  for (; sample < end && !hit; sample++) {
    const rng = Rng.forSample(seed, sample)
    let state: S = inits[rng.int(inits.length)]!
    let h = props.checkState(state)
    let depth = 0
    while (!h) {
      if (depth >= maxDepth) break
      if (determinism && shouldSample(expanded++) && (h = determinismHit(system, state, true))) break
      labels.length = 0
      nexts.length = 0
      system.successors(state, emit)
      if (nexts.length === 0) break
      const k = rng.int(nexts.length)
      generated++
      h = props.checkStep(state, labels[k]!, nexts[k]!)
      state = nexts[k]!
      depth++
      system.fingerprint(state, fp)
      seen.add(fp.hi, fp.lo, NO_PARENT)
      h ??= props.checkState(state)
      if (h && h.kind === "goal" && !stopAtGoal) {
        goalSeen ??= h
        h = undefined
      }
      if (props.pruned(state)) break
    }
    if (depth > maxSeen) maxSeen = depth
    if (h) {
      hit = h
      hitSample = sample
      break
    }
    if ((sample & 63) === 63 && clock.tick(() => ({ generated, distinct: seen.size, queue: end - sample, depth: maxSeen }))) {
      budgetHit = true
      break
    }
    if (generated >= maxSteps) {
      budgetHit = sample + 1 < end
      break
    }
  }
  let path: Path<S, L> | undefined
  if (hit) {
    // The same sample again, keeping its states; a determinism failure is looked for in every state.
    const rng = Rng.forSample(seed, hitSample)
    const pick = (n: number) => rng.int(n)
    path = walk(system, maxDepth, pick, pick, props, {
      stopAtGoal,
      ...(hit.property === "DETERMINISM" ? { beforeExpand: (s: S) => determinismHit(system, s) } : {}),
    }).path
    if (hit.property !== "DETERMINISM" && (options.minimise ?? true)) path = minimisePath(system, path, hit)
  }
  return toResult({
    strategy: "random",
    hit,
    goalSeen,
    hasGoals: props.goals.length > 0,
    ranOut: budgetHit,
    complete: false,
    path,
    distinct: seen.size,
    generated,
    depth: (path ? path.steps.length : maxSeen) + 1,
    seconds: clock.elapsed(),
    seed,
  })
}

export const explore = <S, L>(given: TransitionSystem<S, L>, options: CheckOptions = {}): CheckResult<S, L> => {
  if (options.memo === false && given.memo) return given.memo.bypass(() => explore(given, { ...options, memo: true }))
  const strategy: Strategy = options.strategy ?? "bfs"
  if (options.por) return porBfs(given, options)
  const system = reduced(given, options)
  switch (strategy) {
    case "bfs":
      return thenLiveness(system, bfs(system, options), options)
    case "dfs":
      return dfs(system, options)
    case "random":
      return simulate(system, options)
    case "pbt":
      return checkPbt(system, options)
    case "swarm":
    case "pct":
    case "coverage":
      return guidedSearch(system, strategy, options)
  }
}
