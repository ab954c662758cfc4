/**
 * The runtime's one adapter to the protocol DSL: runs one event (init, recover, message, timer, client
 * command) on one node through core's Outbox and dispatch, exactly as the checker and the simulator
 * do, and hands back what the step did. Nothing else in src/runtime touches core's interpreter.
 */
import { type Chooser, dispatchMessage, dispatchTimer, NOT_SET, Outbox, subPathOf } from "../core/execute.ts"
import { type Address, type ClientDef, isClientDef, type NodeDef, type Tagged } from "../core/node.ts"
import type { TimerRec } from "../core/world.ts"
import { Effect } from "effect"

export type { TimerRec }

export interface Send {
  readonly from: Address
  readonly to: Address
  readonly msg: Tagged
}

export interface StepOutput {
  readonly state: unknown
  readonly sends: ReadonlyArray<Send>
  /** The node's pending timers after the step (records kept by identity: new ones were set). */
  readonly timers: ReadonlyArray<TimerRec>
  /** Whether the step persisted, and what. */
  readonly persisted: boolean
  readonly durable: unknown
  readonly completed: Tagged | undefined
}

export interface NodeEnv {
  readonly def: NodeDef<any, any, any>
  readonly self: Address
  /** Every address the configuration knows (servers; clients for a client node). */
  readonly peers: ReadonlyArray<Address>
  readonly chooser: Chooser
  /**
   * A client with a workload: when a step completes a command, the next one (if any) is sent in the
   * same step, as the checker runs workloads.
   */
  readonly nextCommand?: () => Tagged | undefined
}

const collect = (ctx: Outbox, state: unknown, env?: NodeEnv): StepOutput => {
  if (env?.nextCommand && ctx.completed !== undefined) {
    const next = env.nextCommand()
    if (next !== undefined) state = Effect.runSync((env.def as ClientDef<any>).sendCommand(state, next, ctx))
  }
  return collectOutputs(ctx, state)
}

const collectOutputs = (ctx: Outbox, state: unknown): StepOutput => ({
  state,
  sends: ctx.sends,
  timers: ctx.timers,
  persisted: ctx.durable !== NOT_SET,
  durable: ctx.durable === NOT_SET ? undefined : ctx.durable,
  completed: ctx.completed,
})

const outbox = (env: NodeEnv, timers: ReadonlyArray<TimerRec>) => new Outbox(env.self, env.peers, timers, env.chooser)

/** A fresh start (no durable storage). */
export const runInit = (env: NodeEnv): StepOutput => {
  const ctx = outbox(env, [])
  return collect(ctx, env.def.init(ctx))
}

/** A restart from what the node last persisted. */
export const runRecover = (env: NodeEnv, durable: unknown): StepOutput => {
  const ctx = outbox(env, [])
  return collect(ctx, env.def.recover ? env.def.recover(durable, ctx) : env.def.init(ctx))
}

export const runMessage = (env: NodeEnv, state: unknown, timers: ReadonlyArray<TimerRec>, to: Address, msg: Tagged, from: Address): StepOutput => {
  const ctx = outbox(env, timers)
  return collect(ctx, dispatchMessage(env.def, state, subPathOf(to), msg, from, ctx), env)
}

/** Fires `timer`; `rest` is the node's other pending timers. */
export const runTimer = (env: NodeEnv, state: unknown, rest: ReadonlyArray<TimerRec>, timer: TimerRec): StepOutput => {
  const ctx = outbox(env, rest)
  const path = timer.sub === "" ? [] : timer.sub.split("/")
  return collect(ctx, dispatchTimer(env.def, state, path, timer.timer, ctx), env)
}

/** A client node starts executing `command`. */
export const runCommand = (env: NodeEnv, state: unknown, timers: ReadonlyArray<TimerRec>, command: Tagged): StepOutput => {
  const def = env.def
  if (!isClientDef(def)) throw new TypeError(`${env.self} is not a client`)
  const ctx = outbox(env, timers)
  return collect(ctx, Effect.runSync((def as ClientDef<any>).sendCommand(state, command, ctx)))
}
