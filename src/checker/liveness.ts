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
import { FingerprintSet, NO_PARENT } from "./fpset.ts"
import { toResult } from "./outcome.ts"
import { stepsOf } from "./path.ts"
import { type Hit, PropertySet } from "./properties.ts"
import type { CheckOptions, CheckResult, Path, TraceStep } from "./result.ts"
import type { Fairness, Temporal } from "./temporal.ts"
import { newFingerprint, type TransitionSystem } from "./transition-system.ts"

/** The reachable graph: states by id (BFS order), out-edges of u at [start[u], start[u+1]). */
interface Graph<S> {
  readonly states: S[]
  readonly parent: Uint32Array
  readonly start: Uint32Array
  readonly target: Uint32Array
  /** Which of u's emitted successors the edge is (to regenerate its label). */
  readonly index: Uint32Array
  /** Per fairness constraint, the class id of each edge (-1: not under that constraint). */
  readonly classes: ReadonlyArray<Int32Array>
  readonly initials: number
  /** States not expanded because a prune holds there: no behaviour through them is judged. */
  readonly cut: Uint8Array
}

class Growable {
  a = new Uint32Array(1 << 12)
  n = 0
  push(x: number): void {
    if (this.n === this.a.length) {
      const b = new Uint32Array(this.a.length * 2)
      b.set(this.a)
      this.a = b
    }
    this.a[this.n++] = x
  }
  get(): Uint32Array {
    return this.a.subarray(0, this.n)
  }
}

const buildGraph = <S, L>(system: TransitionSystem<S, L>, fairness: ReadonlyArray<Fairness<L>>, maxStates: number): Graph<S> | undefined => {
  const seen = new FingerprintSet(1 << 12)
  const fp = newFingerprint()
  const states: S[] = []
  for (const s of system.initial()) {
    system.fingerprint(s, fp)
    if (seen.add(fp.hi, fp.lo, NO_PARENT) >= 0) states.push(s)
  }
  const initials = states.length
  const start = new Growable()
  const target = new Growable()
  const index = new Growable()
  const classes = fairness.map(() => new Growable())
  const classIds = fairness.map(() => new Map<string, number>())
  const props = new PropertySet(system)
  const cut = new Growable()
  for (let u = 0; u < states.length; u++) {
    if (states.length > maxStates) return undefined
    start.push(target.n)
    if (props.pruned(states[u]!)) {
      cut.push(u)
      continue
    }
    let k = 0
    system.successors(states[u]!, (label, next) => {
      const i = k++
      system.fingerprint(next, fp)
      let v = seen.add(fp.hi, fp.lo, u)
      if (v >= 0) states.push(next)
      else v = seen.idOf(fp.hi, fp.lo)
      if (v === u) return // a step that changes nothing is a stutter
      target.push(v)
      index.push(i)
      fairness.forEach((f, j) => {
        const c = f.classOf(label)
        let id = -1
        if (c !== undefined) {
          id = classIds[j]!.get(c) ?? classIds[j]!.size
          classIds[j]!.set(c, id)
        }
        classes[j]!.push(id)
      })
    })
  }
  start.push(target.n)
  const parent = new Uint32Array(states.length)
  for (let u = 0; u < states.length; u++) parent[u] = seen.parentOf(u)
  const cutMask = new Uint8Array(states.length)
  for (const u of cut.get()) cutMask[u] = 1
  return { states, parent, start: start.get(), target: target.get(), index: index.get(), classes: classes.map((c) => new Int32Array(c.get().buffer, 0, c.n)), initials, cut: cutMask }
}

/** Strongly connected components of the subgraph induced by `inside` (iterative Tarjan). */
const components = (g: Graph<unknown>, nodes: ReadonlyArray<number>, inside: Uint8Array): number[][] => {
  const n = g.states.length
  const low = new Int32Array(n).fill(-1)
  const num = new Int32Array(n).fill(-1)
  const onStack = new Uint8Array(n)
  const stack: number[] = []
  const out: number[][] = []
  let counter = 0
  const call: Array<[number, number]> = []
  for (const root of nodes) {
    if (num[root] !== -1) continue
    call.push([root, g.start[root]!])
    num[root] = low[root] = counter++
    stack.push(root)
    onStack[root] = 1
    while (call.length) {
      const frame = call[call.length - 1]!
      const u = frame[0]
      if (frame[1] < g.start[u + 1]!) {
        const v = g.target[frame[1]++]!
        if (!inside[v]) continue
        if (num[v] === -1) {
          num[v] = low[v] = counter++
          stack.push(v)
          onStack[v] = 1
          call.push([v, g.start[v]!])
        } else if (onStack[v]) low[u] = Math.min(low[u]!, num[v]!)
        continue
      }
      call.pop()
      if (call.length) {
        const p = call[call.length - 1]![0]
        low[p] = Math.min(low[p]!, low[u]!)
      }
      if (low[u] === num[u]) {
        const comp: number[] = []
        let v: number
        do {
          v = stack.pop()!
          onStack[v] = 0
          comp.push(v)
        } while (v !== u)
        out.push(comp)
      }
    }
  }
  return out
}

/** What a fair cycle through a component must contain: an edge of each class it takes, a state disabling each weak class it does not. */
type Requirement = { readonly edge: number } | { readonly state: number }

/** A fair sub-component of `comp` (with what its cycle must visit), or undefined. `inside` is all clear before and after. */
const fairPart = (g: Graph<unknown>, fairness: ReadonlyArray<Fairness<unknown>>, comp: number[], inside: Uint8Array): { comp: number[]; needs: Requirement[] } | undefined => {
  for (const u of comp) inside[u] = 1
  const needs: Requirement[] = []
  const removeAlso = new Set<number>()
  for (let j = 0; j < fairness.length; j++) {
    const cls = g.classes[j]!
    const taken = new Map<number, number>() // class -> an edge inside comp
    const enabledAt = new Map<number, number[]>() // class -> states of comp enabling it
    for (const u of comp) {
      const seenHere = new Set<number>()
      for (let e = g.start[u]!; e < g.start[u + 1]!; e++) {
        const c = cls[e]!
        if (c < 0) continue
        if (!seenHere.has(c)) {
          seenHere.add(c)
          const at = enabledAt.get(c)
          if (at) at.push(u)
          else enabledAt.set(c, [u])
        }
        if (inside[g.target[e]!] && !taken.has(c)) taken.set(c, e)
      }
    }
    for (const [c, at] of enabledAt) {
      const edge = taken.get(c)
      if (edge !== undefined) needs.push({ edge })
      else if (fairness[j]!.kind === "strong") for (const u of at) removeAlso.add(u)
      else if (at.length === comp.length) {
        for (const u of comp) inside[u] = 0
        return undefined // weakly fair class enabled throughout and never taken
      } else {
        const enabling = new Set(at)
        needs.push({ state: comp.find((u) => !enabling.has(u))! })
      }
    }
  }
  for (const u of comp) inside[u] = 0
  if (removeAlso.size === 0) return { comp, needs }
  // Emerson-Lei: drop the states enabling a strong class never taken here, split the rest again.
  const rest = comp.filter((u) => !removeAlso.has(u))
  for (const u of rest) inside[u] = 1
  const parts = components(g, rest, inside)
  for (const u of rest) inside[u] = 0
  for (const part of parts) {
    const fair = fairPart(g, fairness, part, inside)
    if (fair) return fair
  }
  return undefined
}

/** Shortest path (as edge ids) from `from` to a node satisfying `goal`, through nodes marked in `inside`. */
const pathWithin = (g: Graph<unknown>, from: number, goal: (u: number) => boolean, inside: Uint8Array | undefined): number[] | undefined => {
  if (goal(from)) return []
  const via = new Map<number, number>([[from, -1]])
  const queue = [from]
  for (let h = 0; h < queue.length; h++) {
    const u = queue[h]!
    for (let e = g.start[u]!; e < g.start[u + 1]!; e++) {
      const v = g.target[e]!
      if (via.has(v) || (inside && !inside[v])) continue
      via.set(v, e)
      if (goal(v)) {
        const edges: number[] = []
        for (let x = v; x !== from; ) {
          const edge = via.get(x)!
          edges.push(edge)
          x = sourceOf(g, edge)
        }
        return edges.reverse()
      }
      queue.push(v)
    }
  }
  return undefined
}

/** The node an edge leaves (binary search over `start`). */
const sourceOf = (g: Graph<unknown>, edge: number): number => {
  let lo = 0
  let hi = g.states.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (g.start[mid]! <= edge) lo = mid
    else hi = mid - 1
  }
  return lo
}

/** A fair cycle through `comp` starting and ending at `entry`, as edge ids. */
const cycleThrough = (g: Graph<unknown>, comp: number[], needs: Requirement[], entry: number, inside: Uint8Array): number[] => {
  for (const u of comp) inside[u] = 1
  const edges: number[] = []
  let cur = entry
  const goTo = (target: number) => {
    edges.push(...pathWithin(g, cur, (u) => u === target, inside)!)
    cur = target
  }
  for (const need of needs) {
    if ("state" in need) goTo(need.state)
    else {
      goTo(sourceOf(g, need.edge))
      edges.push(need.edge)
      cur = g.target[need.edge]!
    }
  }
  goTo(entry)
  for (const u of comp) inside[u] = 0
  return edges
}

interface Lasso {
  readonly initial: number
  /** Edges from the initial state to the loop state, then the cycle. */
  readonly edges: number[]
  readonly loop: number
}

const treePath = (g: Graph<unknown>, u: number): { initial: number; edges: number[] } => {
  const nodes: number[] = []
  for (let x = u; x !== NO_PARENT; x = g.parent[x]!) nodes.push(x)
  nodes.reverse()
  const edges: number[] = []
  for (let i = 1; i < nodes.length; i++) edges.push(pathWithin(g, nodes[i - 1]!, (v) => v === nodes[i], undefined)![0]!)
  return { initial: nodes[0]!, edges }
}

/** Fair components inside `allowed` (the nodes a violating behaviour may stay in forever). */
const fairComponents = (g: Graph<unknown>, fairness: ReadonlyArray<Fairness<unknown>>, allowed: Uint8Array) => {
  const nodes: number[] = []
  for (let u = 0; u < g.states.length; u++) if (allowed[u]) nodes.push(u)
  const member = new Int32Array(g.states.length).fill(-1)
  const fair: Array<{ comp: number[]; needs: Requirement[] }> = []
  const inside = new Uint8Array(g.states.length)
  for (const comp of components(g, nodes, allowed)) {
    const f = fairPart(g, fairness, comp, inside)
    if (!f) continue
    for (const u of f.comp) member[u] = fair.length
    fair.push(f)
  }
  return { fair, member, inside }
}

/** The nodes of `allowed` that reach one of `targets` through `allowed` (backward search over reversed edges). */
const reachingBack = (g: Graph<unknown>, targets: ReadonlyArray<number>, allowed: Uint8Array): Uint8Array => {
  const n = g.states.length
  const count = new Uint32Array(n + 1)
  for (let e = 0; e < g.target.length; e++) count[g.target[e]! + 1]!++
  for (let v = 0; v < n; v++) count[v + 1]! += count[v]!
  const from = new Uint32Array(g.target.length)
  const fill = count.slice(0, n)
  for (let u = 0; u < n; u++) for (let e = g.start[u]!; e < g.start[u + 1]!; e++) from[fill[g.target[e]!]!++] = u
  const out = new Uint8Array(n)
  const queue = [...targets]
  for (const t of targets) out[t] = 1
  for (let h = 0; h < queue.length; h++) {
    const v = queue[h]!
    for (let i = count[v]!; i < count[v + 1]!; i++) {
      const u = from[i]!
      if (!out[u] && allowed[u]) (out[u] = 1), queue.push(u)
    }
  }
  return out
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
