/**
 * Fair strongly connected components: a component in which a behaviour can stay forever while
 * treating every weak and strong fairness class fairly (Emerson-Lei refinement for strong fairness),
 * and a cycle through one that a lasso can show.
 */
import type { Fairness } from "./temporal.ts"
import { components, type Graph, pathWithin, sourceOf } from "./state-graph.ts"

/** What a fair cycle through a component must contain: an edge of each class it takes, a state disabling each weak class it does not. */
export type Requirement = { readonly edge: number } | { readonly state: number }

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

/** A fair cycle through `comp` starting and ending at `entry`, as edge ids. */
export const cycleThrough = (g: Graph<unknown>, comp: number[], needs: Requirement[], entry: number, inside: Uint8Array): number[] => {
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

/** Fair components inside `allowed` (the nodes a violating behaviour may stay in forever). */
export const fairComponents = (g: Graph<unknown>, fairness: ReadonlyArray<Fairness<unknown>>, allowed: Uint8Array) => {
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

