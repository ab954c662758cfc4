/**
 * ShardMaster: the abstract configuration service that the shard master (and its replicated form)
 * refines. The state is the sequence of configurations; each maps every shard to its owning group
 * (none while no group exists) and lists the joined groups with their servers.
 *
 *   Join(g)     g not joined: append a configuration with g added whose assignment is ANY balanced one
 *               (max - min shards per group <= 1) that moves the fewest shards from the latest
 *   Leave(g)    g joined: the same with g removed (no groups left: every shard unowned)
 *   Move(s, g)  s a shard, g joined and not the owner of s: append the latest with s owned by g
 *   Query(n)    configuration n (none: the latest, as is n beyond it); before any Join: "none"
 *   a command whose condition fails is rejected and changes nothing
 *
 * "Fewest" is stated, not computed: every assignment of shards to groups is enumerated, so the
 * domains are small (a few shards and groups) and the number of configurations is bounded.
 */
import { fingerprintValue } from "../src/checker/hash.ts"
import { invariant, type TransitionSystem } from "../src/checker/transition-system.ts"

export interface SmGroup {
  readonly id: number
  readonly servers: ReadonlyArray<string>
}
export interface SmConfig {
  readonly shards: ReadonlyArray<number | null>
  /** In ascending id order. */
  readonly groups: ReadonlyArray<SmGroup>
}
export interface ShardMasterSpecState {
  readonly configs: ReadonlyArray<SmConfig>
}

export type SmInput =
  | { readonly op: "join"; readonly group: number; readonly servers: ReadonlyArray<string> }
  | { readonly op: "leave"; readonly group: number }
  | { readonly op: "move"; readonly shard: number; readonly group: number }
  | { readonly op: "query"; readonly num: number | null }
export type SmOutput =
  | { readonly ok: number }
  | { readonly num: number; readonly config: SmConfig }
  | { readonly none: true }
  | { readonly rejected: true }
export interface SmLabel {
  readonly input: SmInput
  readonly output: SmOutput
}

export interface ShardMasterSpecOptions {
  readonly shards: number
  /** The groups that may join, each with its servers. */
  readonly groups: ReadonlyArray<SmGroup>
  /** Join, Leave and Move are enabled while there are fewer configurations than this. */
  readonly maxConfigs: number
}

/** Every assignment of `shards` shards to `ids` (ids empty: the one with no owners). */
const assignments = (shards: number, ids: ReadonlyArray<number>): Array<Array<number | null>> => {
  if (ids.length === 0) return [Array<null>(shards).fill(null)]
  let out: Array<Array<number | null>> = [[]]
  for (let s = 0; s < shards; s++) out = out.flatMap((a) => ids.map((id) => [...a, id]))
  return out
}
const balanced = (a: ReadonlyArray<number | null>, ids: ReadonlyArray<number>): boolean => {
  const n = ids.map((id) => a.filter((o) => o === id).length)
  return n.length === 0 || Math.max(...n) - Math.min(...n) <= 1
}
const movedFrom = (before: ReadonlyArray<number | null>, after: ReadonlyArray<number | null>) => after.filter((o, s) => o !== before[s]).length

/** The balanced assignments to `ids` with the fewest moves from `before`. */
export const fewestMoves = (before: ReadonlyArray<number | null>, ids: ReadonlyArray<number>): Array<Array<number | null>> => {
  const ok = assignments(before.length, ids).filter((a) => balanced(a, ids))
  const least = Math.min(...ok.map((a) => movedFrom(before, a)))
  return ok.filter((a) => movedFrom(before, a) === least)
}

/** The commands the spec offers in every state (those whose condition fails are rejected). */
export const shardMasterInputs = ({ shards, groups, maxConfigs }: ShardMasterSpecOptions): SmInput[] => [
  ...groups.map((g): SmInput => ({ op: "join", group: g.id, servers: g.servers })),
  ...groups.map((g): SmInput => ({ op: "leave", group: g.id })),
  ...Array.from({ length: shards }, (_, shard) => groups.map((g): SmInput => ({ op: "move", shard, group: g.id }))).flat(),
  // Bad arguments at the bounds (always rejected): a shard before the first and one past the last.
  ...(groups.length > 0 ? [-1, shards].map((shard): SmInput => ({ op: "move", shard, group: groups[0]!.id })) : []),
  ...[null, ...Array.from({ length: maxConfigs + 2 }, (_, n) => n)].map((num): SmInput => ({ op: "query", num })),
]

export const shardMasterSpec = (options: ShardMasterSpecOptions): TransitionSystem<ShardMasterSpecState, SmLabel> => {
  const { shards, groups, maxConfigs } = options
  const latest = (s: ShardMasterSpecState): SmConfig => s.configs.at(-1) ?? { shards: Array<null>(shards).fill(null), groups: [] }
  const inputs = shardMasterInputs(options)
  const successors = (s: ShardMasterSpecState, emit: (label: SmLabel, next: ShardMasterSpecState) => void) => {
    const { shards: owners, groups: joined } = latest(s)
    const ids = joined.map((g) => g.id)
    const append = (input: SmInput, config: SmConfig) => emit({ input, output: { ok: s.configs.length + 1 } }, { configs: [...s.configs, config] })
    const reject = (input: SmInput) => emit({ input, output: { rejected: true } }, s)
    const room = s.configs.length < maxConfigs
    for (const input of inputs) {
      switch (input.op) {
        case "join": {
          if (ids.includes(input.group)) reject(input)
          else if (room) {
            const next = [...joined, { id: input.group, servers: input.servers }].sort((a, b) => a.id - b.id)
            for (const a of fewestMoves(owners, next.map((g) => g.id))) append(input, { shards: a, groups: next })
          }
          break
        }
        case "leave": {
          if (!ids.includes(input.group)) reject(input)
          else if (room) {
            const next = joined.filter((g) => g.id !== input.group)
            for (const a of fewestMoves(owners, next.map((g) => g.id))) append(input, { shards: a, groups: next })
          }
          break
        }
        case "move": {
          if (input.shard < 0 || input.shard >= shards || !ids.includes(input.group) || owners[input.shard] === input.group) reject(input)
          else if (room) append(input, { shards: owners.map((o, shard) => (shard === input.shard ? input.group : o)), groups: joined })
          break
        }
        case "query": {
          if (input.num !== null && input.num < 1) reject(input)
          else if (s.configs.length === 0) emit({ input, output: { none: true } }, s)
          else {
            const num = input.num === null || input.num > s.configs.length ? s.configs.length : input.num
            emit({ input, output: { num, config: s.configs[num - 1]! } }, s)
          }
        }
      }
    }
  }
  return {
    name: `ShardMaster(shards=${shards},groups=${groups.map((g) => g.id).join(",")})`,
    initial: () => [{ configs: [] }],
    successors,
    fingerprint: (state, out) => void fingerprintValue(state, out),
    formatLabel: ({ input, output }) => `${JSON.stringify(input)} -> ${JSON.stringify(output)}`,
    view: (state) => state,
    properties: [
      invariant("EveryShardOwned", (s) =>
        s.configs.every((c) => c.shards.every((o) => (c.groups.length === 0 ? o === null : c.groups.some((g) => g.id === o))))
      ),
    ],
  }
}
