/**
 * A replicated service: a thin parent over any replicated log (replicated-log.ts). Requests go into
 * the log through the leader's replica; every replica applies committed commands in order through the
 * exactly-once layer, and the leader answers the client. Runs on Paxos, Raft or the spec-backed log.
 * On a log built with leader-confirmed reads (`log.read`), a command the application marks read-only
 * takes no log slot: the leader answers it from its applied state once the log hands it back
 * (`ReadReady`); such a read is not recorded in the exactly-once table (a retry reads again).
 */
import { Effect } from "effect"
import { type AMOState, type Application, amo, type AMOCommand, AMOResult } from "./application.ts"
import { component, type Component } from "./component.ts"
import { answerIfExecuted, Reply, Request, WrongLeader } from "./exactly-once.ts"
import type { Address, Ctx, NodeDef } from "./node.ts"
import { startRead } from "./read-index.ts"
import type { LogCtx, LogEvent, ReplicatedLog } from "./replicated-log.ts"

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
  // Applying a committed command is plain and synchronous: it runs once per command on every replica.
  const onLogEvent = (s: ServiceState<A, L>, e: LogEvent, ctx: SCtx): ServiceState<A, L> => {
    if (e._tag === "Restored") return { app: e.data as AMOState<A>, log: s.log }
    if (e._tag === "ReadReady") {
      const c = e.request as AMOCommand
      if (!answerIfExecuted(s.app, c, ctx)) ctx.send(c.client, new Reply({ result: new AMOResult({ result: app.execute(s.app.app, c.command)[0], client: c.client, seq: c.seq }) }))
      return s
    }
    const [result, next] = wrapped.execute(s.app, e.command as AMOCommand)
    if (result && log.isLeader(s.log)) ctx.send(result.client, new Reply({ result }))
    const out = next === s.app ? s : { app: next, log: s.log }
    const snap = log.snapshot
    return snap && snap.due(out.log, e.slot) ? handle.update(out, ctx, (l, lctx) => snap.take(l, e.slot, out.app, lctx)) : out
  }
  const handle: Component<ServiceState<A, L>, L, LogCtx> = component(
    "log",
    log.def,
    // Built field by field (a spread that overrides a field takes V8's slow path; this runs on every step).
    { get: (s: ServiceState<A, L>) => s.log, set: (s, l: L) => (l === s.log ? s : { app: s.app, log: l }) },
    onLogEvent
  )
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
        // A leader-confirmed read; when the log cannot serve one now, the command goes through the log.
        const reading = app.readOnly?.(c.command) ? startRead(handle, log, s, c, ctx) : undefined
        if (reading) return reading
        return handle.update(s, ctx, (l, lctx) => log.propose(l, c, lctx))
      }),
    },
    ...(options.persist ? { hooks: { after: (before, after, ctx) => (after.app !== before.app && ctx.persist(after.app), after) } } : {}),
    components: { log: handle },
  }
  return { def, log: handle }
}
