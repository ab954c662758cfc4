/**
 * Real steps followed in the checker's transition system. A node records each step it takes as a
 * `RecordedStep` (a delivery or a timer, the message or timer in the runtime's encoding); a
 * `StepFollower` finds each one among the successors the checker enumerates from the state reached so
 * far, and collects the labels and structured events of a trace `tla-ts replay` accepts. The steps of
 * one process arrive in order (the in-process conformance run); those of a multi-process cluster come
 * as one list per node, merged by `mergeRecords`.
 */
import type { TransitionSystem } from "../checker/transition-system.ts"
import type { Event, ProtocolState } from "../core/compile.ts"
import type { Cluster } from "../core/execute.ts"
import type { Address } from "../core/node.ts"
import type { StepEvent } from "./actor.ts"
import { encode } from "./codec.ts"

/** One real step at a node, as it goes to a node's trace file (one JSON object a line). */
export type RecordedStep =
  | { readonly kind: "message"; readonly to: Address; readonly from: Address; readonly msg: string }
  | { readonly kind: "timer"; readonly sub: string; readonly timer: string }
  | { readonly kind: "init" | "recover" }

export const recordOf = (ev: StepEvent): RecordedStep | undefined => {
  switch (ev.kind) {
    case "message":
      return { kind: "message", to: ev.to, from: ev.from, msg: encode(ev.msg) }
    case "timer":
      return { kind: "timer", sub: ev.timer.sub, timer: encode(ev.timer.timer) }
    case "init":
    case "recover":
      return { kind: ev.kind }
    default:
      return undefined // a client's own command: the checker's client starts it inside a step
  }
}

const matches = (e: Event, node: number, r: RecordedStep): boolean => {
  if (r.kind === "message") return e.k === "deliver" && e.env.dst === node && e.env.from === r.from && e.env.to === r.to && encode(e.env.msg) === r.msg
  return r.kind === "timer" && e.k === "timer" && e.node === node && e.timer.sub === r.sub && encode(e.timer.timer) === r.timer
}

const tagOf = (text: string): string => /"_tag":"([^"]*)"/.exec(text)?.[1] ?? "?"

export type ProtocolSystem = TransitionSystem<ProtocolState, Event> & { readonly cluster?: Cluster }

export class StepFollower {
  readonly labels: string[] = []
  readonly events: unknown[] = []
  divergence: string | undefined

  constructor(
    private readonly system: ProtocolSystem,
    private readonly cluster: Cluster,
    private state: ProtocolState
  ) {}

  /** Takes `r` at `node` if the checker offers it in the state reached; whether it did. */
  tryFollow(node: number, r: RecordedStep): boolean {
    if (r.kind === "init") return true
    if (r.kind === "recover") return false
    let found: { e: Event; next: ProtocolState } | undefined
    this.system.successors(this.state, (e, next) => {
      if (!found && matches(e, node, r)) found = { e, next }
    })
    if (!found) return false
    this.labels.push(this.system.formatLabel(found.e))
    this.events.push(this.system.encodeLabel!(found.e))
    this.state = found.next
    return true
  }

  /** Follows one step of a single ordered stream; the first one not offered is the divergence. */
  follow(node: number, r: RecordedStep): void {
    if (this.divergence !== undefined || this.tryFollow(node, r)) return
    this.divergence = `real step ${this.labels.length + 1} (${this.describe(node, r)}) is not a step the checker offers in the state reached`
  }

  describe(node: number, r: RecordedStep): string {
    if (r.kind === "message") return `${r.from} -> ${r.to}: ${tagOf(r.msg)} ${r.msg.slice(0, 120)}`
    if (r.kind === "timer") return `timer ${this.cluster.addresses[node]}: ${tagOf(r.timer)} ${r.timer}`
    return `${r.kind} of ${this.cluster.addresses[node]}`
  }
}

/**
 * Merges each node's steps into one run: repeatedly takes any node's next step the checker offers.
 * Greedy is enough: steps of different nodes commute (a delivery or timer changes one node and only
 * adds messages), so a step offered stays offered until taken. When no node's next step is offered,
 * the run is not one the checker explores, and `divergence` says where.
 */
export const mergeRecords = (follower: StepFollower, perNode: ReadonlyArray<{ readonly node: number; readonly steps: ReadonlyArray<RecordedStep> }>): void => {
  const at = perNode.map(() => 0)
  for (;;) {
    let moved = false
    perNode.forEach((q, k) => {
      while (at[k]! < q.steps.length && follower.tryFollow(q.node, q.steps[at[k]!]!)) {
        at[k]!++
        moved = true
      }
    })
    const stuck = perNode.flatMap((q, k) => (at[k]! < q.steps.length ? [follower.describe(q.node, q.steps[at[k]!]!)] : []))
    if (stuck.length === 0) return
    if (!moved) {
      follower.divergence = `after ${follower.labels.length} steps no node's next real step is one the checker offers: ${stuck.join("; ")}`
      return
    }
  }
}
