/**
 * The exactly-once layer, once for every protocol: the Request / Reply / WrongLeader messages, the
 * client timers, the closed-loop client (client id + sequence number, resend on a timer until the
 * reply for that sequence number arrives) and the server side's dedup-and-answer.
 *
 * The client reaches its servers in one of two ways: `broadcast` (every request to every server;
 * protocols whose non-leaders ignore it, such as Multi-Paxos, or a single server), or `leader` (one
 * server at a time, following WrongLeader hints and moving on when a retry times out, as Raft's
 * clients do).
 */
import { Effect, Schema } from "effect"
import { AMOCommand, type AMOResult, type AMOState, SomeAMOCommand, SomeAMOResult } from "./application.ts"
import type { Address, ClientDef, Ctx, Tagged } from "./node.ts"
import { TaggedData } from "./tagged-data.ts"

/**
 * The exactly-once messages over an application's wrappers (`amoSchemas(command, result)`, or any
 * schemas of AMOCommand and AMOResult): a client's Request carries an AMOCommand, a server's Reply an
 * AMOResult.
 */
export const exactlyOnceSchemas = (command: Schema.Codec<AMOCommand, unknown>, result: Schema.Codec<AMOResult, unknown>) => {
  class Request extends TaggedData<Request>()("Request", { command }) {}
  class Reply extends TaggedData<Reply>()("Reply", { result }) {}
  return { Request, Reply }
}

/** The messages of the generic layers (schemas.ts); boundaries use `exactlyOnceSchemas` with the application's schemas. */
const generic = exactlyOnceSchemas(SomeAMOCommand, SomeAMOResult)
export const Request = generic.Request
export type Request = InstanceType<typeof Request>
export const Reply = generic.Reply
export type Reply = InstanceType<typeof Reply>
/** "I am not the leader"; `hint` is the leader this server last heard from (null when none). */
export class WrongLeader extends TaggedData<WrongLeader>()("WrongLeader", {
  seq: Schema.Number,
  hint: Schema.NullOr(Schema.String),
}) {}
export class ClientTimer extends TaggedData<ClientTimer>()("ClientTimer", { seq: Schema.Number }) {}
/** A client waits this long before sending each command (think time), when configured. */
export class ThinkTimer extends TaggedData<ThinkTimer>()("ThinkTimer", { seq: Schema.Number }) {}

export const CLIENT_RETRY_MILLIS = 100

/**
 * Dedup-and-answer: when `c` (or a later command of its client) was already executed, answer it from
 * the table if it is the client's last (an older one needs no answer) and return true.
 */
export const answerIfExecuted = <A>(state: AMOState<A>, c: AMOCommand, ctx: Ctx<Reply, any, any>, to: Address = c.client): boolean => {
  const last = state.last.get(c.client)
  if (last === undefined || last.seq < c.seq) return false
  if (last.seq === c.seq) ctx.send(to, new Reply({ result: last }))
  return true
}

export interface ClientState {
  readonly seq: number
  readonly pending: AMOCommand | null
  /** `leader` mode: index (into the server list) of the server this client believes leads. */
  readonly target?: number
  /** Scoring counters, kept only when `countStats` is on (they would blow up exhaustive search). */
  readonly failed?: number
  readonly duplicates?: number
}

export interface ClientOptions {
  /** `broadcast` (default): every request to every server; `leader`: to one, following hints. */
  readonly mode?: "broadcast" | "leader"
  /** Count wrong-leader replies and duplicate responses in the client state (simulation only). */
  readonly countStats?: boolean
  /** Wait this long before sending each command, so a workload spreads over time (default 0). */
  readonly thinkTime?: number
  /** Resend on a timer (default true); a search on a duplicating network, where nothing is lost, may turn it off. */
  readonly retry?: boolean
  /** Planted bug: never advance the sequence number, so new commands look like retries. */
  readonly bugDropSeq?: boolean
}

export type ClientMessage = Reply | WrongLeader
export type ClientTimers = ClientTimer | ThinkTimer
type C = Ctx<Request, ClientTimers>

export const exactlyOnceClient = (servers: Address | ReadonlyArray<Address>, options: ClientOptions = {}): ClientDef<ClientState, Tagged, ClientMessage, ClientTimers, C> => {
  const list = typeof servers === "string" ? [servers] : servers
  const leader = options.mode === "leader"
  const stats = options.countStats === true
  const think = options.thinkTime ?? 0
  const retry = options.retry ?? true
  const send = (s: ClientState, ctx: C) => {
    const msg = new Request({ command: s.pending! })
    if (leader) ctx.send(list[s.target!]!, msg)
    else ctx.broadcast(list, msg)
  }
  const arm = (seq: number, ctx: C) => {
    if (retry) ctx.setTimer(new ClientTimer({ seq }), CLIENT_RETRY_MILLIS)
  }
  const bump = (s: ClientState, k: "failed" | "duplicates"): ClientState => (stats ? { ...s, [k]: (s[k] ?? 0) + 1 } : s)
  return {
    init: () => ({ seq: 0, pending: null, ...(leader ? { target: 0 } : {}), ...(stats ? { failed: 0, duplicates: 0 } : {}) }),
    sendCommand: Effect.fnUntraced(function* (s: ClientState, command: Tagged, ctx: C) {
      const seq = options.bugDropSeq ? 1 : s.seq + 1
      const out: ClientState = { ...s, seq, pending: new AMOCommand({ command, client: ctx.self, seq }) }
      if (think > 0) ctx.setTimer(new ThinkTimer({ seq }), think)
      else {
        send(out, ctx)
        arm(seq, ctx)
      }
      return out
    }),
    onMessage: {
      Reply: Effect.fnUntraced(function* (s: ClientState, m: Reply, from: Address, ctx: C) {
        if (s.pending === null || m.result.seq !== s.pending.seq) return bump(s, "duplicates")
        ctx.cancelTimer(ClientTimer)
        ctx.complete(m.result.result)
        if (!leader) return { ...s, pending: null }
        const target = list.indexOf(from)
        return { ...s, pending: null, target: target >= 0 ? target : s.target! }
      }),
      WrongLeader: Effect.fnUntraced(function* (s0: ClientState, m: WrongLeader, from: Address, ctx: C) {
        if (!leader || s0.pending === null || m.seq !== s0.pending.seq) return s0
        const s = bump(s0, "failed")
        const hinted = m.hint === null ? -1 : list.indexOf(m.hint)
        if (hinted >= 0 && m.hint !== from) {
          // Follow the hint right away; the retry timer keeps running.
          const out = { ...s, target: hinted }
          send(out, ctx)
          return out
        }
        // No leader known: try the next server when the retry timer fires.
        return { ...s, target: (list.indexOf(from) + 1) % list.length }
      }),
    },
    onTimer: {
      ThinkTimer: Effect.fnUntraced(function* (s: ClientState, t: ThinkTimer, ctx: C) {
        if (s.pending === null || s.pending.seq !== t.seq) return s
        send(s, ctx)
        arm(t.seq, ctx)
        return s
      }),
      ClientTimer: Effect.fnUntraced(function* (s: ClientState, t: ClientTimer, ctx: C) {
        if (s.pending === null || s.pending.seq !== t.seq) return s
        // No answer in time: in leader mode the target may be down or deposed, so try the next server.
        const out = leader ? { ...s, target: (s.target! + 1) % list.length } : s
        send(out, ctx)
        ctx.setTimer(t, CLIENT_RETRY_MILLIS)
        return out
      }),
    },
  }
}
