/** Invariants of the shard master's state, for tests, searches and (later) the replicated service. */
import { sameValue } from "../../checker/hash.ts"
import { invariant, type StateProperty } from "../../checker/transition-system.ts"
import type { Configuration, ShardMasterState } from "./messages.ts"
import { counts, isBalanced, moved } from "./placement.ts"

/** What is wrong with one configuration, if anything: groups in ascending id order, every shard owned by a joined group (none while no group exists). */
export const configurationProblem = (c: Configuration, shards: number): string | undefined => {
  if (c.shards.length !== shards) return `configuration ${c.num} has ${c.shards.length} shards, not ${shards}`
  if (c.groups.some((g, i) => i > 0 && c.groups[i - 1]!.id >= g.id)) return `configuration ${c.num}: groups not in ascending id order`
  const ids = new Set(c.groups.map((g) => g.id))
  const bad = c.shards.findIndex((owner) => (ids.size === 0 ? owner !== null : owner === null || !ids.has(owner)))
  if (bad >= 0) return `configuration ${c.num}: shard ${bad} ${c.shards[bad] === null ? "has no owner" : `is owned by group ${c.shards[bad]}, which has not joined`}`
  return undefined
}

/** Every configuration is well formed (one owner per shard once a group exists) and configs[i].num = i + 1. */
export const configurationsProblem = (s: ShardMasterState, shards: number): string | undefined => {
  for (const [i, c] of s.configs.entries()) {
    if (c.num !== i + 1) return `configuration at position ${i + 1} is numbered ${c.num}`
    const problem = configurationProblem(c, shards)
    if (problem) return problem
  }
  return undefined
}

/**
 * Every configuration is balanced (each group floor(n/g) or ceil(n/g) shards), or is a Move: the same
 * groups as the one before and one shard with another owner.
 */
export const placementProblem = (s: ShardMasterState): string | undefined => {
  for (const [i, c] of s.configs.entries()) {
    const ids = c.groups.map((g) => g.id)
    if (isBalanced(c.shards, ids)) continue
    const before = s.configs[i - 1]
    const sameGroups = before !== undefined && before.groups.length === ids.length && before.groups.every((g, k) => g.id === ids[k])
    if (sameGroups && moved(before.shards, c.shards) === 1) continue
    return `configuration ${c.num} is unbalanced (${[...counts(c.shards, ids)].map(([g, n]) => `group ${g}: ${n}`).join(", ")}) and not a Move of configuration ${c.num - 1}`
  }
  return undefined
}

export const shardMasterInvariants = (shards: number): ReadonlyArray<StateProperty<ShardMasterState>> => [
  invariant("ConfigurationsWellFormed", (s) => configurationsProblem(s, shards) === undefined, (s) => configurationsProblem(s, shards)),
  invariant("PlacementsBalanced", (s) => placementProblem(s) === undefined, placementProblem),
]

/** Replicas agree: any two have the same configuration under every number both have (the application is deterministic). */
export const replicasDisagree = (replicas: ReadonlyArray<ShardMasterState>): string | undefined => {
  for (let i = 0; i < replicas.length; i++)
    for (let j = i + 1; j < replicas.length; j++) {
      const [a, b] = [replicas[i]!.configs, replicas[j]!.configs]
      for (let n = 0; n < Math.min(a.length, b.length); n++) {
        if (!sameValue(a[n], b[n])) return `two replicas differ on configuration ${n + 1}`
      }
    }
  return undefined
}
