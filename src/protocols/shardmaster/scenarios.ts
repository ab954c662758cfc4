/**
 * The shard master's lab scenarios (DSLabs lab 4 part 1, MIT 6.824 shardctrler), independent of the
 * log the master runs on: each client's commands, and for a lone client the results it must get,
 * which are the application's own results run in order (the replicated service must not differ from
 * the state machine it replicates).
 */
import { shardMaster } from "./config.ts"
import { join, leave, move, query, type ShardMasterCommand, type ShardMasterResult } from "./messages.ts"

export const SHARDS = 10

const servers = (g: number) => [`g${g}s1`, `g${g}s2`, `g${g}s3`]
const joins = (...groups: number[]) => groups.map((g) => join(g, servers(g)))

export interface MasterScenario {
  readonly description: string
  /** Each client's commands, issued one at a time. */
  readonly clients: ReadonlyArray<ReadonlyArray<ShardMasterCommand>>
}

export const masterScenarios = {
  "commands-return-ok": { description: "Join, Move, Leave and Query each return Ok or a configuration", clients: [[...joins(1, 2), move(0, 2), leave(1), query()]] },
  "initial-query": { description: "a Query before any Join returns NoConfiguration", clients: [[query(), query(1)]] },
  "bad-commands": { description: "joining twice, leaving an unknown group, moving to an unknown group or to the owner are rejected", clients: [[...joins(1), join(1, servers(1)), leave(2), move(0, 2), move(0, 1), query()]] },
  "initial-config": { description: "the first Join gives its group every shard", clients: [[...joins(1), query()]] },
  "join-leave": { description: "joins and leaves keep the assignment balanced", clients: [[...joins(1, 2, 3), leave(2), ...joins(4), leave(1), leave(3), query()]] },
  "historical-queries": { description: "every configuration reads the same after later commands", clients: [[...joins(1, 2), leave(1), query(1), query(2), query(3), query(99)]] },
  move: { description: "Move moves exactly one shard; the next Join rebalances", clients: [[...joins(1, 2), move(3, 2), query(), ...joins(3), query()]] },
  "minimal-transfers-joins": { description: "each Join moves only the shards the new group needs", clients: [[...joins(1, 2, 3, 4, 5), query(2), query(3), query(4), query(5)]] },
  "minimal-transfers-leaves": { description: "each Leave moves only the leaving group's shards", clients: [[...joins(1, 2, 3, 4), leave(3), leave(1), query(5), query(6)]] },
  "deterministic-application": {
    description: "two clients interleave joins, moves and leaves; every replica has the same configuration under every number (ReplicasAgree)",
    clients: [
      [...joins(1, 2), move(0, 1), leave(2), query()],
      [...joins(3, 4), move(5, 3), leave(4), query()],
    ],
  },
  "concurrent-join-leave": {
    description: "three clients join and leave concurrently; the history must be linearizable",
    clients: [1, 2, 3].map((g) => [join(g, servers(g)), query(), leave(g), join(g + 10, servers(g + 10))]),
  },
} satisfies Record<string, MasterScenario>

/** What a lone client's commands must return: the application's results, run in order. */
export const expectedResults = (commands: ReadonlyArray<ShardMasterCommand>, shards = SHARDS): ShardMasterResult[] => {
  const app = shardMaster({ shards })
  let s = app.init()
  return commands.map((c) => {
    const [result, next] = app.execute(s, c)
    s = next
    return result
  })
}
