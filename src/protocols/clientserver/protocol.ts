/**
 * Exactly-once client/server (DSLabs lab 1): the client tags each command with its id and a sequence
 * number and resends it on a timer until the reply for that sequence number arrives; the server runs
 * the application behind the at-most-once wrapper, so a retried command is answered from the dedup
 * table instead of being executed again.
 */
import { Effect, Schema } from "effect"
import { AMOCommand, AMOResult, type AMOState, type Application, amo } from "../../core/application.ts"
import type { Address, ClientDef, Ctx, NodeDef, Tagged } from "../../core/node.ts"

export class Request extends Schema.TaggedClass<Request>()("Request", { command: AMOCommand }) {}
export class Reply extends Schema.TaggedClass<Reply>()("Reply", { result: AMOResult }) {}
export class ClientTimer extends Schema.TaggedClass<ClientTimer>()("ClientTimer", { seq: Schema.Number }) {}
export const CLIENT_RETRY_MILLIS = 100

export interface ServerOptions {
  /** Planted bug: execute retried commands again (no dedup). */
  readonly bugExecuteRetries?: boolean
}

export const server = <A>(app: Application<A, any, any>, options: ServerOptions = {}): NodeDef<AMOState<A>, Request> => {
  const wrapped = amo(app, { bugExecuteRetries: options.bugExecuteRetries ?? false })
  return {
    init: wrapped.init,
    onMessage: {
      Request: Effect.fnUntraced(function* (state: AMOState<A>, m: Request, from: Address, ctx: Ctx) {
        const [result, next] = wrapped.execute(state, m.command)
        if (result) ctx.send(from, new Reply({ result }))
        return next
      }),
    },
  }
}

export interface ClientState {
  readonly seq: number
  readonly pending: AMOCommand | null
}

export interface ClientOptions {
  /** Planted bug: never advance the sequence number, so new commands look like retries. */
  readonly bugDropSeq?: boolean
}

/**
 * The exactly-once client. With a list of servers it sends every request to all of them (replicated
 * protocols whose non-leaders ignore it, such as Multi-Paxos).
 */
export const client = (servers: Address | ReadonlyArray<Address>, options: ClientOptions = {}): ClientDef<ClientState, Tagged, Reply, ClientTimer> => {
  const send = (ctx: Ctx, msg: Request) => (typeof servers === "string" ? ctx.send(servers, msg) : ctx.broadcast(servers, msg))
  return {
  init: () => ({ seq: 0, pending: null }),
  sendCommand: Effect.fnUntraced(function* (state: ClientState, command: Tagged, ctx: Ctx) {
    const seq = options.bugDropSeq ? 1 : state.seq + 1
    const c = new AMOCommand({ command, client: ctx.self, seq })
    send(ctx, new Request({ command: c }))
    ctx.setTimer(new ClientTimer({ seq }), CLIENT_RETRY_MILLIS)
    return { seq, pending: c }
  }),
  onMessage: {
    Reply: Effect.fnUntraced(function* (state: ClientState, m: Reply, _from: Address, ctx: Ctx) {
      if (state.pending === null || m.result.seq !== state.pending.seq) return state
      ctx.cancelTimer(ClientTimer)
      ctx.complete(m.result.result)
      return { ...state, pending: null }
    }),
  },
  onTimer: {
    ClientTimer: Effect.fnUntraced(function* (state: ClientState, t: ClientTimer, ctx: Ctx) {
      if (state.pending === null || state.pending.seq !== t.seq) return state
      send(ctx, new Request({ command: state.pending }))
      ctx.setTimer(t, CLIENT_RETRY_MILLIS)
      return state
    }),
  },
  }
}
