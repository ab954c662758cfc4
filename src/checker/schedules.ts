/**
 * Guided random search, for systems too big to explore: many seeded runs (run i seeded with
 * hash(seed, i), as in random simulation), each choosing its steps by one of these schedulers:
 *
 * - swarm: each run draws its own mix from its seed (swarm testing): every class of step (the
 *   action, or for a protocol the event kind and message type: "deliver Ping", "drop", "crash",
 *   "timer") is switched off with probability 1/3 and otherwise gets a random weight, so a run may
 *   lose no messages or many, crash often or never. Whole kinds of interleavings that uniform choice
 *   almost never produces (a long run without any reset, say) become likely in some runs.
 * - pct: PCT-style randomised priorities: each actor (who takes the step: a node, a resource
 *   manager) gets a random priority, the highest-priority enabled actor always runs, and at d - 1
 *   random points of the run the running actor drops to the lowest priority. Bugs that need one
 *   process to run far ahead of another are found with probability about 1/(actors * depth^(d-1)).
 * - coverage: a corpus of states that reached a new abstract state (the user's abstraction of the
 *   state: a leader's term, a lock's position); runs start from a random corpus entry half of the
 *   time, so the search keeps pushing from the frontier of what it has covered.
 *
 * Every counterexample is minimised by delta debugging (minimise.ts) before it is returned.
 */
import { determinismHit, shouldSample } from "./determinism.ts"
import { FingerprintSet, NO_PARENT } from "./fpset.ts"
import { fingerprintValue } from "./hash.ts"
import { minimisePath } from "./minimise.ts"
import { toResult } from "./outcome.ts"
import { type Hit, PropertySet } from "./properties.ts"
import { Rng, freshSeed } from "./random.ts"
import type { CheckOptions, CheckResult, Path } from "./result.ts"
import { shardRange } from "./shard.ts"
import { newFingerprint, startingFrom, type TransitionSystem } from "./transition-system.ts"
import { walk } from "./walk.ts"

export type GuidedStrategy = "swarm" | "pct" | "coverage"

/** The class of a step from its label text: the action name, or for a delivery or drop the event and the message type. */
export const stepClass = (text: string): string => {
  const m = /^(?:@\S+ )?(\w+)(?:[^:]*: (\w+))?/.exec(text)
  if (!m) return text
  return m[1] === "deliver" && m[2] ? `deliver ${m[2]}` : m[1]!
}

/** One run's step picker; `reached` sees every state of the run with its index on the path. */
interface RunPlan<S, L> {
  readonly from?: Path<S, L>
  readonly pick: (n: number, k: number, labels: ReadonlyArray<L>, nexts: ReadonlyArray<S>) => number
  readonly reached?: (s: S, k: number) => void
  /** After the run: the path it took (from `from`'s end). */
  readonly done?: (path: Path<S, L>) => void
}

type Planner<S, L> = (rng: Rng, maxDepth: number) => RunPlan<S, L>

const swarm = <S, L>(system: TransitionSystem<S, L>): Planner<S, L> => {
  const classes = new Map<L, string>()
  const classOf = (l: L) => {
    let c = classes.get(l)
    if (c === undefined) {
      c = stepClass(system.formatLabel(l))
      if (classes.size < 1 << 16) classes.set(l, c)
    }
    return c
  }
  return (rng) => {
    // The run's mix: a weight per class, drawn from the run's seed and the class name (not the order seen).
    const base = rng.nextU32()
    const weights = new Map<string, number>()
    const weightOf = (c: string) => {
      let w = weights.get(c)
      if (w === undefined) {
        const r = new Rng(fingerprintValue([base, c], newFingerprint()).lo)
        w = r.next() < 1 / 3 ? 0 : r.next() ** 2 + 1e-3
        weights.set(c, w)
      }
      return w
    }
    const ws: number[] = []
    return {
      pick: (n, _k, labels) => {
        ws.length = 0
        let total = 0
        for (let i = 0; i < n; i++) total += ws[i] = weightOf(classOf(labels[i]!))
        if (total === 0) return rng.int(n) // everything enabled is switched off: do not stall the run
        let x = rng.next() * total
        for (let i = 0; i < n; i++) if ((x -= ws[i]!) < 0) return i
        return n - 1
      },
    }
  }
}

const pct = <S, L>(system: TransitionSystem<S, L>, depth: number): Planner<S, L> => {
  const actorOf = (l: L) => system.causality?.(l).actor ?? stepClass(system.formatLabel(l))
  return (rng, maxDepth) => {
    const priority = new Map<string, number>()
    const changes = Array.from({ length: Math.max(0, depth - 1) }, () => rng.int(maxDepth))
    let lowered = 0
    const best: number[] = []
    return {
      pick: (n, k, labels) => {
        let top = -Infinity
        best.length = 0
        for (let i = 0; i < n; i++) {
          const a = actorOf(labels[i]!)
          let p = priority.get(a)
          if (p === undefined) priority.set(a, (p = rng.next()))
          if (p > top) (top = p), (best.length = 0)
          if (p === top) best.push(i)
        }
        const choice = best[rng.int(best.length)]!
        for (const c of changes) if (c === k) priority.set(actorOf(labels[choice]!), -1 - ++lowered)
        return choice
      },
    }
  }
}

const coverage = <S, L>(abstraction: (s: S) => unknown): Planner<S, L> & { readonly covered: () => number } => {
  const seen = new FingerprintSet(1 << 10)
  const corpus: Array<Path<S, L>> = []
  const fp = newFingerprint()
  const planner = (rng: Rng): RunPlan<S, L> => {
    const from = corpus.length > 0 && rng.next() < 0.5 ? corpus[rng.int(corpus.length)] : undefined
    const fresh: number[] = []
    return {
      ...(from ? { from } : {}),
      pick: (n) => rng.int(n),
      reached: (s, k) => {
        fingerprintValue(abstraction(s), fp)
        if (seen.add(fp.hi, fp.lo, NO_PARENT) >= 0) fresh.push(k)
      },
      done: (path) => {
        for (const k of fresh) corpus.push({ initialIndex: path.initialIndex, initial: path.initial, steps: path.steps.slice(0, k) })
      },
    }
  }
  return Object.assign(planner, { covered: () => seen.size })
}

const concat = <S, L>(prefix: Path<S, L> | undefined, rest: Path<S, L>): Path<S, L> =>
  prefix ? { initialIndex: prefix.initialIndex, initial: prefix.initial, steps: [...prefix.steps, ...rest.steps] } : rest

/**
 * Runs samples [first, end) of a guided search (all of `options.samples`, default 1000, or this shard's
 * part of them) of up to `maxDepth` steps each (default 100).
 */
export const guidedSearch = <S, L>(system: TransitionSystem<S, L>, strategy: GuidedStrategy, options: CheckOptions = {}): CheckResult<S, L> => {
  const t0 = performance.now()
  const props = new PropertySet(system)
  const seed = options.seed ?? freshSeed()
  const samples = options.samples ?? 1000
  const maxDepth = options.maxDepth ?? 100
  const maxSteps = options.maxStates ?? Infinity
  const stopAtGoal = options.stopAtGoal ?? true
  const determinism = options.checkDeterminism ?? true
  let expanded = 0
  const seconds = () => (performance.now() - t0) / 1000
  const planner: Planner<S, L> =
    strategy === "swarm"
      ? swarm(system)
      : strategy === "pct"
        ? pct(system, options.pctDepth ?? 3)
        : coverage<S, L>((options.abstraction as ((s: S) => unknown) | undefined) ?? ((s: S) => system.view(s)))
  const seen = new FingerprintSet(1 << 12)
  const fp = newFingerprint()
  let generated = 0
  let maxSeen = 0
  let hit: Hit | undefined
  let goalSeen: Hit | undefined
  let path: Path<S, L> | undefined
  let ranOut = false
  const [first, end] = shardRange(samples, options.shard)
  for (let sample = first; sample < end && !hit; sample++) {
    const rng = Rng.forSample(seed, sample)
    const plan = planner(rng, maxDepth)
    const from = plan.from
    const start = from ? startingFrom(system, [from.steps.length ? from.steps[from.steps.length - 1]!.state : from.initial]) : system
    let k = from ? from.steps.length : 0
    const run = walk(start, maxDepth, (n) => rng.int(n), plan.pick, props, {
      stopAtGoal,
      ...(determinism ? { beforeExpand: (s: S) => (shouldSample(expanded++) ? determinismHit(system, s, true) : undefined) } : {}),
      onGoal: (h) => (goalSeen ??= h),
      onState: (s) => {
        system.fingerprint(s, fp)
        seen.add(fp.hi, fp.lo, NO_PARENT)
        plan.reached?.(s, k++)
      },
    })
    const whole = concat(from, run.path)
    plan.done?.(whole)
    generated += run.path.steps.length
    maxSeen = Math.max(maxSeen, whole.steps.length)
    if (run.hit) {
      hit = run.hit
      path = (options.minimise ?? true) && hit.property !== "DETERMINISM" ? minimisePath(system, whole, hit) : whole
    } else if (generated >= maxSteps || (options.maxSeconds !== undefined && seconds() > options.maxSeconds)) {
      ranOut = sample + 1 < end
      break
    }
  }
  return toResult({
    strategy,
    hit,
    goalSeen,
    hasGoals: props.goals.length > 0,
    ranOut,
    complete: false,
    path,
    distinct: seen.size,
    generated,
    depth: (path ? path.steps.length : maxSeen) + 1,
    seconds: seconds(),
    seed,
  })
}
