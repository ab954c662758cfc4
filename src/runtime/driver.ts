/**
 * The runtime's one adapter to the protocol DSL: runs one event (init, recover, message, timer, client
 * command) on one node through core's `runNodeEvent`, exactly as the checker and the simulator route
 * it, and hands back what the step did. Nothing else in src/runtime touches core's interpreter.
 */
import { runNodeEvent, type NodeEvent } from "../core/dispatch.ts"
import type { Address, NodeDef, Tagged } from "../core/node.ts"
import { type Chooser, type Durable, type TimerRec, withWrites } from "../core/outbox.ts"

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
  /** Whether the step persisted, and the node's whole storage after it. */
  readonly persisted: boolean
  readonly durable: unknown
  readonly completed: Tagged | undefined
}

export interface NodeEnv {
  readonly def: NodeDef<any, any, any, any>
  readonly self: Address
  /** Every address the configuration knows (servers; clients for a client node). */
  readonly peers: ReadonlyArray<Address>
  readonly chooser: Chooser
  /** The node's storage as last persisted (undefined: nothing yet). */
  readonly durable?: () => unknown
  /**
   * A client with a workload: when a step completes a command, the next one (if any) is sent in the
   * same step, as the checker runs workloads.
   */
  readonly nextCommand?: () => Tagged | undefined
}

const run = (env: NodeEnv, state: unknown, timers: ReadonlyArray<TimerRec>, event: NodeEvent, durable = env.durable?.() as Durable | undefined): StepOutput => {
  const r = runNodeEvent({ def: env.def, self: env.self, peers: env.peers, state, timers, durable }, event, env.chooser)
  let out: StepOutput = { state: r.state, sends: r.sends, timers: r.timers, persisted: r.writes.size > 0, durable: withWrites(durable, r.writes), completed: r.completed }
  const next = out.completed !== undefined && env.nextCommand ? env.nextCommand() : undefined
  if (next !== undefined) {
    const more = run(env, out.state, out.timers, { k: "command", command: next }, out.durable as Durable | undefined)
    out = { ...more, sends: [...out.sends, ...more.sends], persisted: out.persisted || more.persisted, completed: out.completed }
  }
  return out
}

/** A fresh start (no durable storage). */
export const runInit = (env: NodeEnv): StepOutput => run(env, undefined, [], { k: "init" }, undefined)

/** A restart from what the node last persisted. */
export const runRecover = (env: NodeEnv, durable: unknown): StepOutput => run(env, undefined, [], { k: "recover" }, durable as Durable)

export const runMessage = (env: NodeEnv, state: unknown, timers: ReadonlyArray<TimerRec>, to: Address, msg: Tagged, from: Address): StepOutput =>
  run(env, state, timers, { k: "message", to, from, msg })

/** Fires `timer`; `rest` is the node's other pending timers. */
export const runTimer = (env: NodeEnv, state: unknown, rest: ReadonlyArray<TimerRec>, timer: TimerRec): StepOutput => run(env, state, [...rest, timer], { k: "timer", timer })

/** A client node starts executing `command`. */
export const runCommand = (env: NodeEnv, state: unknown, timers: ReadonlyArray<TimerRec>, command: Tagged): StepOutput => run(env, state, timers, { k: "command", command })
