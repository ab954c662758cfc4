/**
 * An administrator: a node that runs a script of shard master commands (joins, leaves, moves), one
 * at a time, pausing `pace` between them, resending until each is answered. It is a server-side node,
 * not a workload client, so the clients' history holds only the store's operations.
 */
import { Effect } from "effect"
import { AMOCommand } from "../../core/application.ts"
import { type Reply, Request } from "../../core/exactly-once.ts"
import type { Address, Ctx, NodeDef } from "../../core/node.ts"
import { AdminTimer, type ShardMasterCommand } from "./messages.ts"

export interface AdminState {
  /** Index of the script step in flight (script.length: done). */
  readonly step: number
}

const RESEND_MILLIS = 100

type ACtx = Ctx<Request, AdminTimer>

export const admin = (masters: ReadonlyArray<Address>, script: ReadonlyArray<ShardMasterCommand>, pace: number): NodeDef<AdminState, Reply, AdminTimer, ACtx> => ({
  init: (ctx) => {
    if (script.length > 0) ctx.setTimer(new AdminTimer({ step: 0 }), 1)
    return { step: 0 }
  },
  onMessage: {
    Reply: Effect.fnUntraced(function* (s: AdminState, m: Reply, _from: Address, ctx: ACtx) {
      if (m.result.seq !== s.step + 1) return s
      ctx.cancelTimer(AdminTimer)
      const step = s.step + 1
      if (step < script.length) ctx.setTimer(new AdminTimer({ step }), pace)
      return { step }
    }),
  },
  onTimer: {
    AdminTimer: Effect.fnUntraced(function* (s: AdminState, t: AdminTimer, ctx: ACtx) {
      if (t.step !== s.step || s.step >= script.length) return s
      ctx.broadcast(masters, new Request({ command: new AMOCommand({ command: script[s.step]!, client: ctx.self, seq: s.step + 1 }) }))
      ctx.setTimer(t, RESEND_MILLIS)
      return s
    }),
  },
})

/** The script has run to its end. */
export const adminDone = (s: AdminState | undefined, script: ReadonlyArray<ShardMasterCommand>) => s !== undefined && s.step >= script.length
