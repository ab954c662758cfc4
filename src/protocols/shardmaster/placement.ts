/**
 * Shard placement: from the previous owners and the new group set, a balanced assignment (every
 * group gets floor(n/g) or ceil(n/g) shards) that moves the fewest shards.
 *
 * Why it is minimal: a shard stays put only when its owner remains and keeps it, so a group with
 * `c` shards and quota `q` keeps at most min(c, q) and at least n - sum(min(c, q)) shards move. The
 * sum is largest when the ceil quotas go to the groups holding the most, which is what we do; each
 * group then keeps exactly min(c, q) and the rest move once. Ties are broken by group id and shard
 * number only, so every replica computes the same placement, and placing from nothing (the first
 * Join, or all groups gone) depends on the group set alone: contiguous runs of shards in id order.
 */
import type { GroupId } from "./messages.ts"

export type Owners = ReadonlyArray<GroupId | null>

export interface PlacementOptions {
  /** Planted bug for tests: fill groups only to floor(n/g), leaving the remainder unassigned. */
  readonly bugFillToFloor?: boolean
}

/** The new owners; `groups` in ascending id order (none: every shard unassigned). */
export const rebalance = (owners: Owners, groups: ReadonlyArray<GroupId>, options: PlacementOptions = {}): Array<GroupId | null> => {
  if (groups.length === 0) return owners.map(() => null)
  const base = Math.floor(owners.length / groups.length)
  const extra = owners.length % groups.length
  const held = new Map(groups.map((id) => [id, [] as number[]]))
  const free: number[] = []
  owners.forEach((owner, shard) => {
    const mine = owner === null ? undefined : held.get(owner)
    if (mine) mine.push(shard)
    else free.push(shard)
  })
  const byHolding = [...groups].sort((a, b) => held.get(b)!.length - held.get(a)!.length || a - b)
  const quota = new Map(byHolding.map((id, i) => [id, base + (i < extra && !options.bugFillToFloor ? 1 : 0)]))
  // Each group keeps its lowest-numbered shards up to its quota and frees the rest.
  for (const id of groups) free.push(...held.get(id)!.splice(quota.get(id)!))
  free.sort((a, b) => a - b)
  const next: Array<GroupId | null> = [...owners]
  let i = 0
  for (const id of groups) for (let k = held.get(id)!.length; k < quota.get(id)!; k++) next[free[i++]!] = id
  for (; i < free.length; i++) next[free[i]!] = null
  return next
}

/** How many shards change owner between two assignments. */
export const moved = (before: Owners, after: Owners): number => before.reduce<number>((n, owner, shard) => n + (owner === after[shard] ? 0 : 1), 0)

/** Shards per group (every group in `groups`, zero included). */
export const counts = (owners: Owners, groups: ReadonlyArray<GroupId>): Map<GroupId, number> => {
  const out = new Map(groups.map((id) => [id, 0]))
  for (const owner of owners) if (owner !== null && out.has(owner)) out.set(owner, out.get(owner)! + 1)
  return out
}

/** max - min shards per group is at most 1 (vacuous with no groups). */
export const isBalanced = (owners: Owners, groups: ReadonlyArray<GroupId>): boolean => {
  const c = [...counts(owners, groups).values()]
  return c.length === 0 || Math.max(...c) - Math.min(...c) <= 1
}
