/**
 * A shard group server: the group's application (group.ts) as a thin parent over a replicated log.
 * Every replica applies committed commands in order; the leader talks to the world:
 *
 * - a client's request is answered at once when the leader's applied state already decides it
 *   (WrongGroup, NotReady, or a retry already executed), and otherwise goes into the log; once
 *   committed, the leader replies with its result;
 * - on PollTimer the leader asks the shard master for configuration cur + 1 and puts it into the
 *   log, so every replica applies configurations one at a time, in order;
 * - on HandoffTimer the leader sends every pending handoff to the receiving group, which puts it into
 *   its log and, once applied, acknowledges it (a retry gets the acknowledgement straight from the
 *   applied state); the acknowledgement goes into the sender's log, which then deletes the shard.
 *
 * A server persists only its poll counter (its queries' sequence numbers at the master's exactly-once
 * layer must keep growing across a restart). After a crash it recovers its log component from the log's
 * storage (Raft persists term, vote, log and commit index), and the log hands it the snapshot and the
 * committed commands again, so its applied state (shards, exactly-once tables, configuration) is
 * rebuilt; configurations it missed while down come through the log or its own polls.
 *
 * `groupServerOf` runs any application built around the shard group's (shardtxn's transactions): its
 * extension names further messages that are also log commands (proposed unless the applied state
 * already has them, answered from the applied state), what the leader sends once one is applied,
 * what it resends on its HandoffTimer, and what a server proposes when it becomes leader.
 */
import { Effect } from "effect"
import { AMOCommand } from "../../core/application.ts"
import { component, type Component } from "../../core/component.ts"
import { Reply, Request } from "../../core/exactly-once.ts"
import type { Address, Ctx, Handler, NodeDef, Tagged } from "../../core/node.ts"
import { startRead } from "../../core/read-index.ts"
import type { LogCtx, LogEvent, ReplicatedLog } from "../../core/replicated-log.ts"
import { Configuration, query } from "../shardmaster/messages.ts"
import { shardGroup, type Outgoing, type ShardGroupOptions } from "./group.ts"
import { ApplyConfig, ClientRequest, HandoffAck, HandoffTimer, PollTimer, ShardHandoff, ShardReply, type ShardGroupState, type ShardKvCommand } from "./messages.ts"

export const POLL_MILLIS = 50
export const HANDOFF_MILLIS = 30

export interface GroupServerState<L, A = ShardGroupState> {
  readonly app: A
  readonly log: L
  /** Sequence number of this server's last query to the master (local, not replicated). */
  readonly polls: number
  /** With an extension: whether this server led at its last HandoffTimer (local, not replicated). */
  readonly led?: boolean
  /** With an extension's planted bug: commands to propose at the next HandoffTimer (local, lost on a crash). */
  readonly deferred?: ReadonlyArray<Tagged>
  /** With an extension's timeouts: how many HandoffTimers in a row the leader has seen each overdue item waiting (local). */
  readonly waiting?: ReadonlyMap<string, number>
}

type In = ClientRequest | ShardHandoff | HandoffAck | Reply
type Out = ShardReply | ShardHandoff | HandoffAck | Request
type Timers = PollTimer | HandoffTimer
type SCtx = Ctx<Out, Timers>

export interface GroupServer<L, A = ShardGroupState, X extends Tagged = never> {
  readonly def: NodeDef<GroupServerState<L, A>, In | X, Timers, SCtx>
  readonly log: Component<GroupServerState<L, A>, L, LogCtx>
}

/** The application a group server runs: the shard group's, or one built around it. */
export interface GroupApplication<A, X extends Tagged> {
  readonly init: () => A
  readonly execute: (s: A, c: ShardKvCommand | X) => readonly [Tagged, A]
  /** The handoffs to (re)send. */
  readonly outbox: (s: A) => ReadonlyArray<Outgoing>
  /** The configuration the group has reached (0: none). */
  readonly configNum: (s: A) => number
  /** Commands that only read (a Get): on a log with leader-confirmed reads they take no log slot. */
  readonly readOnly?: (c: ShardKvCommand | X) => boolean
}

/** A message and where it goes (every server of a group, or a client). */
export interface Send {
  readonly to: ReadonlyArray<Address>
  readonly message: Tagged
}

export interface GroupExtension<A, X extends Tagged> {
  /** Tags of the extension's messages; each is also a command of the group's log. */
  readonly commands: ReadonlyArray<X["_tag"]>
  /** What the leader sends once `command` is applied, or when it arrives with nothing left to apply. */
  readonly answers: (command: X, s: A) => ReadonlyArray<Send>
  /**
   * A planted bug's hook: what the leader sends on receiving `command` (`next`: the state once it
   * applies), and whether it proposes the command only at its next HandoffTimer (held in memory until then).
   */
  readonly beforeProposing?: (command: X, next: A) => { readonly send: ReadonlyArray<Send>; readonly defer: boolean }
  /** What the leader resends on its HandoffTimer. */
  readonly resend: (s: A) => ReadonlyArray<Send>
  /** What a server proposes on its first HandoffTimer as leader. */
  readonly onLeadership: (s: A) => ReadonlyArray<X>
  /**
   * A timeout: what the applied state waits for, each by a key and the command the leader proposes
   * once it has seen that key waiting at `ticks` HandoffTimers in a row (counted locally, from zero
   * again after a crash or a change of leader).
   */
  readonly timeout?: { readonly ticks: number; readonly waiting: (s: A) => ReadonlyArray<{ readonly key: string; readonly command: X }> }
}

export interface GroupServerOptions extends ShardGroupOptions {
  /** The shard master's servers. */
  readonly masters: ReadonlyArray<Address>
}

export const groupServer = <L>(log: ReplicatedLog<L>, options: GroupServerOptions): GroupServer<L> => {
  const app = shardGroup(options)
  return groupServerOf<L, ShardGroupState, never>(log, options, { ...app, configNum: (s) => s.config?.num ?? 0 })
}

export const groupServerOf = <L, A, X extends Tagged>(
  log: ReplicatedLog<L>,
  options: GroupServerOptions,
  app: GroupApplication<A, X>,
  extension?: GroupExtension<A, X>
): GroupServer<L, A, X> => {
  type S = GroupServerState<L, A>
  const extra = new Set<string>(extension?.commands ?? [])
  const sendAll = (ctx: SCtx, sends: ReadonlyArray<Send>) => {
    for (const x of sends) ctx.broadcast(x.to, x.message as Out)
  }
  // Set once the log's handle exists (the handle is built from applyCommitted).
  let snapshotAt: (out: S, slot: number, ctx: SCtx) => S = (out) => out
  const applyCommitted = Effect.fnUntraced(function* (s: S, e: LogEvent, ctx: SCtx) {
    if (e._tag === "Restored") return { ...s, app: e.data as A }
    if (e._tag === "ReadReady") {
      // A leader-confirmed read: answered from the applied state, which it leaves as it is.
      const r = e.request as ClientRequest
      const result = app.execute(s.app, r)[0]
      if (result._tag !== "Ignored") ctx.send(r.client, new ShardReply({ seq: r.seq, result: result as ShardReply["result"] }))
      return s
    }
    const command = e.command as ShardKvCommand | X
    const [result, next] = app.execute(s.app, command)
    if (log.isLeader(s.log) && command._tag === "ClientRequest" && result._tag !== "Ignored") {
      const r = command as ClientRequest
      ctx.send(r.client, new ShardReply({ seq: r.seq, result: result as ShardReply["result"] }))
    }
    if (extension && log.isLeader(s.log) && extra.has(command._tag)) sendAll(ctx, extension.answers(command as X, next))
    const out = next === s.app ? s : { ...s, app: next }
    return snapshotAt(out, e.slot, ctx)
  })
  const handle = component("log", log.def, { get: (s: S) => s.log, set: (s, l: L) => (l === s.log ? s : { ...s, log: l }) }, applyCommitted)
  // The log compacts through the group's snapshots (a persisting Paxos log keeps every slot after the last one).
  const snap = log.snapshot
  snapshotAt = (out, slot, ctx) => (snap && snap.due(out.log, slot) ? handle.update(out, ctx, (l, lctx) => snap.take(l, slot, out.app, lctx)) : out)
  const propose = (s: S, command: Tagged, ctx: SCtx) => handle.update(s, ctx, (l, lctx) => log.propose(l, command, lctx))
  /** An extension's message: proposed unless the applied state already has it, then answered from it. */
  const extensionMessage: Handler<S, X, SCtx> = Effect.fnUntraced(function* (s: S, m: X, _from: Address, ctx: SCtx) {
    if (!extension || !log.isLeader(s.log)) return s
    const next = app.execute(s.app, m)[1]
    if (next === s.app) {
      sendAll(ctx, extension.answers(m, s.app))
      return s
    }
    const early = extension.beforeProposing?.(m, next)
    if (early) sendAll(ctx, early.send)
    return early?.defer ? { ...s, deferred: [...(s.deferred ?? []), m] } : propose(s, m, ctx)
  })
  const leadership = (s: S, ctx: SCtx): S => {
    if (!extension) return s
    const leads = log.isLeader(s.log)
    if (leads === (s.led ?? false)) return s
    let next: S = { ...s, led: leads }
    if (leads) for (const c of extension.onLeadership(s.app)) next = propose(next, c, ctx)
    return next
  }
  /** The leader's timeouts: counts each waiting item's HandoffTimers and proposes its command once it reaches `ticks`. */
  const timeouts = (s: S, ctx: SCtx): S => {
    const timeout = extension?.timeout
    if (timeout === undefined) return s
    if (!log.isLeader(s.log)) return s.waiting === undefined || s.waiting.size === 0 ? s : { ...s, waiting: new Map() }
    const waiting = new Map<string, number>()
    let next = s
    for (const { key, command } of timeout.waiting(s.app)) {
      const n = (s.waiting?.get(key) ?? 0) + 1
      if (n < timeout.ticks) waiting.set(key, n)
      else next = propose(next, command, ctx)
    }
    return waiting.size === 0 && (s.waiting?.size ?? 0) === 0 ? next : { ...next, waiting }
  }
  const proposeDeferred = (s: S, ctx: SCtx): S => {
    if (s.deferred === undefined || s.deferred.length === 0) return s
    let next: S = { ...s, deferred: [] }
    if (log.isLeader(s.log)) for (const c of s.deferred) next = propose(next, c, ctx)
    return next
  }

  const startTimers = (ctx: SCtx) => {
    ctx.setTimer(new PollTimer(), POLL_MILLIS)
    ctx.setTimer(new HandoffTimer(), HANDOFF_MILLIS)
  }
  const def: NodeDef<S, In | X, Timers, SCtx> = {
    init: (ctx) => {
      startTimers(ctx)
      return { app: app.init(), log: handle.init(ctx), polls: 0 }
    },
    recover: (durable, ctx) => {
      startTimers(ctx)
      const polls = typeof durable === "number" ? durable : 0
      return handle.recover(ctx, (l) => ({ app: app.init(), log: l, polls }))
    },
    onMessage: {
      ClientRequest: Effect.fnUntraced(function* (s: S, r: ClientRequest, from: Address, ctx: SCtx) {
        if (!log.isLeader(s.log)) return s
        // Decided by the applied state without the log: not ours, in transit, or already executed.
        const [result, next] = app.execute(s.app, r)
        if (next === s.app) {
          if (result._tag !== "Ignored") ctx.send(from, new ShardReply({ seq: r.seq, result: result as ShardReply["result"] }))
          return s
        }
        // A leader-confirmed read; when the log cannot serve one now, the Get goes through the log.
        const reading = app.readOnly?.(r) ? startRead(handle, log, s, r, ctx) : undefined
        if (reading) return reading
        return propose(s, r, ctx)
      }),
      ShardHandoff: Effect.fnUntraced(function* (s: S, h: ShardHandoff, from: Address, ctx: SCtx) {
        if (!log.isLeader(s.log)) return s
        const [result, next] = app.execute(s.app, h)
        if (next !== s.app) return propose(s, h, ctx)
        if (result._tag === "HandoffAck") ctx.send(from, result as HandoffAck)
        return s
      }),
      HandoffAck: Effect.fnUntraced(function* (s: S, a: HandoffAck, _from: Address, ctx: SCtx) {
        if (!log.isLeader(s.log) || app.execute(s.app, a)[1] === s.app) return s
        return propose(s, a, ctx)
      }),
      Reply: Effect.fnUntraced(function* (s: S, m: Reply, _from: Address, ctx: SCtx) {
        const config: unknown = m.result.result
        if (!log.isLeader(s.log) || !(config instanceof Configuration)) return s
        const command = new ApplyConfig({ config })
        return app.execute(s.app, command)[1] === s.app ? s : propose(s, command, ctx)
      }),
      ...Object.fromEntries([...extra].map((tag) => [tag, extensionMessage])),
    } as NodeDef<S, In | X, Timers, SCtx>["onMessage"],
    onTimer: {
      PollTimer: Effect.fnUntraced(function* (s: S, t: PollTimer, ctx: SCtx) {
        ctx.setTimer(t, POLL_MILLIS)
        if (!log.isLeader(s.log)) return s
        const polls = s.polls + 1
        ctx.persist(polls)
        ctx.broadcast(options.masters, new Request({ command: new AMOCommand({ command: query(options.bugApplyOutOfOrder ? null : app.configNum(s.app) + 1), client: ctx.self, seq: polls }) }))
        return { ...s, polls }
      }),
      HandoffTimer: Effect.fnUntraced(function* (s: S, t: HandoffTimer, ctx: SCtx) {
        ctx.setTimer(t, HANDOFF_MILLIS)
        if (log.isLeader(s.log)) for (const o of app.outbox(s.app)) ctx.broadcast(o.servers, o.handoff)
        if (extension && log.isLeader(s.log)) sendAll(ctx, extension.resend(s.app))
        return timeouts(leadership(proposeDeferred(s, ctx), ctx), ctx)
      }),
    },
    components: { log: handle },
  }
  return { def, log: handle }
}
