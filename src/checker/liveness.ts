/**
 * Liveness checking on the explored state graph, as TLC does it: the whole reachable graph is built
 * (states, and edges with their fairness classes), and a property fails when a fair strongly
 * connected component can be reached where it should not be (Emerson-Lei for strong fairness:
 * states enabling a strong class that the component never takes are removed and the rest is split
 * again). The counterexample is a lasso: a prefix from an initial state and a cycle back to the
 * state at index `loop` (an empty cycle: the behaviour stutters there forever), kept short (shortLasso:
 * a small fair cycle near the initial states) and re-checked (checkLasso) before it is returned. A
 * property whose goal no explored state has while bounds cut states cannot fail: an input error
 * (VacuousLivenessError), not "ok".
 *
 * The graph keeps every state in memory: liveness is for configurations of up to a few million
 * states; safety alone scales further with bfs.
 */
import { taggedError } from "../errors.ts"
import { fairComponents, fairCycle, fairPart, shortenCycle } from "./fair-cycles.ts"
import { NO_PARENT } from "./fpset.ts"
import { toResult } from "./outcome.ts"
import { stepsOf } from "./path.ts"
import type { Hit } from "./properties.ts"
import type { CheckOptions, CheckResult, Path, TraceStep } from "./result.ts"
import { ball, buildGraph, components, type Graph, prefixPath, type PrefixTree, prefixTree, sourceOf } from "./state-graph.ts"
import type { Fairness, Temporal } from "./temporal.ts"
import { newFingerprint, type TransitionSystem } from "./transition-system.ts"

interface Lasso {
  readonly initial: number
  /** Edges from the initial state to the loop state, then the cycle. */
  readonly edges: number[]
  readonly loop: number
}

/** How many entry states the search for a small fair cycle tries (nearest first), and how many nodes its balls may visit in all (times the graph's size). */
const CENTERS = 16
const BALL_WORK = 4

/**
 * The shortest lasso this finds whose cycle stays in `allowed`: around entry states of fair components
 * (nearest first), balls of growing radius (0, 1, 2, 4, ...) inside `allowed` are split into SCCs and
 * their fair parts (fairPart, with enabledness over the whole graph, so a cycle fair in the ball is fair);
 * the first radius with a fair part gives a short fair cycle (fairCycle), started at the part's nearest
 * state and turned to begin at its nearest state; the lasso with the least prefix + cycle wins.
 */
const shortLasso = (g: Graph<unknown>, fairness: ReadonlyArray<Fairness<unknown>>, allowed: Uint8Array, tree: PrefixTree, member: Int32Array): Lasso | undefined => {
  const { dist } = tree
  const centers: number[] = []
  for (let u = 0; u < g.states.length; u++) if (member[u]! >= 0 && dist[u]! >= 0) centers.push(u)
  if (!centers.length) return undefined
  centers.sort((a, b) => dist[a]! - dist[b]! || a - b)
  const mark = new Uint8Array(g.states.length)
  const inside = new Uint8Array(g.states.length)
  let best: { loop: number; cycle: number[]; total: number } | undefined
  let work = 0
  for (const center of centers.slice(0, CENTERS)) {
    if (best && (dist[center]! >= best.total || work > BALL_WORK * g.states.length)) break
    for (let radius = 0, size = 0; ; radius = Math.max(1, radius * 2)) {
      const nodes = ball(g, center, radius, allowed, mark)
      work += nodes.length
      let found = false
      for (const comp of components(g, nodes, mark)) {
        const part = fairPart(g, fairness, comp, inside)
        if (!part) continue
        found = true
        let entry = part[0]!
        for (const u of part) if (dist[u]! < dist[entry]!) entry = u
        for (const u of part) inside[u] = 1
        let cycle = shortenCycle(g, fairness, inside, fairCycle(g, fairness, inside, entry), entry)
        for (const u of part) inside[u] = 0
        // Turn the cycle to start at its state with the shortest prefix.
        let at = 0
        cycle.forEach((e, i) => {
          if (dist[sourceOf(g, e)]! < dist[sourceOf(g, cycle[at]!)]!) at = i
        })
        const loop = cycle.length ? sourceOf(g, cycle[at]!) : entry
        cycle = [...cycle.slice(at), ...cycle.slice(0, at)]
        const total = dist[loop]! + cycle.length
        if (!best || total < best.total) best = { loop, cycle, total }
      }
      for (const u of nodes) mark[u] = 0
      if (found || nodes.length === size) break // nodes.length === size: the ball stopped growing
      size = nodes.length
    }
  }
  if (!best) return undefined
  const head = prefixPath(g, tree, best.loop)
  return { initial: head.initial, edges: [...head.edges, ...best.cycle], loop: head.edges.length }
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
  const initials = Array.from({ length: g.initials }, (_, i) => i)
  const everywhere = new Uint8Array(n).fill(1)
  let tree: PrefixTree
  if (property.kind === "always-eventually") {
    // Any prefix, then a cycle where P never holds.
    for (let u = 0; u < n; u++) allowed[u] = p[u] || g.cut[u] ? 0 : 1
    tree = prefixTree(g, initials, everywhere)
  } else if (property.kind === "eventually") {
    // Only what is reachable without ever meeting P.
    for (let u = 0; u < n; u++) allowed[u] = p[u] || g.cut[u] ? 0 : 1
    tree = prefixTree(g, initials, allowed)
    for (let u = 0; u < n; u++) if (tree.dist[u]! < 0) allowed[u] = 0
  } else {
    // Any prefix to a state where P holds and Q does not, then only states where Q does not hold.
    const q = holds(property.q)
    for (let u = 0; u < n; u++) allowed[u] = q[u] || g.cut[u] ? 0 : 1
    const seeds: number[] = []
    for (let u = 0; u < n; u++) if (p[u] && allowed[u]) seeds.push(u)
    tree = prefixTree(g, seeds, allowed, prefixTree(g, initials, everywhere))
  }
  const { fair, member } = fairComponents(g, fairness, allowed)
  if (fair.length === 0) return undefined
  return shortLasso(g, fairness, allowed, tree, member)
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
    const again = checkLasso(system, path)
    if (typeof again === "string") throw new Error(`liveness: the lasso found for ${property.name} fails its re-check: ${again}`)
    const hit: Hit = { kind: "violation", property: property.name, detail: `${describe(property as Temporal<unknown>)} (cycle back to state ${lasso.loop})` }
    return toResult({ ...base, hit, ranOut: false, complete: false, path, distinct: g.states.length, depth, seconds: seconds() })
  }
  vacuityCheck(system, g)
  return toResult({ ...base, ranOut: false, complete: true, distinct: g.states.length, depth, seconds: seconds() })
}

/**
 * A liveness property that passes only because the bounds cut every behaviour before its goal: no
 * state of the graph has the goal (P of <>P and []<>P, Q of P ~> Q) and some states were cut by a
 * prune. A check that cannot fail is a defect of the configuration, so it is an input error (exit 2),
 * not a verdict: no consumer of CheckResult can then take it for "ok".
 */
export class VacuousLivenessError extends taggedError("VacuousLivenessError") {}

const vacuityCheck = <S, L>(system: TransitionSystem<S, L>, g: Graph<S>): void => {
  let cut = 0
  for (let u = 0; u < g.cut.length; u++) cut += g.cut[u]!
  if (cut === 0) return
  const prunes = system.properties.filter((p) => p.kind === "prune").map((p) => p.name)
  for (const property of (system.liveness?.properties ?? []) as ReadonlyArray<Temporal<S>>) {
    const goal = property.kind === "leads-to" ? property.q : property.p
    if (g.states.some(goal)) continue
    throw new VacuousLivenessError(
      `liveness property ${property.name} cannot fail: no explored state has its goal${property.kind === "leads-to" ? " (Q)" : ""} and ${cut.toLocaleString("en-US")} of ${g.states.length.toLocaleString("en-US")} states are cut by the bounds (${prunes.join(", ")}), so the bounds cut every behaviour before the goal; widen them`
    )
  }
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
