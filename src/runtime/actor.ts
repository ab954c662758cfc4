/**
 * One node's state and pending timers on the real clock. Every event runs through the driver; the
 * step's outputs (sends, persistence, completion) go to the owner's `onStep`. Timer delays are drawn
 * between the timer's min and max from the node's seeded generator, in units of `timeUnit` ms (the
 * protocols' numbers are abstract time units; 1 unit = 1 ms unless configured).
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
  /** When each pending timer fires (performance.now() ms); one clock timeout serves them all. */
  private readonly due = new Map<TimerRec, number>()
  private wake: NodeJS.Timeout | undefined
  private wakeAt = Infinity
  private stopped = false

  constructor(
    readonly env: NodeEnv,
    private readonly rng: Rng,
    private readonly onStep: (out: StepOutput, event: StepEvent) => void,
    private readonly onError: (e: unknown, event: StepEvent) => void,
    private readonly timeUnit = 1
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
    if (this.wake) clearTimeout(this.wake)
    this.due.clear()
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
    const delay = (t.max > t.min ? t.min + this.rng.next() * (t.max - t.min) : t.min) * this.timeUnit
    const at = performance.now() + delay
    this.due.set(t, at)
    if (at < this.wakeAt) this.schedule(at)
  }

  /** Cancelling only forgets the deadline: a timer reset on every message costs no clock calls. */
  private clear(t: TimerRec): void {
    this.due.delete(t)
  }

  private schedule(at: number): void {
    if (this.wake) clearTimeout(this.wake)
    this.wakeAt = at
    // Due timers fire after the poll phase that follows (setImmediate): a node that was starved of CPU
    // first handles the messages already waiting on its sockets (a leader's heartbeat), then its timers.
    this.wake = setTimeout(
      () => {
        this.wake = undefined
        this.wakeAt = Infinity
        setImmediate(() => this.fireDue())
      },
      Math.max(0, at - performance.now())
    )
  }

  private fireDue(): void {
    if (this.stopped) return
    const now = performance.now()
    const ready = [...this.due].filter(([, at]) => at <= now).sort((a, b) => a[1] - b[1])
    for (const [t] of ready) {
      if (this.stopped) return
      if (!this.due.delete(t)) continue // cancelled by an earlier one
      const rest = this.timers.filter((x) => x !== t)
      this.run({ kind: "timer", timer: t }, () => runTimer(this.env, this.state, rest, t))
    }
    let next = Infinity
    for (const at of this.due.values()) next = Math.min(next, at)
    if (next < Infinity && !this.stopped && next < this.wakeAt) this.schedule(next)
  }
}
