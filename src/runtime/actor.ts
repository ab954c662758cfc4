/**
 * One node's state and pending timers on the real clock. Every event runs through the driver; the
 * step's outputs (sends, persistence, completion) go to the owner's `onStep`. Timer delays are drawn
 * between the timer's min and max (milliseconds) from the node's seeded generator.
 */
import type { Rng } from "../checker/random.ts"
import type { Address, Tagged } from "../core/node.ts"
import { type NodeEnv, runCommand, runMessage, runTimer, type StepOutput, type TimerRec } from "./driver.ts"

export type StepEvent =
  | { readonly kind: "init" | "recover" }
  | { readonly kind: "message"; readonly to: Address; readonly from: Address; readonly msg: Tagged }
  | { readonly kind: "timer"; readonly timer: TimerRec }
  | { readonly kind: "command"; readonly command: Tagged }

export class Actor {
  state: unknown
  private timers: ReadonlyArray<TimerRec> = []
  private readonly handles = new Map<TimerRec, NodeJS.Timeout>()
  private stopped = false

  constructor(
    readonly env: NodeEnv,
    private readonly rng: Rng,
    private readonly onStep: (out: StepOutput, event: StepEvent) => void,
    private readonly onError: (e: unknown, event: StepEvent) => void
  ) {}

  /** Takes the output of init or recover. */
  start(out: StepOutput, event: StepEvent): void {
    this.apply(out, event)
  }

  deliver(to: Address, msg: Tagged, from: Address): void {
    this.run({ kind: "message", to, from, msg }, () => runMessage(this.env, this.state, this.timers, to, msg, from))
  }

  command(command: Tagged): void {
    this.run({ kind: "command", command }, () => runCommand(this.env, this.state, this.timers, command))
  }

  stop(): void {
    this.stopped = true
    for (const h of this.handles.values()) clearTimeout(h)
    this.handles.clear()
  }

  private run(event: StepEvent, step: () => StepOutput): void {
    if (this.stopped) return
    let out: StepOutput
    try {
      out = step()
    } catch (e) {
      this.onError(e, event)
      return
    }
    this.apply(out, event)
  }

  private apply(out: StepOutput, event: StepEvent): void {
    this.state = out.state
    const before = new Set(this.timers)
    const after = new Set(out.timers)
    for (const t of before) if (!after.has(t)) this.clear(t)
    this.timers = out.timers
    for (const t of out.timers) if (!before.has(t)) this.arm(t)
    this.onStep(out, event)
  }

  private arm(t: TimerRec): void {
    const delay = t.max > t.min ? t.min + this.rng.next() * (t.max - t.min) : t.min
    this.handles.set(
      t,
      setTimeout(() => {
        this.handles.delete(t)
        const rest = this.timers.filter((x) => x !== t)
        if (rest.length === this.timers.length) return
        this.run({ kind: "timer", timer: t }, () => runTimer(this.env, this.state, rest, t))
      }, delay)
    )
  }

  private clear(t: TimerRec): void {
    const h = this.handles.get(t)
    if (h) clearTimeout(h)
    this.handles.delete(t)
  }
}
