/**
 * The whole reachable state graph of a system, for liveness: states by id in BFS order (parents give
 * shortest prefixes), out-edges in one array with the fairness class of each edge per constraint, and
 * the graph searches the liveness check needs (SCCs, shortest paths within a node set, backward
 * reachability). Steps that do not change the state are stutters and get no edge.
 */
import { FingerprintSet, NO_PARENT } from "./fpset.ts"
import { PropertySet } from "./properties.ts"
import type { Fairness } from "./temporal.ts"
import { newFingerprint, type TransitionSystem } from "./transition-system.ts"

/** The reachable graph: states by id (BFS order), out-edges of u at [start[u], start[u+1]). */
export interface Graph<S> {
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

export const buildGraph = <S, L>(system: TransitionSystem<S, L>, fairness: ReadonlyArray<Fairness<L>>, maxStates: number): Graph<S> | undefined => {
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
export const components = (g: Graph<unknown>, nodes: ReadonlyArray<number>, inside: Uint8Array): number[][] => {
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

/** Shortest path (as edge ids) from `from` to a node satisfying `goal`, through nodes marked in `inside`. */
export const pathWithin = (g: Graph<unknown>, from: number, goal: (u: number) => boolean, inside: Uint8Array | undefined): number[] | undefined => {
  if (goal(from)) return []
  const via = new Map<number, number>([[from, -1]])
  const queue = [from]
  for (let h = 0; h < queue.length; h++) {
    const u = queue[h]!
    for (let e = g.start[u]!; e < g.start[u + 1]!; e++) {
      const v = g.target[e]!
      if (via.has(v) || (inside && !inside[v])) continue
      via.set(v, e)
      if (goal(v)) return pathBack(g, via, v)
      queue.push(v)
    }
  }
  return undefined
}

/** The edges a BFS took to reach `to`, in order: `via` maps each node it reached to its edge (-1: a node it started from). */
export const pathBack = (g: Graph<unknown>, via: ReadonlyMap<number, number>, to: number): number[] => {
  const edges: number[] = []
  for (let x = to, e = via.get(x)!; e >= 0; x = sourceOf(g, e), e = via.get(x)!) edges.push(e)
  return edges.reverse()
}

/** The node an edge leaves (binary search over `start`). */
export const sourceOf = (g: Graph<unknown>, edge: number): number => {
  let lo = 0
  let hi = g.states.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (g.start[mid]! <= edge) lo = mid
    else hi = mid - 1
  }
  return lo
}

/** Shortest paths from seeds (each at its own distance) through `region`: a BFS forest, level by level. */
export interface PrefixTree {
  /** Length of the shortest path to each node (-1: not reached). */
  readonly dist: Int32Array
  /** The edge each node is reached by (-1: a seed). */
  readonly via: Int32Array
  /** The tree a seed's own path comes from (undefined: seeds are initial states). */
  readonly before: PrefixTree | undefined
}

/**
 * Shortest prefixes: seeds enter at their distance (`before.dist`, or 0 for initial states), and the
 * search moves only through nodes of `region` (a seed outside it is not entered).
 */
export const prefixTree = (g: Graph<unknown>, seeds: ReadonlyArray<number>, region: Uint8Array, before?: PrefixTree): PrefixTree => {
  const n = g.states.length
  const dist = new Int32Array(n).fill(-1)
  const via = new Int32Array(n).fill(-1)
  const at = (u: number) => (before ? before.dist[u]! : 0)
  const queued = seeds.filter((u) => region[u] && at(u) >= 0).sort((a, b) => at(a) - at(b))
  let next = 0
  let frontier: number[] = []
  for (let level = 0; next < queued.length || frontier.length; level++) {
    while (next < queued.length && at(queued[next]!) === level) {
      const u = queued[next++]!
      if (dist[u] < 0) (dist[u] = level), frontier.push(u)
    }
    if (!frontier.length) {
      if (next < queued.length) level = at(queued[next]!) - 1
      continue
    }
    const out: number[] = []
    for (const u of frontier)
      for (let e = g.start[u]!; e < g.start[u + 1]!; e++) {
        const v = g.target[e]!
        if (dist[v] >= 0 || !region[v]) continue
        dist[v] = level + 1
        via[v] = e
        out.push(v)
      }
    frontier = out
  }
  return { dist, via, before }
}

/** The path a prefix tree gives to `u` (reached by it), from an initial state. */
export const prefixPath = (g: Graph<unknown>, tree: PrefixTree, u: number): { initial: number; edges: number[] } => {
  const edges: number[] = []
  let x = u
  for (let t: PrefixTree | undefined = tree; t; t = t.before)
    for (let e = t.via[x]!; e >= 0; e = t.via[x]!) {
      edges.push(e)
      x = sourceOf(g, e)
    }
  return { initial: x, edges: edges.reverse() }
}

/** The nodes of `region` within `radius` steps of `center` through `region` (BFS order). */
export const ball = (g: Graph<unknown>, center: number, radius: number, region: Uint8Array, mark: Uint8Array): number[] => {
  const nodes = [center]
  mark[center] = 1
  for (let level = 0, from = 0; level < radius && from < nodes.length; level++) {
    const to = nodes.length
    for (let h = from; h < to; h++) {
      const u = nodes[h]!
      for (let e = g.start[u]!; e < g.start[u + 1]!; e++) {
        const v = g.target[e]!
        if (!mark[v] && region[v]) (mark[v] = 1), nodes.push(v)
      }
    }
    from = to
  }
  return nodes
}
