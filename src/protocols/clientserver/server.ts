/**
 * Exactly-once client/server (DSLabs lab 1): the client (core/exactly-once.ts) tags each command with
 * its id and a sequence number and resends it on a timer until the reply for that sequence number
 * arrives; the server runs the application behind the at-most-once wrapper, so a retried command is
 * answered from the dedup table instead of being executed again.
 */
import { Effect } from "effect"
import { type AMOState, type Application, amo } from "../../core/application.ts"
import { Reply, Request } from "../../core/exactly-once.ts"
import type { Address, Ctx, NodeDef } from "../../core/node.ts"

export { Reply, Request }

export interface ServerOptions {
  /** Planted bug: execute retried commands again (no dedup). */
  readonly bugExecuteRetries?: boolean
  /** Planted bug: a retry of an executed command gets no answer (its result is not kept to resend). */
  readonly bugSilentRetries?: boolean
}

export const server = <A>(app: Application<A, any, any>, options: ServerOptions = {}): NodeDef<AMOState<A>, Request> => {
  const wrapped = amo(app, { bugExecuteRetries: options.bugExecuteRetries ?? false })
  return {
    init: wrapped.init,
    onMessage: {
      Request: Effect.fnUntraced(function* (state: AMOState<A>, m: Request, from: Address, ctx: Ctx<Reply>) {
        if (options.bugSilentRetries && wrapped.alreadyExecuted(state, m.command)) return state
        const [result, next] = wrapped.execute(state, m.command)
        if (result) ctx.send(from, new Reply({ result }))
        return next
      }),
    },
  }
}
