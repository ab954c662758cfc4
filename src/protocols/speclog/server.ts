/**
 * spec/consensus as a replicated-log component: the log a service is checked on when the consensus
 * underneath is taken as given (assume-guarantee: Paxos's and Raft's refinement of spec/consensus are
 * proof obligations of their own). The first replica is the sequencer: a proposal there is spec
 * Choose(slot, command) in one atomic step, committed at once; every other replica learns chosen
 * slots from one message each and hands them to its parent in slot order. No ballots, no elections,
 * no retries: a service above it is checked in a far smaller space.
 */
import { Effect } from "effect"
import { rootOf } from "../../core/execute.ts"
import type { Address, Ctx, NodeDef, Tagged } from "../../core/node.ts"
import { committed, type LogEvent, readReady, type ReplicatedLog } from "../../core/replicated-log.ts"
import { Chosen } from "./messages.ts"

export * from "./messages.ts"


/** A replica's context: it sends only Chosen, sets no timers, hands its parent log events. */
type C = Ctx<Chosen, never, LogEvent>

export interface SpecLogState {
  /** This replica is the sequencer. */
  readonly leads: boolean
  /** First slot not yet handed to the parent (at the sequencer: the next slot to choose). */
  readonly next: number
  /** Chosen slots learned out of order, waiting for the gap before them. */
  readonly early: ReadonlyMap<number, Tagged>
}

const empty: ReadonlyMap<number, Tagged> = new Map()

export interface SpecLogOptions {
  /** Persist the state after every step that changes it (crash-restart runs). */
  readonly persist?: boolean
  /** Serve reads (the parent's read-only commands) at the sequencer at once, taking no slot: it has applied every chosen slot. */
  readonly reads?: boolean
}

/** Hands every consecutive learned slot from `next` to the parent. */
const deliver = (s: SpecLogState, ctx: C): SpecLogState => {
  let next = s.next
  let early = s.early
  for (let c = early.get(next); c !== undefined; c = early.get(next)) {
    ctx.emit(committed(next, c))
    const rest = new Map(early)
    rest.delete(next)
    early = rest
    next++
  }
  return next === s.next ? s : { ...s, next, early }
}

export const specLog = (group: ReadonlyArray<Address>, options: SpecLogOptions = {}): ReplicatedLog<SpecLogState> => {
  const sequencer = group[0]!
  const def: NodeDef<SpecLogState, Chosen, never, C> = {
    init: (ctx) => ({ leads: ctx.self === sequencer, next: 0, early: empty }),
    recover: (durable, ctx) => (durable as SpecLogState | undefined) ?? def.init(ctx),
    onMessage: {
      Chosen: Effect.fnUntraced(function* (s: SpecLogState, m: Chosen, _from: Address, ctx: C) {
        if (m.slot < s.next || s.early.has(m.slot)) return s
        return deliver({ ...s, early: new Map(s.early).set(m.slot, m.command) }, ctx)
      }),
    },
    ...(options.persist ? { hooks: { after: (before, after, ctx) => (after !== before && ctx.persist(after), after) } } : {}),
  }
  return {
    def,
    propose: (s: SpecLogState, command: Tagged, ctx: C) => {
      if (!s.leads) return s
      // Choose(slot, command): atomic at the sequencer, learned by the others.
      const slot = s.next
      ctx.broadcast(group.filter((a) => a !== sequencer), new Chosen({ slot, command }))
      ctx.emit(committed(slot, command))
      return { ...s, next: slot + 1 }
    },
    isLeader: (s) => s.leads,
    leaderHint: () => rootOf(sequencer),
    ...(options.reads ? { read: (s: SpecLogState, request: Tagged, ctx: C) => (s.leads ? (ctx.emit(readReady(request)), s) : undefined) } : {}),
  }
}
