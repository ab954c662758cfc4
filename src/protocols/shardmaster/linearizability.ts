/**
 * The shard master as a sequential model for the linearizability checker: a history of Join, Leave,
 * Move and Query calls by concurrent clients is linearizable when some order of them, run through
 * the application, gives every recorded result. The checker wants primitive states, so a state is
 * the canonical JSON of the configurations, interned to the application's state.
 */
import { Schema } from "effect"
import type { Model } from "../../linearizability/model.ts"
import { shardMaster } from "./config.ts"
import { ShardMasterResult, ShardMasterState, showShardMaster, type ShardMasterCommand } from "./messages.ts"

const encodeState = Schema.encodeSync(ShardMasterState)
const encodeResult = Schema.encodeSync(ShardMasterResult)
const sameResult = (a: ShardMasterResult, b: ShardMasterResult) => JSON.stringify(encodeResult(a)) === JSON.stringify(encodeResult(b))

export const shardMasterLinearizability = (shards: number): Model<ShardMasterCommand, ShardMasterResult, string> => {
  const app = shardMaster({ shards })
  const states = new Map<string, ShardMasterState>()
  const intern = (s: ShardMasterState): string => {
    const key = JSON.stringify(encodeState(s))
    if (!states.has(key)) states.set(key, s)
    return key
  }
  const initial = intern(app.init())
  return {
    name: `shardmaster(shards=${shards})`,
    init: () => initial,
    step: (state, input, output) => {
      const [result, next] = app.execute(states.get(state)!, input)
      return output === null || sameResult(result, output) ? intern(next) : undefined
    },
    readOnly: (input, output) => input._tag === "Query" || output?._tag === "Rejected",
    describe: (input, output) => `${showShardMaster(input)} -> ${output === null ? "?" : showShardMaster(output)}`,
  }
}
