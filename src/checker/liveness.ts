/**
 * Liveness checking on the explored state graph, as TLC does it: the whole reachable graph is built
 * (states, and edges with their fairness classes), and a property fails when a fair strongly
 * connected component can be reached where it should not be (Emerson-Lei for strong fairness:
 * states enabling a strong class that the component never takes are removed and the rest is split
 * again). The counterexample is a lasso: a prefix from an initial state and a cycle back to the
 * state at index `loop` (an empty cycle: the behaviour stutters there forever).
 *
 * The graph keeps every state in memory: liveness is for configurations of up to a few million
 * states; safety alone scales further with bfs.
 */
import { cycleThrough, fairComponents } from "./fair-cycles.ts"
import { NO_PARENT } from "./fpset.ts"
import { toResult } from "./outcome.ts"
import { stepsOf } from "./path.ts"
import type { Hit } from "./properties.ts"
import type { CheckOptions, CheckResult, Path, TraceStep } from "./result.ts"
import { buildGraph, type Graph, pathWithin, reachingBack, sourceOf, treePath } from "./state-graph.ts"
import type { Fairness, Temporal } from "./temporal.ts"
import { newFingerprint, type TransitionSystem } from "./transition-system.ts"

interface Lasso {
  readonly initial: number
  /** Edges from the initial state to the loop state, then the cycle. */
  readonly edges: number[]
  readonly loop: number
}

const violation = <S>(g: Graph<S>, property: Temporal<S>, fairness: ReadonlyArray<Fairness<unknown>>): Lasso | undefined => {
  const n = g.states.length
  const holds = (p: (s: S) => boolean) => {
    const out = new Uint8Array(n)
    for (let u = 0; u < n; u++) out[u] = p(g.states[u]!) ? 1 : 0
    return out
  }
  const p = holds(property.p)
  const allowed = new Uint8Array(n)
  let from: { initial: number; edges: number[]; at: number } | undefined
  if (property.kind === "always-eventually") {
    for (let u = 0; u < n; u++) allowed[u] = p[u] ? 0 : 1
  } else if (property.kind === "eventually") {
    // Only what is reachable without ever meeting P.
    const queue: number[] = []
    const ok = (u: number) => !p[u] && !g.cut[u]
    for (let u = 0; u < g.initials; u++) if (ok(u)) (allowed[u] = 1), queue.push(u)
    for (let h = 0; h < queue.length; h++)
      for (let e = g.start[queue[h]!]!; e < g.start[queue[h]! + 1]!; e++) {
        const v = g.target[e]!
        if (ok(v) && !allowed[v]) (allowed[v] = 1), queue.push(v)
      }
  } else {
    const q = holds(property.q)
    for (let u = 0; u < n; u++) allowed[u] = q[u] ? 0 : 1
  }
  for (let u = 0; u < n; u++) if (g.cut[u]) allowed[u] = 0
  const { fair, member, inside } = fairComponents(g, fairness, allowed)
  if (fair.length === 0) return undefined
  const inFair = (u: number) => member[u]! >= 0
  if (property.kind === "leads-to") {
    // The first state (BFS order: shortest prefix) where P holds, Q does not, and a fair ¬Q cycle is reachable through ¬Q.
    const doomed = reachingBack(g, fair.flatMap((f) => f.comp), allowed)
    let u = 0
    while (u < n && !(p[u] && doomed[u])) u++
    if (u === n) return undefined
    const tail = pathWithin(g, u, inFair, allowed)!
    const head = treePath(g, u)
    from = { initial: head.initial, edges: [...head.edges, ...tail], at: tail.length ? g.target[tail[tail.length - 1]!]! : u }
  } else {
    // The fair component closest to an initial state, reached through allowed states for <>P.
    if (property.kind === "eventually") {
      let found: { initial: number; edges: number[] } | undefined
      for (let i = 0; i < g.initials && !found; i++) {
        if (!allowed[i]) continue
        const edges = pathWithin(g, i, inFair, allowed)
        if (edges) found = { initial: i, edges }
      }
      const at = found!.edges.length ? g.target[found!.edges[found!.edges.length - 1]!]! : found!.initial
      from = { ...found!, at }
    } else {
      let best = 0
      while (!inFair(best)) best++ // BFS order: the first one has the shortest prefix
      from = { ...treePath(g, best), at: best }
    }
  }
  const { comp, needs } = fair[member[from.at]!]!
  const cycle = cycleThrough(g, comp, needs, from.at, inside)
  return { initial: from.initial, edges: [...from.edges, ...cycle], loop: from.edges.length }
}

const lassoPath = <S, L>(system: TransitionSystem<S, L>, g: Graph<S>, lasso: Lasso): Path<S, L> => {
  const steps: Array<TraceStep<S, L>> = []
  for (const e of lasso.edges) {
    const u = sourceOf(g, e)
    const { label } = stepsOf(system, g.states[u]!)[g.index[e]!]!
    steps.push({ label, text: system.formatLabel(label), state: g.states[g.target[e]!]! })
  }
  return { initialIndex: lasso.initial, initial: g.states[lasso.initial]!, steps, loop: lasso.loop }
}

const describe = (p: Temporal<unknown>): string =>
  p.kind === "eventually"
    ? "a fair behaviour never reaches a state where it holds"
    : p.kind === "always-eventually"
      ? "a fair behaviour ends in a cycle where it never holds"
      : "a fair behaviour reaches a state where P holds and then never one where Q holds"

/**
 * Checks the system's liveness properties on its whole reachable graph. Safety is bfs's job: run
 * this after a complete bfs (explore does). A budget of `maxStates` gives "budget-exhausted".
 */
export const checkLiveness = <S, L>(system: TransitionSystem<S, L>, options: CheckOptions = {}): CheckResult<S, L> => {
  const t0 = performance.now()
  const live = system.liveness
  const fairness = (live?.fairness ?? []) as ReadonlyArray<Fairness<unknown>>
  const g = buildGraph(system, live?.fairness ?? [], options.maxStates ?? Infinity)
  const seconds = () => (performance.now() - t0) / 1000
  const base = { strategy: "bfs" as const, hasGoals: false, generated: g ? g.target.length : 0, seconds: 0 }
  if (!g) return toResult({ ...base, ranOut: true, complete: false, distinct: options.maxStates ?? 0, depth: 0, seconds: seconds() })
  let depth = 0 // of the last state in BFS order, the deepest
  for (let x = g.states.length - 1; x >= 0 && x !== NO_PARENT; x = g.parent[x]!) depth++
  for (const property of live?.properties ?? []) {
    const lasso = violation(g, property as Temporal<S>, fairness)
    if (!lasso) continue
    const path = lassoPath(system, g, lasso)
    const hit: Hit = { kind: "violation", property: property.name, detail: `${describe(property as Temporal<unknown>)} (cycle back to state ${lasso.loop})` }
    return toResult({ ...base, hit, ranOut: false, complete: false, path, distinct: g.states.length, depth, seconds: seconds() })
  }
  return toResult({ ...base, ranOut: false, complete: true, distinct: g.states.length, depth, seconds: seconds() })
}

/**
 * Re-checks a lasso (a replayed trace with `loop`): the cycle returns to the loop state, it is fair
 * under the system's fairness, and it violates one of the system's liveness properties (the first
 * one it violates is returned). A lasso that is not one of these is described as a string.
 */
export const checkLasso = <S, L>(system: TransitionSystem<S, L>, path: Path<S, L>): Hit | string => {
  const loop = path.loop
  if (loop === undefined) return "the trace has no cycle"
  const states = [path.initial, ...path.steps.map((s) => s.state)]
  const n = states.length - 1
  if (loop < 0 || loop > n) return `the cycle starts at state ${loop}, outside the trace`
  const fp = newFingerprint()
  const print = (s: S) => (system.fingerprint(s, fp), `${fp.hi}:${fp.lo}`)
  if (print(states[n]!) !== print(states[loop]!)) return `the last state is not state ${loop}: the trace does not close its cycle`
  const cycleStates = loop === n ? [states[n]!] : states.slice(loop, n)
  const cycleLabels = path.steps.slice(loop).map((s) => s.label)
  for (const f of system.liveness?.fairness ?? []) {
    const taken = new Set(cycleLabels.map((l) => f.classOf(l)).filter((c) => c !== undefined))
    const enabledAt = cycleStates.map((s) => {
      const here = print(s)
      const cs = new Set<string>()
      system.successors(s, (label, next) => {
        const c = f.classOf(label)
        if (c !== undefined && print(next) !== here) cs.add(c)
      })
      return cs
    })
    for (const c of new Set(enabledAt.flatMap((cs) => [...cs])))
      if (!taken.has(c) && (f.kind === "strong" || enabledAt.every((cs) => cs.has(c))))
        return `the cycle is not fair: ${f.kind}ly fair class "${c}" is enabled ${f.kind === "strong" ? "in it" : "throughout"} and never taken`
  }
  for (const property of system.liveness?.properties ?? []) {
    const p = states.map((s) => property.p(s))
    let violated: boolean
    if (property.kind === "eventually") violated = !p.some(Boolean)
    else if (property.kind === "always-eventually") violated = !p.slice(loop).some(Boolean)
    else {
      const q = states.map((s) => property.q(s))
      violated = p.some((pi, i) => pi && !q.slice(Math.min(i, loop)).some(Boolean))
    }
    if (violated) return { kind: "violation", property: property.name, detail: `${describe(property as Temporal<unknown>)} (cycle back to state ${loop})` }
  }
  return "the lasso violates none of the liveness properties"
}

/** A complete safety run's result, or the liveness violation the system's declared properties have (bfs and parallel BFS end here). */
export const thenLiveness = <S, L>(system: TransitionSystem<S, L>, safety: CheckResult<S, L>, options: CheckOptions): CheckResult<S, L> => {
  if (!system.liveness?.properties.length || safety.verdict !== "ok" || !safety.complete) return safety
  const live = checkLiveness(system, options)
  return live.verdict === "violation" ? live : safety
}
