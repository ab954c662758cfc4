/**
 * QUERIES_USE_FRESH_SEQUENCE_NUMBERS (a step property): a query a group server sends the shard master
 * carries a sequence number past every one the master has executed for that server. The master answers
 * through its exactly-once layer, which ignores an older number and answers an equal one from its record
 * (an old configuration), so a server whose counter went back, as after a restart that lost it, gets no
 * new configuration until the counter passes the old one: its group stalls.
 */
import type { StepProperty } from "../../checker/transition-system.ts"
import type { AMOState } from "../../core/application.ts"
import type { Event, ProtocolState } from "../../core/compile.ts"
import type { Request } from "../../core/exactly-once.ts"
import type { Role } from "../../core/roles.ts"

/** `masters`: the shard master's servers (their state's `app` is the exactly-once layer's); `groups`: the group servers' addresses. */
export const queriesUseFreshSequenceNumbers = (masters: ReadonlyArray<Role<{ readonly app: AMOState<unknown> }>>, groups: ReadonlyArray<string>): StepProperty<ProtocolState, Event> => {
  const isGroup = new Set(groups)
  return {
    name: "QUERIES_USE_FRESH_SEQUENCE_NUMBERS",
    check: (from, _label, to) => {
      if (to.sendSeq === from.sendSeq) return undefined
      for (const env of to.net) {
        if (env.seq < from.sendSeq || env.msg._tag !== "Request" || !isGroup.has(env.from)) continue
        const c = (env.msg as Request).command as { readonly client: string; readonly seq: number }
        for (const m of masters) {
          const last = m.state(from)?.app.last.get(c.client)
          if (last !== undefined && last.seq >= c.seq) return `${env.from} queries the master with sequence number ${c.seq}, which ${m.address} has already executed for it (its last: ${last.seq})`
        }
      }
      return undefined
    },
  }
}
