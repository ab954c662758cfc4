/**
 * A replicated service: a thin parent over any replicated log (replicated-log.ts). Requests go into
 * the log through the leader's replica; every replica applies committed commands in order through the
 * exactly-once layer, and the leader answers the client. Runs on Paxos, Raft or the spec-backed log.
 */
import { Effect } from "effect"
import { type AMOState, type Application, amo, type AMOCommand } from "./application.ts"
import { component, type Component } from "./component.ts"
import { answerIfExecuted, Reply, Request, WrongLeader } from "./exactly-once.ts"
import type { Address, Ctx, NodeDef } from "./node.ts"
import type { Committed, LogCtx, ReplicatedLog } from "./replicated-log.ts"

export interface ServiceState<A, L> {
  readonly app: AMOState<A>
  readonly log: L
}

export interface ServiceOptions {
  /** Answer requests that reach a non-leader with WrongLeader and a hint (default: ignore them). */
  readonly redirect?: boolean
  /** Persist the applied state after every step that changes it (logs that persist need it to recover). */
  readonly persist?: boolean
}

type SCtx = Ctx<Reply | WrongLeader>

export interface Service<A, L> {
  readonly def: NodeDef<ServiceState<A, L>, Request, never, SCtx>
  /** The log inside a server, as a typed handle. */
  readonly log: Component<ServiceState<A, L>, L, LogCtx>
}

/** The service of `app` over `log`, which every server embeds at path "log". */
export const replicatedService = <A, L>(app: Application<A, any, any>, log: ReplicatedLog<L>, options: ServiceOptions = {}): Service<A, L> => {
  const wrapped = amo(app)
  const applyCommitted = Effect.fnUntraced(function* (s: ServiceState<A, L>, e: Committed, ctx: SCtx) {
    const [result, next] = wrapped.execute(s.app, e.command as AMOCommand)
    if (result && log.isLeader(s.log)) ctx.send(result.client, new Reply({ result }))
    return next === s.app ? s : { ...s, app: next }
  })
  const handle = component("log", log.def, { get: (s: ServiceState<A, L>) => s.log, set: (s, l: L) => (l === s.log ? s : { ...s, log: l }) }, applyCommitted)
  const def: NodeDef<ServiceState<A, L>, Request, never, SCtx> = {
    init: (ctx) => ({ app: wrapped.init(), log: handle.init(ctx) }),
    recover: (durable, ctx) => handle.recover(ctx, (l) => ({ app: (durable as AMOState<A> | undefined) ?? wrapped.init(), log: l })),
    onMessage: {
      Request: Effect.fnUntraced(function* (s: ServiceState<A, L>, m: Request, from: Address, ctx: SCtx) {
        const c = m.command
        if (!log.isLeader(s.log)) {
          if (options.redirect) ctx.send(from, new WrongLeader({ seq: c.seq, hint: log.leaderHint(s.log) }))
          return s
        }
        if (answerIfExecuted(s.app, c, ctx, from)) return s
        return yield* handle.call(s, ctx, (l, lctx) => log.propose(l, c, lctx))
      }),
    },
    ...(options.persist ? { hooks: { after: (before, after, ctx) => (after.app !== before.app && ctx.persist(after.app), after) } } : {}),
    components: { log: handle },
  }
  return { def, log: handle }
}
