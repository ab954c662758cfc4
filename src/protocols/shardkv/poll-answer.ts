/**
 * POLLS_ANSWERED_WITH_THE_NEXT_CONFIGURATION (a step property): a configuration the shard master sends
 * a group server is one its group may apply next, or one it has: its number is at most one past the
 * configuration the group's replicas have reached. A group applies configurations one at a time and in
 * order (group.ts), so a poll answered with a later one is wasted; a group whose polls keep getting the
 * master's latest, two or more ahead, never moves again (the migrations waiting on it neither).
 */
import type { StepProperty } from "../../checker/transition-system.ts"
import type { Event, ProtocolState } from "../../core/compile.ts"
import type { Reply } from "../../core/exactly-once.ts"
import type { Role } from "../../core/roles.ts"
import { Configuration } from "../shardmaster/messages.ts"

/** `groups`: each group's servers, as roles whose state's applied configuration `configNum` reads. */
export const pollsAnsweredWithTheNextConfiguration = <A>(
  masters: ReadonlyArray<string>,
  groups: ReadonlyArray<ReadonlyArray<Role<{ readonly app: A }>>>,
  configNum: (app: A) => number
): StepProperty<ProtocolState, Event> => {
  const isMaster = new Set(masters)
  const groupOf = new Map(groups.flatMap((g) => g.map((r) => [r.address, g] as const)))
  return {
    name: "POLLS_ANSWERED_WITH_THE_NEXT_CONFIGURATION",
    check: (from, _label, to) => {
      if (to.sendSeq === from.sendSeq) return undefined
      for (const env of to.net) {
        if (env.seq < from.sendSeq || env.msg._tag !== "Reply" || !isMaster.has(env.from)) continue
        const group = groupOf.get(env.to)
        const config: unknown = (env.msg as Reply).result.result
        if (group === undefined || !(config instanceof Configuration)) continue
        const reached = group.reduce((n, r) => {
          const s = r.state(from)
          return s === undefined ? n : Math.max(n, configNum(s.app))
        }, -1)
        if (reached >= 0 && config.num > reached + 1) return `${env.from} answers ${env.to}'s poll with configuration ${config.num}, but its group has reached only ${reached}: it may apply only ${reached + 1} next`
      }
      return undefined
    },
  }
}
