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
 */
import { Effect } from "effect"
import { AMOCommand } from "../../core/application.ts"
import { component, type Component } from "../../core/component.ts"
import { Reply, Request } from "../../core/exactly-once.ts"
import type { Address, Ctx, NodeDef, Tagged } from "../../core/node.ts"
import type { LogCtx, LogEvent, ReplicatedLog } from "../../core/replicated-log.ts"
import { Configuration, query } from "../shardmaster/messages.ts"
import { shardGroup, type ShardGroupOptions } from "./group.ts"
import { ApplyConfig, ClientRequest, HandoffAck, HandoffTimer, PollTimer, ShardHandoff, ShardReply, type ShardGroupState, type ShardKvCommand } from "./messages.ts"

export const POLL_MILLIS = 50
export const HANDOFF_MILLIS = 30

export interface GroupServerState<L> {
  readonly app: ShardGroupState
  readonly log: L
  /** Sequence number of this server's last query to the master (local, not replicated). */
  readonly polls: number
}

type In = ClientRequest | ShardHandoff | HandoffAck | Reply
type Out = ShardReply | ShardHandoff | HandoffAck | Request
type Timers = PollTimer | HandoffTimer
type SCtx = Ctx<Out, Timers>

export interface GroupServer<L> {
  readonly def: NodeDef<GroupServerState<L>, In, Timers, SCtx>
  readonly log: Component<GroupServerState<L>, L, LogCtx>
}

export interface GroupServerOptions extends ShardGroupOptions {
  /** The shard master's servers. */
  readonly masters: ReadonlyArray<Address>
}

export const groupServer = <L>(log: ReplicatedLog<L>, options: GroupServerOptions): GroupServer<L> => {
  const app = shardGroup(options)
  const applyCommitted = Effect.fnUntraced(function* (s: GroupServerState<L>, e: LogEvent, ctx: SCtx) {
    if (e._tag === "Restored") return { ...s, app: e.data as ShardGroupState }
    const command = e.command as ShardKvCommand
    const [result, next] = app.execute(s.app, command)
    if (log.isLeader(s.log) && command._tag === "ClientRequest" && result._tag !== "Ignored") ctx.send(command.client, new ShardReply({ seq: command.seq, result }))
    return next === s.app ? s : { ...s, app: next }
  })
  const handle = component("log", log.def, { get: (s: GroupServerState<L>) => s.log, set: (s, l: L) => (l === s.log ? s : { ...s, log: l }) }, applyCommitted)
  const propose = (s: GroupServerState<L>, command: Tagged, ctx: SCtx) => handle.update(s, ctx, (l, lctx) => log.propose(l, command, lctx))

  const startTimers = (ctx: SCtx) => {
    ctx.setTimer(new PollTimer(), POLL_MILLIS)
    ctx.setTimer(new HandoffTimer(), HANDOFF_MILLIS)
  }
  const def: NodeDef<GroupServerState<L>, In, Timers, SCtx> = {
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
      ClientRequest: Effect.fnUntraced(function* (s: GroupServerState<L>, r: ClientRequest, from: Address, ctx: SCtx) {
        if (!log.isLeader(s.log)) return s
        // Decided by the applied state without the log: not ours, in transit, or already executed.
        const [result, next] = app.execute(s.app, r)
        if (next === s.app) {
          if (result._tag !== "Ignored") ctx.send(from, new ShardReply({ seq: r.seq, result }))
          return s
        }
        return propose(s, r, ctx)
      }),
      ShardHandoff: Effect.fnUntraced(function* (s: GroupServerState<L>, h: ShardHandoff, from: Address, ctx: SCtx) {
        if (!log.isLeader(s.log)) return s
        const [result, next] = app.execute(s.app, h)
        if (next !== s.app) return propose(s, h, ctx)
        if (result._tag === "HandoffAck") ctx.send(from, result)
        return s
      }),
      HandoffAck: Effect.fnUntraced(function* (s: GroupServerState<L>, a: HandoffAck, _from: Address, ctx: SCtx) {
        if (!log.isLeader(s.log) || app.execute(s.app, a)[1] === s.app) return s
        return propose(s, a, ctx)
      }),
      Reply: Effect.fnUntraced(function* (s: GroupServerState<L>, m: Reply, _from: Address, ctx: SCtx) {
        const config: unknown = m.result.result
        if (!log.isLeader(s.log) || !(config instanceof Configuration)) return s
        const command = new ApplyConfig({ config })
        return app.execute(s.app, command)[1] === s.app ? s : propose(s, command, ctx)
      }),
    },
    onTimer: {
      PollTimer: Effect.fnUntraced(function* (s: GroupServerState<L>, t: PollTimer, ctx: SCtx) {
        ctx.setTimer(t, POLL_MILLIS)
        if (!log.isLeader(s.log)) return s
        const polls = s.polls + 1
        ctx.persist(polls)
        ctx.broadcast(options.masters, new Request({ command: new AMOCommand({ command: query(options.bugApplyOutOfOrder ? null : (s.app.config?.num ?? 0) + 1), client: ctx.self, seq: polls }) }))
        return { ...s, polls }
      }),
      HandoffTimer: Effect.fnUntraced(function* (s: GroupServerState<L>, t: HandoffTimer, ctx: SCtx) {
        ctx.setTimer(t, HANDOFF_MILLIS)
        if (log.isLeader(s.log)) for (const o of app.outbox(s.app)) ctx.broadcast(o.servers, o.handoff)
        return s
      }),
    },
    components: { log: handle },
  }
  return { def, log: handle }
}
