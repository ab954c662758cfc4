/**
 * Property-based search: fast-check generates schedules, a schedule is run against the system, and
 * fast-check's shrinking turns a failing schedule into a small one.
 *
 * A schedule is an initial-state choice plus an array of choices: at step k, choice c picks enabled
 * step `c % n` of the n steps the state has. The configuration's own fault events (drops, crashes,
 * restarts) are enabled steps like any other, so which faults strike, and when, is part of the
 * schedule. A run ends when the schedule is used up, when no step is enabled, in a pruned state, or
 * at the first property hit.
 *
 * The property is "no hit": an invariant or step-property violation fails it, and so does a goal
 * (unless `stopAtGoal` is false), so that shrinking also gives a small witness of a goal. Once a run
 * has failed, shrinking only accepts schedules that hit the same property, so a violation never
 * shrinks into a goal (or another violation). The shrunk schedule is replayed into a Path with real
 * labels and, unless `minimise` is false, minimised further by delta debugging over the labels.
 */
import { createRequire } from "node:module"
import type * as FastCheck from "fast-check"
import { determinismHit, shouldSample } from "./determinism.ts"
import { FingerprintSet, NO_PARENT } from "./fpset.ts"
import { minimisePath } from "./minimise.ts"
import { toResult } from "./outcome.ts"
import { type Hit, PropertySet } from "./properties.ts"
import { type Walk, walk, type WalkHooks } from "./walk.ts"
import { deriveSeed } from "./hash.ts"
import { freshSeed } from "./random.ts"
import type { CheckOptions, CheckResult, Path } from "./result.ts"
import { newFingerprint, type TransitionSystem } from "./transition-system.ts"

/** fast-check loads on first use: a command that runs no pbt search (most starts of the CLI) does not pay for it. */
let fastCheck: typeof FastCheck | undefined
const fc = (): typeof FastCheck => (fastCheck ??= createRequire(import.meta.url)("fast-check") as typeof FastCheck)

/** One generated schedule: which initial state, then one choice per step. */
export type Schedule = readonly [initial: number, choices: ReadonlyArray<number>]

/** The fast-check arbitrary of schedules of at most `maxDepth` steps. */
export const scheduleArbitrary = (maxDepth: number): FastCheck.Arbitrary<Schedule> =>
  fc().tuple(fc().nat(), fc().array(fc().noBias(fc().nat()), { maxLength: maxDepth, size: "max" }))

/** Runs one schedule: the initial state `schedule[0] % n`, then at step k enabled step `choices[k] % n`. */
export const runSchedule = <S, L>(system: TransitionSystem<S, L>, schedule: Schedule, props?: PropertySet<S, L>, hooks?: WalkHooks<S>): Walk<S, L> => {
  const [initial, choices] = schedule
  return walk(system, choices.length, (n) => initial % n, (n, k) => choices[k]! % n, props, hooks)
}

const now = () => performance.now() / 1000
/** Schedules per fast-check call; budgets are checked between calls too. */
const CHUNK = 64

/** Checks `system` on `options.samples` (default 200) generated schedules of up to `options.maxDepth` (default 50) steps. */
export const checkPbt = <S, L>(system: TransitionSystem<S, L>, options: CheckOptions = {}): CheckResult<S, L> => {
  const start = now()
  const props = new PropertySet(system)
  const seed = options.seed ?? freshSeed()
  const samples = options.samples ?? 200
  const maxDepth = options.maxDepth ?? 50
  const maxSteps = options.maxStates ?? Infinity
  const maxSeconds = options.maxSeconds ?? Infinity
  const stopAtGoal = options.stopAtGoal ?? true
  const determinism = options.checkDeterminism ?? true
  const seen = new FingerprintSet(1 << 12)
  const fp = newFingerprint()
  let generated = 0
  let expanded = 0
  let maxSeen = 0
  let budgetHit = false
  let goalSeen: Hit | undefined
  /** Set by the first failing run: shrinking must keep hitting this property. */
  let target: string | undefined
  let lastReport = start

  const hooks = {
    stopAtGoal,
    onState: (s: S) => {
      system.fingerprint(s, fp)
      seen.add(fp.hi, fp.lo, NO_PARENT)
    },
    onGoal: (h: Hit) => {
      goalSeen ??= h
    },
    beforeExpand: (s: S): Hit | undefined => {
      // While shrinking a determinism failure, check every state so the shrunk run still finds it.
      if (!determinism || (target !== "DETERMINISM" && !shouldSample(expanded++))) return undefined
      return determinismHit(system, s, target !== "DETERMINISM")
    },
  }

  const property = fc().property(scheduleArbitrary(maxDepth), (schedule) => {
    if (target === undefined) {
      // Budgets apply to the search, not to shrinking a failure already found.
      if (budgetHit) return true
      if (generated >= maxSteps || now() - start > maxSeconds) {
        budgetHit = true
        return true
      }
    }
    const run = runSchedule(system, schedule, props, hooks)
    generated += run.path.steps.length
    if (run.path.steps.length > maxSeen) maxSeen = run.path.steps.length
    if (options.onProgress && now() - lastReport >= 1) {
      lastReport = now()
      const seconds = lastReport - start
      options.onProgress({ generated, distinct: seen.size, queue: 0, depth: maxSeen, seconds, statesPerSecond: seen.size / seconds })
    }
    if (!run.hit) return true
    if (target === undefined) {
      target = run.hit.property
      return false
    }
    return run.hit.property !== target
  })

  // Runs go in chunks of fast-check checks (chunk k seeded hash(seed, k)) so that a spent budget stops
  // generation at once instead of letting fast-check draw the remaining schedules for nothing.
  let details: FastCheck.RunDetails<[Schedule]> | undefined
  for (let k = 0, done = 0; done < samples && !budgetHit; k++) {
    const numRuns = Math.min(CHUNK, samples - done)
    details = fc().check(property, { seed: k === 0 ? seed : deriveSeed(seed, k), numRuns })
    done += numRuns
    if (details.failed) break
  }
  let hit: Hit | undefined
  let path: Path<S, L> | undefined
  if (details?.failed && details.counterexample) {
    const [schedule] = details.counterexample
    // Replay the shrunk schedule (no determinism re-checks unless that is what failed).
    const replay = runSchedule(system, schedule, props, {
      stopAtGoal,
      ...(target === "DETERMINISM" ? { beforeExpand: (s: S) => determinismHit(system, s) } : {}),
    })
    hit = replay.hit
    path = replay.path
    if (hit && hit.property !== "DETERMINISM" && (options.minimise ?? true)) path = minimisePath(system, path, hit)
  } else if (details?.failed) {
    // The property threw: not a hit we can explain; surface it.
    throw details.errorInstance ?? new Error(`pbt: fast-check failed without a counterexample (seed ${seed})`)
  }

  return toResult({
    strategy: "pbt",
    hit,
    goalSeen,
    hasGoals: props.goals.length > 0,
    ranOut: budgetHit,
    complete: false,
    path,
    distinct: seen.size,
    generated,
    depth: (path ? path.steps.length : maxSeen) + 1,
    seconds: now() - start,
    seed,
  })
}
