/**
 * View-based primary-backup (DSLabs lab 2), serving an application behind the exactly-once wrapper.
 *
 * - The view service: servers ping it on a timer; a server that sent no ping between two ping checks
 *   is dead. It picks a primary and a backup from live servers, and moves to the next view only once
 *   the primary of the current view acknowledged it (pinged with its number), so that a primary is
 *   always a server that held the state of the previous view.
 * - The primary forwards every operation to the backup and answers the client only after the backup
 *   acknowledged; a new backup first receives the full state (application and dedup table) and the
 *   primary acknowledges the view, and serves, only after the backup has it.
 * - Clients ask the view service for the primary and retry on a timer; `amo` keeps each operation
 *   exactly-once across retries and view changes.
 */
import { Effect, Schema } from "effect"
import { AMOCommand, type AMOState, type Application, amo } from "../../core/application.ts"
import type { Address, ClientDef, Ctx, NodeDef, Tagged } from "../../core/node.ts"
import { answerIfExecuted, CLIENT_RETRY_MILLIS, ClientTimer, Reply, Request } from "../../core/exactly-once.ts"
export { CLIENT_RETRY_MILLIS, ClientTimer, Reply, Request }

// ---- messages and timers -------------------------------------------------------------------------

/** A view: its number, the primary and the backup (null: none). View 0 is the start, with no primary. */
export class View extends Schema.TaggedClass<View>()("View", {
  num: Schema.Number,
  primary: Schema.NullOr(Schema.String),
  backup: Schema.NullOr(Schema.String),
}) {}

/** Server -> view service: alive, and (from the primary) "I acknowledge view `num`". */
export class Ping extends Schema.TaggedClass<Ping>()("Ping", { num: Schema.Number }) {}
export class GetView extends Schema.TaggedClass<GetView>()("GetView", {}) {}
export class ViewReply extends Schema.TaggedClass<ViewReply>()("ViewReply", { view: View }) {}

/** Primary -> backup: execute this operation in view `num`. */
export class Forward extends Schema.TaggedClass<Forward>()("Forward", { num: Schema.Number, command: AMOCommand }) {}
export class ForwardAck extends Schema.TaggedClass<ForwardAck>()("ForwardAck", { num: Schema.Number, client: Schema.String, seq: Schema.Number }) {}
/** Primary -> new backup: the whole state (application and dedup table) as of view `view`. */
export class StateTransfer extends Schema.TaggedClass<StateTransfer>()("StateTransfer", { view: View, state: Schema.Any }) {}
export class StateTransferAck extends Schema.TaggedClass<StateTransferAck>()("StateTransferAck", { num: Schema.Number }) {}

export class PingCheckTimer extends Schema.TaggedClass<PingCheckTimer>()("PingCheckTimer", {}) {}
export class PingTimer extends Schema.TaggedClass<PingTimer>()("PingTimer", {}) {}

export const PING_MILLIS = 25
export const PING_CHECK_MILLIS = 100

const START = new View({ num: 0, primary: null, backup: null })

// ---- the view service ----------------------------------------------------------------------------

export interface ViewServerState {
  readonly view: View
  /** The primary of `view` has acknowledged it. */
  readonly acked: boolean
  /** Servers that pinged since the last ping check, and those that had pinged by it. */
  readonly pinged: ReadonlySet<Address>
  readonly live: ReadonlySet<Address>
}

const sorted = (xs: Iterable<Address>): Address[] => [...xs].sort()

/** The next view when the current one is acknowledged and something changed, else undefined. */
const nextView = (s: ViewServerState, alive: ReadonlySet<Address>): View | undefined => {
  const v = s.view
  if (!s.acked || v.primary === null) return undefined
  const idle = sorted(alive).find((a) => a !== v.primary && a !== v.backup) ?? null
  if (!alive.has(v.primary)) {
    // Only the backup of an acknowledged view holds the state: without one, wait for the primary.
    if (v.backup === null || !alive.has(v.backup)) return undefined
    return new View({ num: v.num + 1, primary: v.backup, backup: idle })
  }
  if (v.backup !== null && !alive.has(v.backup)) return new View({ num: v.num + 1, primary: v.primary, backup: idle })
  if (v.backup === null && idle !== null) return new View({ num: v.num + 1, primary: v.primary, backup: idle })
  return undefined
}

const advance = (s: ViewServerState, alive: ReadonlySet<Address>): ViewServerState => {
  const v = nextView(s, alive)
  return v ? { ...s, view: v, acked: false } : s
}

export const viewServer: NodeDef<ViewServerState, Ping | GetView, PingCheckTimer> = {
  init: (ctx) => {
    ctx.setTimer(new PingCheckTimer(), PING_CHECK_MILLIS)
    return { view: START, acked: false, pinged: new Set(), live: new Set() }
  },
  onMessage: {
    Ping: Effect.fnUntraced(function* (s0: ViewServerState, m: Ping, from: Address, ctx: Ctx) {
      let s = s0.pinged.has(from) ? s0 : { ...s0, pinged: new Set([...s0.pinged, from]) }
      if (s.view.num === 0) s = { ...s, view: new View({ num: 1, primary: from, backup: null }), acked: false }
      else if (!s.acked && m.num === s.view.num && from === s.view.primary) s = { ...s, acked: true }
      s = advance(s, new Set([...s.live, ...s.pinged]))
      ctx.send(from, new ViewReply({ view: s.view }))
      return s
    }),
    GetView: Effect.fnUntraced(function* (s: ViewServerState, _m: GetView, from: Address, ctx: Ctx) {
      ctx.send(from, new ViewReply({ view: s.view }))
      return s
    }),
  },
  onTimer: {
    PingCheckTimer: Effect.fnUntraced(function* (s: ViewServerState, _t: PingCheckTimer, ctx: Ctx) {
      ctx.setTimer(new PingCheckTimer(), PING_CHECK_MILLIS)
      // Dead: no ping since the previous check.
      return advance({ ...s, live: s.pinged, pinged: new Set() }, s.pinged)
    }),
  },
}

// ---- the servers ---------------------------------------------------------------------------------

export interface ServerState<A> {
  /** The newest view this server knows. */
  readonly view: View
  readonly state: AMOState<A>
  /** Backup: holds the state of `view` (state transfer done). Primary: its backup does (or it has none). */
  readonly ready: boolean
  /** Primary: the operation forwarded to the backup and not yet acknowledged. */
  readonly inflight: AMOCommand | null
  /** Primary: operations that arrived while one was in flight, at most one per client, in arrival order. */
  readonly queue: ReadonlyArray<AMOCommand>
  /** Became primary as the backup of the view before (a failover); for tests and observers. */
  readonly promoted: boolean
}

export interface ServerOptions {
  /** Planted bug: the primary executes and answers before the backup acknowledged. */
  readonly bugAnswerBeforeBackup?: boolean
}

export type ServerMessage = ViewReply | Request | Forward | ForwardAck | StateTransfer | StateTransferAck

export const server = <A>(app: Application<A, any, any>, viewService: Address, options: ServerOptions = {}): NodeDef<ServerState<A>, ServerMessage, PingTimer> => {
  const wrapped = amo(app)
  const isPrimary = (s: ServerState<A>, self: Address) => s.view.primary === self
  const isBackup = (s: ServerState<A>, self: Address) => s.view.backup === self

  /** The view number the primary acknowledges: the current one once its backup holds the state. */
  const ping = (s: ServerState<A>, ctx: Ctx) =>
    ctx.send(viewService, new Ping({ num: isPrimary(s, ctx.self) && !s.ready ? s.view.num - 1 : s.view.num }))

  /** Executes `c` (once) and answers its client. */
  const executeAndReply = (s: ServerState<A>, c: AMOCommand, ctx: Ctx): ServerState<A> => {
    const [result, state] = wrapped.execute(s.state, c)
    if (result) ctx.send(c.client, new Reply({ result }))
    return { ...s, state }
  }

  /** Re-sends whatever the primary waits for: the state transfer or the forwarded operation. */
  const resend = (s: ServerState<A>, ctx: Ctx) => {
    if (!isPrimary(s, ctx.self) || s.view.backup === null) return
    if (!s.ready) ctx.send(s.view.backup, new StateTransfer({ view: s.view, state: s.state }))
    else if (s.inflight) ctx.send(s.view.backup, new Forward({ num: s.view.num, command: s.inflight }))
  }

  return {
    init: (ctx) => {
      ctx.setTimer(new PingTimer(), PING_MILLIS)
      ctx.send(viewService, new Ping({ num: 0 }))
      return { view: START, state: wrapped.init(), ready: false, inflight: null, queue: [], promoted: false }
    },
    onMessage: {
      ViewReply: Effect.fnUntraced(function* (s: ServerState<A>, m: ViewReply, _from: Address, ctx: Ctx) {
        const v = m.view
        if (v.num <= s.view.num) return s
        if (v.primary === ctx.self) {
          // A new primary: it was the primary or the backup before (or this is view 1), so it holds the state.
          const promoted = s.promoted || s.view.backup === ctx.self
          const next: ServerState<A> = { ...s, view: v, ready: v.backup === null, inflight: null, queue: [], promoted }
          if (next.ready) ping(next, ctx) // nothing to transfer: acknowledge the view right away
          else resend(next, ctx)
          return next
        }
        // A backup waits for the state transfer; any other server just learns the view.
        return { ...s, view: v, ready: false, inflight: null, queue: [] }
      }),
      Request: Effect.fnUntraced(function* (s: ServerState<A>, m: Request, _from: Address, ctx: Ctx) {
        const c = m.command
        if (!isPrimary(s, ctx.self) || !s.ready) return s
        if (answerIfExecuted(s.state, c, ctx)) return s
        if (s.view.backup === null) return executeAndReply(s, c, ctx)
        if (options.bugAnswerBeforeBackup) {
          ctx.send(s.view.backup, new Forward({ num: s.view.num, command: c }))
          return executeAndReply(s, c, ctx)
        }
        if (s.inflight !== null) {
          // One operation at a time, so that the backup executes in the primary's order: queue it.
          if ((s.inflight.client === c.client && s.inflight.seq >= c.seq) || s.queue.some((q) => q.client === c.client && q.seq >= c.seq)) return s
          return { ...s, queue: [...s.queue.filter((q) => q.client !== c.client), c] }
        }
        ctx.send(s.view.backup, new Forward({ num: s.view.num, command: c }))
        return { ...s, inflight: c }
      }),
      Forward: Effect.fnUntraced(function* (s: ServerState<A>, m: Forward, from: Address, ctx: Ctx) {
        if (!isBackup(s, ctx.self) || !s.ready || m.num !== s.view.num || from !== s.view.primary) return s
        const [, state] = wrapped.execute(s.state, m.command)
        ctx.send(from, new ForwardAck({ num: m.num, client: m.command.client, seq: m.command.seq }))
        return { ...s, state }
      }),
      ForwardAck: Effect.fnUntraced(function* (s: ServerState<A>, m: ForwardAck, _from: Address, ctx: Ctx) {
        const c = s.inflight
        if (!isPrimary(s, ctx.self) || c === null || m.num !== s.view.num || m.client !== c.client || m.seq !== c.seq) return s
        let next = executeAndReply({ ...s, inflight: null }, c, ctx)
        // Forward the next queued operation (answering from the dedup table those already executed).
        while (next.queue.length > 0 && next.inflight === null) {
          const q = next.queue[0]!
          next = { ...next, queue: next.queue.slice(1) }
          if (answerIfExecuted(next.state, q, ctx)) continue
          ctx.send(next.view.backup!, new Forward({ num: next.view.num, command: q }))
          next = { ...next, inflight: q }
        }
        return next
      }),
      StateTransfer: Effect.fnUntraced(function* (s: ServerState<A>, m: StateTransfer, from: Address, ctx: Ctx) {
        const v = m.view
        if (v.backup !== ctx.self || v.primary !== from || v.num < s.view.num) return s
        ctx.send(from, new StateTransferAck({ num: v.num }))
        // A duplicate of the transfer we already installed must not roll back what was forwarded since.
        if (v.num === s.view.num && s.ready) return s
        return { ...s, view: v, state: m.state as AMOState<A>, ready: true, inflight: null, queue: [] }
      }),
      StateTransferAck: Effect.fnUntraced(function* (s: ServerState<A>, m: StateTransferAck, _from: Address, ctx: Ctx) {
        if (!isPrimary(s, ctx.self) || s.ready || m.num !== s.view.num) return s
        const next = { ...s, ready: true }
        ping(next, ctx) // acknowledge the view right away
        return next
      }),
    },
    onTimer: {
      PingTimer: Effect.fnUntraced(function* (s: ServerState<A>, _t: PingTimer, ctx: Ctx) {
        ping(s, ctx)
        resend(s, ctx)
        ctx.setTimer(new PingTimer(), PING_MILLIS)
        return s
      }),
    },
  }
}

// ---- the client ----------------------------------------------------------------------------------

export interface ClientState {
  readonly seq: number
  readonly pending: AMOCommand | null
  /** The primary the client believes in (null: ask the view service). */
  readonly primary: Address | null
}

export const client = (viewService: Address): ClientDef<ClientState, Tagged, Reply | ViewReply, ClientTimer> => {
  const send = (s: ClientState, ctx: Ctx) => {
    if (s.pending === null) return
    if (s.primary === null) ctx.send(viewService, new GetView())
    else ctx.send(s.primary, new Request({ command: s.pending }))
  }
  return {
    init: () => ({ seq: 0, pending: null, primary: null }),
    sendCommand: Effect.fnUntraced(function* (s: ClientState, command: Tagged, ctx: Ctx) {
      const seq = s.seq + 1
      const next = { ...s, seq, pending: new AMOCommand({ command, client: ctx.self, seq }) }
      send(next, ctx)
      ctx.setTimer(new ClientTimer({ seq }), CLIENT_RETRY_MILLIS)
      return next
    }),
    onMessage: {
      ViewReply: Effect.fnUntraced(function* (s: ClientState, m: ViewReply, _from: Address, ctx: Ctx) {
        if (m.view.primary === s.primary || m.view.primary === null) return s
        const next = { ...s, primary: m.view.primary }
        send(next, ctx)
        return next
      }),
      Reply: Effect.fnUntraced(function* (s: ClientState, m: Reply, _from: Address, ctx: Ctx) {
        if (s.pending === null || m.result.seq !== s.pending.seq) return s
        ctx.cancelTimer(ClientTimer)
        ctx.complete(m.result.result)
        return { ...s, pending: null }
      }),
    },
    onTimer: {
      ClientTimer: Effect.fnUntraced(function* (s: ClientState, t: ClientTimer, ctx: Ctx) {
        if (s.pending === null || s.pending.seq !== t.seq) return s
        // Retry at the primary we know and ask the view service whether it changed.
        send(s, ctx)
        if (s.primary !== null) ctx.send(viewService, new GetView())
        ctx.setTimer(t, CLIENT_RETRY_MILLIS)
        return s
      }),
    },
  }
}
