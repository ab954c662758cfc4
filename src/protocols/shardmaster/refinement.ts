/**
 * The shard master's refinement of spec/shardmaster: abs() maps the application's state, commands
 * and results to the spec's, and a step is allowed when the spec has a step from abs(before) with
 * the same command AND result to abs(after). Checking results too catches a wrong Query answer or a
 * wrongly rejected command, which a state-only refinement would take for a stutter.
 */
import { fingerprintValue } from "../../checker/hash.ts"
import { newFingerprint, type StepProperty, type TransitionSystem } from "../../checker/transition-system.ts"
import type { ShardMasterSpecState, SmConfig, SmInput, SmLabel, SmOutput } from "../../../spec/shardmaster.ts"
import { join, leave, move, query, type Configuration, type ShardMasterCommand, type ShardMasterResult, type ShardMasterState } from "./messages.ts"

export interface ShardMasterStep {
  readonly command: ShardMasterCommand
  readonly result: ShardMasterResult
}

const absConfig = (c: Configuration): SmConfig => ({ shards: c.shards, groups: c.groups.map((g) => ({ id: g.id, servers: g.servers })) })

export const abs = (s: ShardMasterState): ShardMasterSpecState => ({ configs: s.configs.map(absConfig) })

export const absInput = (c: ShardMasterCommand): SmInput => {
  switch (c._tag) {
    case "Join":
      return { op: "join", group: c.group, servers: c.servers }
    case "Leave":
      return { op: "leave", group: c.group }
    case "Move":
      return { op: "move", shard: c.shard, group: c.group }
    case "Query":
      return { op: "query", num: c.num }
  }
}

/** The command the spec's input stands for (the inverse of absInput). */
export const commandOf = (i: SmInput): ShardMasterCommand =>
  i.op === "join" ? join(i.group, i.servers) : i.op === "leave" ? leave(i.group) : i.op === "move" ? move(i.shard, i.group) : query(i.num)

export const absOutput = (r: ShardMasterResult): SmOutput => {
  switch (r._tag) {
    case "Ok":
      return { ok: r.num }
    case "Configuration":
      return { num: r.num, config: absConfig(r) }
    case "NoConfiguration":
      return { none: true }
    case "Rejected":
      return { rejected: true }
  }
}

/** Every step (command, result, next state) is a step of `spec` with the same label. */
export const refinesShardMasterSpec = (spec: TransitionSystem<ShardMasterSpecState, SmLabel>): StepProperty<ShardMasterState, ShardMasterStep> => {
  const fp = newFingerprint()
  const key = (label: SmLabel, next: ShardMasterSpecState) => {
    const l = fingerprintValue(label, fp)
    const k = `${l.hi}:${l.lo}`
    spec.fingerprint(next, fp)
    return `${k}:${fp.hi}:${fp.lo}`
  }
  // The checker asks about every successor of one state in turn: enumerate the spec's steps once.
  let lastFrom: ShardMasterState | undefined
  let steps = new Set<string>()
  return {
    name: "RefinesShardMasterSpec",
    check: (from, { command, result }, to) => {
      if (from !== lastFrom) {
        lastFrom = from
        steps = new Set()
        spec.successors(abs(from), (l, next) => steps.add(key(l, next)))
      }
      const label: SmLabel = { input: absInput(command), output: absOutput(result) }
      return steps.has(key(label, abs(to))) ? undefined : `not a spec step: ${spec.formatLabel(label)}\n  after: ${JSON.stringify(abs(to).configs.at(-1) ?? null)}`
    },
  }
}
