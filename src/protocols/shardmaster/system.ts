/**
 * The shard master's application as a transition system: from each state, every command of the
 * spec's small domain, executed. Searched exhaustively, it checks the application's invariants and
 * its refinement of spec/shardmaster (with results) on every step, before any replication.
 *
 * A command the application throws on (a replica would crash applying it, on every replica at once)
 * is a step too, back to the same state: ApplicationNeverThrows fails on it with the shortest trace,
 * instead of the search ending in an error with none.
 */
import { fingerprintValue } from "../../checker/hash.ts"
import type { StepProperty, TransitionSystem } from "../../checker/transition-system.ts"
import { shardMasterInputs, shardMasterSpec, type ShardMasterSpecOptions } from "../../../spec/shardmaster.ts"
import { shardMaster } from "./config.ts"
import { showShardMaster, type ShardMasterCommand, type ShardMasterState } from "./messages.ts"
import { shardMasterInvariants } from "./properties.ts"
import { commandOf, refinesShardMasterSpec, type ShardMasterStep } from "./refinement.ts"

export interface ShardMasterSystemOptions extends ShardMasterSpecOptions {
  readonly bugLeaveUnassigned?: boolean
  /** For tests: the application searched, built from the shipped one (a planted bug). */
  readonly plant?: (app: ShardMasterApp) => ShardMasterApp
}

type ShardMasterApp = ReturnType<typeof shardMaster>

/** A step of the application: a command and its result, or what it threw. */
export type ShardMasterSystemStep = ShardMasterStep | { readonly command: ShardMasterCommand; readonly threw: string }

const neverThrows: StepProperty<ShardMasterState, ShardMasterSystemStep> = {
  name: "ApplicationNeverThrows",
  check: (_, label) => ("threw" in label ? `the application throws on ${showShardMaster(label.command)}: ${label.threw}` : undefined),
}

export const shardMasterSystem = (options: ShardMasterSystemOptions): TransitionSystem<ShardMasterState, ShardMasterSystemStep> => {
  const shipped = shardMaster({ shards: options.shards, bugLeaveUnassigned: options.bugLeaveUnassigned ?? false })
  const app = options.plant ? options.plant(shipped) : shipped
  const commands = shardMasterInputs(options).map(commandOf)
  const refines = refinesShardMasterSpec(shardMasterSpec(options))
  const execute = (s: ShardMasterState, command: ShardMasterCommand) => {
    try {
      return app.execute(s, command)
    } catch (e) {
      return { threw: e instanceof Error ? e.message : String(e) }
    }
  }
  return {
    name: `shardmaster-application(shards=${options.shards})`,
    initial: () => [app.init()],
    successors: (s, emit) => {
      for (const command of commands) {
        const out = execute(s, command)
        if ("threw" in out) emit({ command, threw: out.threw }, s)
        else if (out[1].configs.length <= options.maxConfigs) emit({ command, result: out[0] }, out[1])
      }
    },
    fingerprint: (s, out) => void fingerprintValue(s, out),
    formatLabel: (l) => `${showShardMaster(l.command)} -> ${"threw" in l ? `throws: ${l.threw}` : showShardMaster(l.result)}`,
    view: (s) => s,
    properties: shardMasterInvariants(options.shards),
    stepProperties: [neverThrows, { name: refines.name, check: (from, l, to) => ("threw" in l ? undefined : refines.check(from, l, to)) }],
  }
}
