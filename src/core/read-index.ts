/**
 * Leader-confirmed reads over any consensus log (Raft's ReadIndex, §6.4 of Ongaro's thesis; the same
 * for Paxos with a ballot in place of a term). A read-only command need not take a log slot: the
 * leader records the point every command committed so far has reached (`readPoint`), confirms that it
 * still leads with one round of probes acknowledged by a majority in its epoch (term, ballot), and
 * hands the read back (`ReadReady`) once it has applied through that point. Whatever completed before
 * the read began is then in the leader's applied state, and no other leader can have committed
 * anything before the acknowledgements: one would need a majority in a later epoch, which meets the
 * majority that acknowledged this one.
 *
 * `readIndexed` wraps a log without touching its handlers: the pending reads ride in the log
 * replica's state as two extra fields (`reads`, `probes`), which the log's own copy-on-write steps
 * carry along, so the log's invariants still read its state as it is. A replica that stops leading,
 * or moves to another epoch, drops its pending reads (their clients retry).
 */
import { Effect, Schema } from "effect"
import type { Component } from "./component.ts"
import type { Address, Ctx, NodeDef, Tagged } from "./node.ts"
import { type LogCtx, readReady, type ReplicatedLog, sameCommand } from "./replicated-log.ts"

/** "Do you still stand in `epoch`?", sent by a leader for the reads it started up to number `probe`. */
export class ReadProbe extends Schema.TaggedClass<ReadProbe>()("ReadProbe", { epoch: Schema.String, probe: Schema.Number }) {}
/** A replica in `epoch` acknowledges probe `probe` (and so every earlier one). */
export class ReadProbeAck extends Schema.TaggedClass<ReadProbeAck>()("ReadProbeAck", { epoch: Schema.String, probe: Schema.Number }) {}

export interface PendingRead {
  readonly request: Tagged
  readonly epoch: string
  /** Ready once the leader has applied through this index. */
  readonly point: number
  readonly probe: number
  /** Replicas (not the leader itself) that acknowledged this probe or a later one, sorted. */
  readonly acks: ReadonlyArray<Address>
}

/** A log replica's state with its pending reads (absent until its first read). */
export type ReadIndexed<L> = L & { readonly reads?: ReadonlyArray<PendingRead>; readonly probes?: number }

/** What a log tells the reads about itself. */
export interface ReadConfirmation<L> {
  /** The epoch this replica stands in (Raft's term, Paxos's promised ballot): a probe is acknowledged only in the same one. */
  readonly epoch: (l: L) => string
  /** A leader's read point: every command committed so far is at or below it; null when it cannot tell yet (the read goes through the log). */
  readonly readPoint: (l: L) => number | null
  /** The highest index handed to the parent. */
  readonly applied: (l: L) => number
}

export interface ReadIndexOptions {
  /** Planted bug: a leader serves a read at once from its applied state, without confirming that it still leads. */
  readonly bugServeLocally?: boolean
}

type C = Ctx<ReadProbe | ReadProbeAck, never, any>
const OWN = new Set(["ReadProbe", "ReadProbeAck"])

/** `log` (whose replicas are `group`) with leader-confirmed reads. */
export const readIndexed = <L extends object>(log: ReplicatedLog<L>, group: ReadonlyArray<Address>, confirm: ReadConfirmation<L>, options: ReadIndexOptions = {}): ReplicatedLog<ReadIndexed<L>> => {
  type W = ReadIndexed<L>
  const majority = Math.floor(group.length / 2) + 1
  const others = (self: Address) => group.filter((a) => a !== self)
  const inner = log.def as unknown as NodeDef<W, any, any, LogCtx>

  /** Hands up the reads now confirmed and applied; drops those of a replica that no longer leads in their epoch. */
  const settle = (s: W, ctx: LogCtx): W => {
    const reads = s.reads
    if (reads === undefined || reads.length === 0) return s
    const epoch = log.isLeader(s) ? confirm.epoch(s) : undefined
    const applied = confirm.applied(s)
    const keep: PendingRead[] = []
    for (const r of reads) {
      if (r.epoch !== epoch) continue
      if (r.acks.length + 1 >= majority && applied >= r.point) ctx.emit(readReady(r.request))
      else keep.push(r)
    }
    return keep.length === reads.length ? s : { ...s, reads: keep }
  }

  const def: NodeDef<W, any, any, LogCtx> = {
    ...inner,
    onMessage: {
      ...inner.onMessage,
      ReadProbe: Effect.fnUntraced(function* (s: W, m: ReadProbe, from: Address, ctx: C) {
        if (confirm.epoch(s) === m.epoch) ctx.send(from, new ReadProbeAck({ epoch: m.epoch, probe: m.probe }))
        return s
      }),
      ReadProbeAck: Effect.fnUntraced(function* (s: W, m: ReadProbeAck, from: Address) {
        const reads = s.reads
        if (reads === undefined || !reads.some((r) => r.epoch === m.epoch && r.probe <= m.probe && !r.acks.includes(from))) return s
        const next = reads.map((r) => (r.epoch === m.epoch && r.probe <= m.probe && !r.acks.includes(from) ? { ...r, acks: [...r.acks, from].sort() } : r))
        return { ...s, reads: next }
      }),
    },
    hooks: {
      ...(inner.hooks?.message ? { message: (s: W, m: Tagged, from: Address, ctx: LogCtx) => (OWN.has(m._tag) ? s : inner.hooks!.message!(s, m, from, ctx)) } : {}),
      after: (before: W, after: W, ctx: LogCtx) => settle(inner.hooks?.after ? inner.hooks.after(before, after, ctx) : after, ctx),
    },
  }

  const read = (s: W, request: Tagged, ctx: LogCtx): W | undefined => {
    if (!log.isLeader(s)) return undefined
    if (options.bugServeLocally) {
      ctx.emit(readReady(request))
      return s
    }
    const epoch = confirm.epoch(s)
    // A retried read already waiting: probe again (probes may have been lost).
    const waiting = s.reads?.find((r) => r.epoch === epoch && sameCommand(r.request, request))
    if (waiting) {
      ctx.broadcast(others(ctx.self), new ReadProbe({ epoch, probe: waiting.probe }))
      return s
    }
    const point = confirm.readPoint(s)
    if (point === null) return undefined
    const probe = (s.probes ?? 0) + 1
    ctx.broadcast(others(ctx.self), new ReadProbe({ epoch, probe }))
    // A group of one confirms at once: the `after` hook settles it.
    return { ...s, probes: probe, reads: [...(s.reads ?? []), { request, epoch, point, probe, acks: [] }] }
  }

  return { ...(log as unknown as ReplicatedLog<W>), def, read }
}

/**
 * A parent starts a leader-confirmed read of `request` in its log component (`handle`); its next
 * state, or undefined when the log has no such reads or cannot serve this one now (the parent then
 * proposes the command).
 */
export const startRead = <P, L>(handle: Component<P, L, LogCtx>, log: ReplicatedLog<L>, s: P, request: Tagged, ctx: Ctx<any, any, any>): P | undefined => {
  const read = log.read
  if (!read) return undefined
  let reading = false
  const next = handle.update(s, ctx, (l, lctx) => {
    const r = read(l, request, lctx)
    reading = r !== undefined
    return r ?? l
  })
  return reading ? next : undefined
}
