/**
 * Partial-order reduction for BFS: sleep sets (Godefroid) with the state-caching fix. Steps of
 * different actors commute (the system's `independence`), so after exploring step u from s, a
 * later sibling t independent of u leaves u asleep in s·t: s·t·u is s·u·t, reached from s·u. Asleep
 * steps are not generated at all (their handlers do not run). A state reached again with a smaller
 * sleep set than it was expanded with is expanded again for the steps no longer asleep, so every
 * reachable state is still visited.
 *
 * What it keeps: every state property (invariants, goals, prunes: the distinct states are the same
 * as without it), whatever the property reads. What it does not keep, and so refuses: step
 * properties (refinement), since a skipped step is not checked, and liveness, since the explored
 * graph lacks the skipped edges. It serves single-threaded in-memory BFS; a counterexample is a
 * real path but, when a state had to be expanded again, not necessarily a shortest one. A property
 * that reads what the fingerprint leaves out (the clients' history, stamped in step order) sees,
 * as in plain BFS, the path a state was first reached by; under --por that can be another ordering
 * of the same commuting steps.
 *
 * Why sleep sets and not persistent (stubborn, ample) sets, which would leave states out: a
 * persistent set that holds a step of node a must hold every step that can come before a acts and
 * not commute with that step. Every later delivery to a is such a step (two deliveries to one node do
 * not commute in general), so the set must hold every step that could send a a message, then every
 * step that could send those senders one, and so on: every node that reaches a through messages.
 * In request-response protocols (clients and servers, servers among themselves) every node reaches
 * every other, and the persistent set is every enabled step: no state is left out (the cycle
 * proviso and the visibility of invariants only add to it). Leaving states out needs what the DSL
 * does not know: which deliveries to one node commute (a handler's reads and writes).
 */
import { taggedError } from "../errors.ts"
import { buildPath, Clock } from "./explore.ts"
import { determinismHit, shouldSample } from "./determinism.ts"
import { FingerprintSet, NO_PARENT } from "./fpset.ts"
import { exhaustiveResult } from "./outcome.ts"
import { type Hit, PropertySet } from "./properties.ts"
import type { CheckOptions, CheckResult } from "./result.ts"
import { newFingerprint, type TransitionSystem } from "./transition-system.ts"

/** --por asked where it would not be sound or is not built: one line, exit 2. */
export class PorError extends taggedError("PorError") {}

/** A sleep set: step key -> the step's class, actor * 2 + (1 if it is a shared-budget step). */
type Sleep = ReadonlyMap<string, number>
/** Whether steps of classes a and b commute. */
const independent = (a: number, b: number) => a >> 1 !== b >> 1 && (a & b & 1) === 0
const EMPTY: Sleep = new Map()

interface Job<S> {
  readonly state: S
  readonly id: number
  /** A second expansion: only these keys (asleep at the first one, awake now). */
  readonly only?: ReadonlySet<string>
}

/** Refuses a system or run the reduction would not be sound for. */
export const checkPorApplies = (system: TransitionSystem<any, any>, options: CheckOptions): void => {
  const no = (why: string) => {
    throw new PorError(`--por ${why}; run without --por`)
  }
  if (!system.independence) no(`needs a system that says which steps commute (${system.name} does not: protocols compiled from a configuration do)`)
  if ((system.stepProperties ?? []).length > 0)
    no(`keeps state properties only, and ${system.name} checks step properties (${system.stepProperties!.map((p) => p.name).join(", ")}): a skipped step would go unchecked`)
  if (system.liveness) no(`keeps safety properties only, and ${system.name} checks liveness`)
  if ((options.strategy ?? "bfs") !== "bfs") no(`applies to bfs only, not ${options.strategy}`)
  if (options.symmetry) no(`does not combine with --symmetry (sleep sets name steps of concrete states, symmetry merges renamed ones)`)
  if (options.memoryMiB !== undefined || options.checkpoint !== undefined || options.resume !== undefined) no(`keeps its queue in memory: not with --memory, --checkpoint or --resume`)
}

export const porBfs = <S, L>(system: TransitionSystem<S, L>, options: CheckOptions = {}): CheckResult<S, L> => {
  checkPorApplies(system, options)
  const ind = system.independence!
  const props = new PropertySet(system)
  const clock = new Clock(options)
  const maxStates = options.maxStates ?? Infinity
  const maxDepth = options.maxDepth ?? Infinity
  const stopAtGoal = options.stopAtGoal ?? true
  const determinism = options.checkDeterminism ?? true
  const seen = new FingerprintSet(1 << 16)
  const fp = newFingerprint()
  const sleepOf = new Map<number, Sleep>()
  const depthOf: number[] = []
  const expandedIds = new Set<number>()
  let queue: Array<Job<S>> = []
  let next: Array<Job<S>> = []
  let generated = 0
  let skipped = 0
  let expanded = 0
  let reexpanded = 0
  let maxLevel = 0
  let deepest = 0
  let hit: Hit | undefined
  let hitParent = NO_PARENT
  let hitStep: { label: L; state: S } | undefined
  let goalSeen: Hit | undefined
  let budgetHit = false
  let stoppedBy: string | undefined

  const record = (h: Hit, parent: number, step: { label: L; state: S } | undefined) => {
    if (h.kind === "goal" && !stopAtGoal) {
      goalSeen ??= h
      return
    }
    hit = h
    hitParent = parent
    hitStep = step
  }

  for (const s of system.initial()) {
    generated++
    system.fingerprint(s, fp)
    const id = seen.add(fp.hi, fp.lo, NO_PARENT)
    if (id < 0) continue
    depthOf[id] = 0
    const h = props.checkState(s)
    if (h) {
      record(h, NO_PARENT, { label: undefined as L, state: s })
      if (hit) break
    }
    queue.push({ state: s, id })
  }

  /** Expands one job: the awake steps in order, each child asleep in what it commutes with. */
  const expand = (job: Job<S>) => {
    const { state, id, only } = job
    const sleep = sleepOf.get(id) ?? EMPTY
    const depth = depthOf[id]!
    const done: Array<readonly [string, number]> = []
    let currentKey: string | undefined
    let currentClass = 0
    let currentPruned = false
    const finish = () => {
      if (currentKey !== undefined && !currentPruned) done.push([currentKey, currentClass])
    }
    const childSleep = (c: number): Sleep => {
      const out = new Map<string, number>()
      for (const [k, a] of sleep) if (independent(a, c)) out.set(k, a)
      for (const [k, a] of done) if (independent(a, c)) out.set(k, a)
      return out
    }
    const asleep = (key: string) => {
      if (sleep.has(key)) {
        skipped++
        return true
      }
      return only !== undefined && !only.has(key)
    }
    ind.successorsAwake(state, asleep, (label, child) => {
      if (hit) return
      const key = ind.key(label)
      if (key !== currentKey) {
        finish()
        currentKey = key
        currentClass = ind.actor(label) * 2 + (ind.shared(label) ? 1 : 0)
        currentPruned = false
      }
      generated++
      const z = childSleep(currentClass)
      system.fingerprint(child, fp)
      const cid = seen.add(fp.hi, fp.lo, id)
      if (cid >= 0) {
        depthOf[cid] = depth + 1
        if (z.size > 0) sleepOf.set(cid, z)
        const h = props.checkState(child)
        if (h) {
          record(h, id, { label, state: child })
          if (hit) return
        }
        if (props.pruned(child)) currentPruned = true
        next.push({ state: child, id: cid })
        return
      }
      if (props.pruned(child)) currentPruned = true
      // Seen before: the steps asleep there but awake on this path must be explored from it too.
      const old = seen.idOf(fp.hi, fp.lo)
      const was = sleepOf.get(old) ?? EMPTY
      if (was.size === 0) return
      const kept = new Map<string, number>()
      const woken = new Set<string>()
      for (const [k, a] of was) (z.has(k) ? kept.set(k, a) : woken.add(k))
      if (woken.size === 0) return
      if (kept.size > 0) sleepOf.set(old, kept)
      else sleepOf.delete(old)
      if (expandedIds.has(old)) {
        reexpanded++
        next.push({ state: child, id: old, only: woken })
      }
    })
    finish()
  }

  while (!hit) {
    if (queue.length === 0) {
      if (next.length === 0) break
      queue = next.reverse()
      next = []
      maxLevel++
    }
    if (seen.size >= maxStates) {
      stoppedBy = "states"
      break
    }
    const job = queue.pop()!
    if (depthOf[job.id]! >= maxDepth) {
      budgetHit = true
      continue
    }
    if (props.pruned(job.state)) continue
    if (job.only === undefined && shouldSample(expanded) && determinism && (hit = determinismHit(system, job.state, true))) {
      hitParent = job.id
      break
    }
    expandedIds.add(job.id)
    if (depthOf[job.id]! > deepest) deepest = depthOf[job.id]!
    expand(job)
    expanded++
    if ((expanded & 4095) === 0 && clock.tick(() => ({ generated, distinct: seen.size, queue: queue.length + next.length, depth: maxLevel }))) {
      stoppedBy = "time"
      break
    }
  }
  if (stoppedBy) budgetHit = true
  if (!hit && queue.length + next.length > 0) budgetHit = true
  const path = hit ? buildPath(system, seen, hitParent, hitStep) : undefined
  return exhaustiveResult({
    strategy: "bfs",
    hit,
    goalSeen,
    hasGoals: props.goals.length > 0,
    budgetHit,
    path,
    distinct: seen.size,
    generated,
    depth: (path ? path.steps.length : deepest) + 1,
    seconds: clock.elapsed(),
    ...(hit ? {} : { detail: `partial-order reduction: ${skipped} steps asleep (not generated), ${reexpanded} states expanded again` }),
  })
}
