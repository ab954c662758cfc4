/**
 * Which renamings a symmetry-reduced fingerprint tries for one state. Without signatures: every
 * permutation of every group (n! renamings a state). With the system's name-invariant signatures
 * of members (`Symmetry.signature`), a canonical form by sorting: the renamings that put each
 * group's members in order of signature onto the group's names in declared order, every order
 * among members of equal signature. For a renamed state pi(s) the members sort the same way up to
 * pi, so the set of renamed states tried is the same for every state of an orbit, and so is the
 * least fingerprint over it: one canonical representative per orbit, mostly from one renaming.
 */
import type { Renaming } from "./symmetry.ts"

export const permutationsOf = <T>(xs: ReadonlyArray<T>): T[][] =>
  xs.length <= 1 ? [[...xs]] : xs.flatMap((x, i) => permutationsOf([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]))

/** Every renaming the groups allow, except the identity (the product of each group's permutations). */
export const renamings = (groups: ReadonlyArray<ReadonlyArray<string>>): Renaming[] => {
  let out: Array<Array<readonly [string, string]>> = [[]]
  for (const g of groups) out = out.flatMap((pairs) => permutationsOf(g).map((p) => [...pairs, ...g.map((n, i) => [n, p[i]!] as const)]))
  return out.filter((pairs) => pairs.some(([a, b]) => a !== b)).map((pairs) => new Map(pairs.filter(([a, b]) => a !== b)))
}

/**
 * Renamings that generate every group's permutations (a swap of its first two names and, from
 * three names on, the cycle through all): a set of states closed under these is closed under all,
 * and a property symmetric under these is symmetric under all.
 */
export const generators = (groups: ReadonlyArray<ReadonlyArray<string>>): Renaming[] =>
  groups.flatMap((g) => {
    const swap: Renaming = new Map([[g[0]!, g[1]!], [g[1]!, g[0]!]])
    return g.length < 3 ? [swap] : [swap, new Map(g.map((n, i) => [n, g[(i + 1) % g.length]!] as const))]
  })

/** `null` stands for the identity (the state itself, not renamed). */
export type Candidate = Renaming | null

/**
 * The canonical renamings of a state by signature: calls `visit` once per renaming that sorts
 * every group by its members' signatures. Renamings are interned, so per-renaming caches of the
 * renamer (node records, envelopes) hit across states.
 */
export const canonicalRenamings = <S>(groups: ReadonlyArray<ReadonlyArray<string>>, signature: (state: S, name: string) => number) => {
  const interned = new Map<string, Candidate>()
  const renamingOf = (orders: ReadonlyArray<ReadonlyArray<string>>): Candidate => {
    const key = orders.map((o) => o.join(",")).join(";")
    let r = interned.get(key)
    if (r === undefined) {
      const pairs: Array<readonly [string, string]> = []
      orders.forEach((o, gi) => o.forEach((member, j) => member !== groups[gi]![j] && pairs.push([member, groups[gi]![j]!])))
      interned.set(key, (r = pairs.length === 0 ? null : new Map(pairs)))
    }
    return r
  }
  const sigs = groups.map((g) => g.map(() => 0))
  const orders = groups.map((g) => g.map((_, i) => i))
  /** Every order of 0..n-1, by n (runs of equal signatures are short). */
  const perms: number[][][] = []
  const permsOf = (n: number) => (perms[n] ??= permutationsOf(Array.from({ length: n }, (_, i) => i)))
  return (state: S, visit: (r: Candidate) => void): void => {
    let ties = false
    for (let gi = 0; gi < groups.length; gi++) {
      const g = groups[gi]!
      const sig = sigs[gi]!
      const order = orders[gi]!
      for (let i = 0; i < g.length; i++) {
        sig[i] = signature(state, g[i]!)
        order[i] = i
      }
      // Insertion sort by signature, ties in declared order (groups are small).
      for (let i = 1; i < g.length; i++) {
        const x = order[i]!
        let j = i - 1
        while (j >= 0 && sig[order[j]!]! > sig[x]!) {
          order[j + 1] = order[j]!
          j--
        }
        order[j + 1] = x
      }
      for (let i = 1; i < g.length; i++) if (sig[order[i]!] === sig[order[i - 1]!]) ties = true
    }
    if (!ties) {
      let key = ""
      for (let gi = 0; gi < groups.length; gi++) {
        const g = groups[gi]!
        for (let i = 0; i < g.length; i++) key += (i === 0 ? (gi === 0 ? "" : ";") : ",") + g[orders[gi]![i]!]
      }
      const r = interned.get(key)
      if (r !== undefined) return visit(r)
      return visit(renamingOf(groups.map((g, gi) => orders[gi]!.map((i) => g[i]!))))
    }
    // Ties: every order within each run of equal signatures, in every group.
    let combos: string[][][] = [[]]
    for (let gi = 0; gi < groups.length; gi++) {
      const g = groups[gi]!
      const sig = sigs[gi]!
      const order = orders[gi]!
      let groupOrders: string[][] = [[]]
      for (let i = 0; i < g.length; ) {
        let j = i + 1
        while (j < g.length && sig[order[j]!] === sig[order[i]!]) j++
        const run = order.slice(i, j).map((k) => g[k]!)
        groupOrders = j - i === 1 ? groupOrders.map((o) => [...o, run[0]!]) : groupOrders.flatMap((o) => permsOf(j - i).map((p) => [...o, ...p.map((k) => run[k]!)]))
        i = j
      }
      combos = combos.flatMap((c) => groupOrders.map((o) => [...c, o]))
    }
    for (const c of combos) visit(renamingOf(c))
  }
}
