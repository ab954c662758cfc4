/**
 * The shard master's application as a transition system: from each state, every command of the
 * spec's small domain, executed. Searched exhaustively, it checks the application's invariants and
 * its refinement of spec/shardmaster (with results) on every step, before any replication.
 */
import { fingerprintValue } from "../../checker/hash.ts"
import type { TransitionSystem } from "../../checker/transition-system.ts"
import { shardMasterInputs, shardMasterSpec, type ShardMasterSpecOptions } from "../../../spec/shardmaster.ts"
import { shardMaster } from "./config.ts"
import { showShardMaster, type ShardMasterState } from "./messages.ts"
import { shardMasterInvariants } from "./properties.ts"
import { commandOf, refinesShardMasterSpec, type ShardMasterStep } from "./refinement.ts"

export interface ShardMasterSystemOptions extends ShardMasterSpecOptions {
  readonly bugLeaveUnassigned?: boolean
}

export const shardMasterSystem = (options: ShardMasterSystemOptions): TransitionSystem<ShardMasterState, ShardMasterStep> => {
  const app = shardMaster({ shards: options.shards, bugLeaveUnassigned: options.bugLeaveUnassigned ?? false })
  const commands = shardMasterInputs(options).map(commandOf)
  return {
    name: `shardmaster-application(shards=${options.shards})`,
    initial: () => [app.init()],
    successors: (s, emit) => {
      for (const command of commands) {
        const [result, next] = app.execute(s, command)
        if (next.configs.length <= options.maxConfigs) emit({ command, result }, next)
      }
    },
    fingerprint: (s, out) => void fingerprintValue(s, out),
    formatLabel: ({ command, result }) => `${showShardMaster(command)} -> ${showShardMaster(result)}`,
    view: (s) => s,
    properties: shardMasterInvariants(options.shards),
    stepProperties: [refinesShardMasterSpec(shardMasterSpec(options))],
  }
}
