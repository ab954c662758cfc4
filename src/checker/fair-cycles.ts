/**
 * Fair strongly connected components: a component in which a behaviour can stay forever while
 * treating every weak and strong fairness class fairly (Emerson-Lei refinement for strong fairness),
 * and a short fair cycle through one that a lasso can show.
 */
import type { Fairness } from "./temporal.ts"
import { components, type Graph, pathBack, pathWithin, sourceOf } from "./state-graph.ts"

/**
 * A fair sub-component of `comp` (a strongly connected node set), or undefined: every class enabled
 * in it is taken inside it, except weak classes some node of it disables. `inside` is all clear
 * before and after. Enabledness counts every edge of the graph; taking counts only edges inside.
 */
export const fairPart = (g: Graph<unknown>, fairness: ReadonlyArray<Fairness<unknown>>, comp: number[], inside: Uint8Array): number[] | undefined => {
  for (const u of comp) inside[u] = 1
  const removeAlso = new Set<number>()
  for (let j = 0; j < fairness.length; j++) {
    const cls = g.classes[j]!
    const taken = new Set<number>()
    const enabledAt = new Map<number, number>() // class -> how many states of comp enable it
    const strongAt = new Map<number, number[]>() // strong class -> states of comp enabling it
    for (const u of comp) {
      const seenHere = new Set<number>()
      for (let e = g.start[u]!; e < g.start[u + 1]!; e++) {
        const c = cls[e]!
        if (c < 0) continue
        if (inside[g.target[e]!]) taken.add(c)
        if (seenHere.has(c)) continue
        seenHere.add(c)
        enabledAt.set(c, (enabledAt.get(c) ?? 0) + 1)
        if (fairness[j]!.kind !== "strong") continue
        const at = strongAt.get(c)
        if (at) at.push(u)
        else strongAt.set(c, [u])
      }
    }
    for (const [c, count] of enabledAt) {
      if (taken.has(c)) continue
      if (fairness[j]!.kind === "strong") for (const u of strongAt.get(c)!) removeAlso.add(u)
      else if (count === comp.length) {
        for (const u of comp) inside[u] = 0
        return undefined // weakly fair class enabled throughout and never taken
      }
    }
  }
  for (const u of comp) inside[u] = 0
  if (removeAlso.size === 0) return comp
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

/** The classes a cycle through `states` taking `edges` leaves unfair, per constraint: strong ones enabled somewhere, weak ones enabled throughout, never taken. */
const unmet = (g: Graph<unknown>, fairness: ReadonlyArray<Fairness<unknown>>, states: ReadonlyArray<number>, edges: ReadonlyArray<number>): Array<Set<number>> =>
  fairness.map((f, j) => {
    const cls = g.classes[j]!
    let open: Set<number> | undefined
    for (const u of states) {
      const here = new Set<number>()
      for (let e = g.start[u]!; e < g.start[u + 1]!; e++) if (cls[e]! >= 0) here.add(cls[e]!)
      if (!open) open = here
      else if (f.kind === "strong") for (const c of here) open.add(c)
      else for (const c of open) if (!here.has(c)) open.delete(c)
    }
    for (const e of edges) open!.delete(cls[e]!)
    return open!
  })

/**
 * A short fair cycle through `entry` inside a fair part (marked in `inside`), as edge ids (empty:
 * stuttering at `entry` is fair). It starts empty and, while some class is left unfair, splices in a
 * detour from a cycle state to the nearest thing that satisfies one (an edge of the class, or for a
 * weak class a state that disables it) and back: the nearest need first, and only the classes the
 * cycle's own states enable, not every class of the part.
 */
export const fairCycle = (g: Graph<unknown>, fairness: ReadonlyArray<Fairness<unknown>>, inside: Uint8Array, entry: number): number[] => {
  let cycle: number[] = []
  for (;;) {
    const states = cycle.length ? cycle.map((e) => sourceOf(g, e)) : [entry]
    const open = unmet(g, fairness, states, cycle)
    if (open.every((s) => s.size === 0)) return cycle
    const satisfies = (u: number): { edge: number } | { state: number } | undefined => {
      for (let e = g.start[u]!; e < g.start[u + 1]!; e++)
        if (inside[g.target[e]!] && g.classes.some((cls, j) => open[j]!.has(cls[e]!))) return { edge: e }
      for (let j = 0; j < fairness.length; j++) {
        if (fairness[j]!.kind !== "weak" || open[j]!.size === 0) continue
        const here = new Set<number>()
        for (let e = g.start[u]!; e < g.start[u + 1]!; e++) here.add(g.classes[j]![e]!)
        for (const c of open[j]!) if (!here.has(c)) return { state: u }
      }
      return undefined
    }
    // Multi-source BFS from the cycle's states to the nearest satisfier.
    const via = new Map<number, number>() // node -> edge reaching it (-1: a cycle state)
    const origin = new Map<number, number>() // node -> position in the cycle it is reached from
    const queue: number[] = []
    states.forEach((u, i) => {
      if (!via.has(u)) via.set(u, -1), origin.set(u, i), queue.push(u)
    })
    let found: { at: number; edges: number[] } | undefined
    for (let h = 0; h < queue.length && !found; h++) {
      const u = queue[h]!
      const hit = satisfies(u)
      if (hit) {
        const out = pathBack(g, via, u)
        let end = u
        if ("edge" in hit) out.push(hit.edge), (end = g.target[hit.edge]!)
        const at = origin.get(u)!
        out.push(...pathWithin(g, end, (x) => x === states[at], inside)!)
        found = { at, edges: out }
        break
      }
      for (let e = g.start[u]!; e < g.start[u + 1]!; e++) {
        const v = g.target[e]!
        if (!inside[v] || via.has(v)) continue
        via.set(v, e)
        origin.set(v, origin.get(u)!)
        queue.push(v)
      }
    }
    if (!found) throw new Error("fairCycle: a class of a fair part cannot be satisfied inside it")
    cycle = [...cycle.slice(0, found.at), ...found.edges, ...cycle.slice(found.at)]
  }
}

const isFair = (g: Graph<unknown>, fairness: ReadonlyArray<Fairness<unknown>>, cycle: ReadonlyArray<number>, entry: number): boolean =>
  unmet(g, fairness, cycle.length ? cycle.map((e) => sourceOf(g, e)) : [entry], cycle).every((s) => s.size === 0)

/** Nodes visited in all by one `shortenCycle` (its searches stop there; the cycle stays fair, only less short). */
const SHORTEN_WORK = 1 << 20

/**
 * A fair cycle through `entry` no longer than `cycle` (fair, inside the part marked in `inside`): while
 * some stretch from its i-th to its j-th state has a shorter path inside the part and the cycle with that
 * path instead is still fair, take it (the greedy detours of fairCycle are not the shortest together).
 */
export const shortenCycle = (g: Graph<unknown>, fairness: ReadonlyArray<Fairness<unknown>>, inside: Uint8Array, cycle: number[], entry: number): number[] => {
  let work = 0
  for (let again = true; again && work < SHORTEN_WORK; ) {
    again = false
    const states = cycle.map((e) => sourceOf(g, e))
    for (let i = 0; i < cycle.length && !again && work < SHORTEN_WORK; i++) {
      // BFS from the i-th state, no deeper than the rest of the cycle.
      const via = new Map<number, number>([[states[i]!, -1]])
      const depth = new Map<number, number>([[states[i]!, 0]])
      const queue = [states[i]!]
      for (let h = 0; h < queue.length && work < SHORTEN_WORK; h++, work++) {
        const u = queue[h]!
        if (depth.get(u)! >= cycle.length - i - 1) continue
        for (let e = g.start[u]!; e < g.start[u + 1]!; e++) {
          const v = g.target[e]!
          if (!inside[v] || via.has(v)) continue
          via.set(v, e)
          depth.set(v, depth.get(u)! + 1)
          queue.push(v)
        }
      }
      for (let j = cycle.length; j > i && !again; j--) {
        const to = j === cycle.length ? entry : states[j]!
        const d = depth.get(to)
        if (d === undefined || d >= j - i) continue
        const shorter = [...cycle.slice(0, i), ...pathBack(g, via, to), ...cycle.slice(j)]
        if (isFair(g, fairness, shorter, entry)) (cycle = shorter), (again = true)
      }
    }
  }
  return cycle
}

/** Fair components inside `allowed` (the nodes a violating behaviour may stay in forever): `member[u]` is u's component, or -1. */
export const fairComponents = (g: Graph<unknown>, fairness: ReadonlyArray<Fairness<unknown>>, allowed: Uint8Array) => {
  const nodes: number[] = []
  for (let u = 0; u < g.states.length; u++) if (allowed[u]) nodes.push(u)
  const member = new Int32Array(g.states.length).fill(-1)
  const fair: number[][] = []
  const inside = new Uint8Array(g.states.length)
  for (const comp of components(g, nodes, allowed)) {
    const f = fairPart(g, fairness, comp, inside)
    if (!f) continue
    for (const u of f) member[u] = fair.length
    fair.push(f)
  }
  return { fair, member, inside }
}
