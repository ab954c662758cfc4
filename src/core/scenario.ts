/**
 * Tests that read like stories, over the timed simulator: run until a condition holds, partition,
 * heal, crash or restart a node (found by a role, e.g. "whoever leads now"), expect — with every
 * invariant of the system checked in every state on the way. Faults strike when the story says, so
 * no test needs magic times or a re-run of its seed to learn who leads.
 *
 *   scenario(system)
 *     .runUntil("a leader", (w) => leaderOf(w) !== undefined)
 *     .crash((w) => leaderOf(w))
 *     .runUntil("a new leader", ...)
 *     .expect("logs agree", ...)
 */
import type { TransitionSystem } from "../checker/transition-system.ts"
import type { Address } from "./node.ts"
import type { Injected, TimedEvent, TimedState } from "./timed.ts"

export class ScenarioError extends Error {}

type System = TransitionSystem<TimedState, TimedEvent> & { readonly inject: (s: TimedState, fault: Injected) => TimedState }
type Who = Address | ((w: TimedState) => Address | undefined)

export class Scenario {
  state: TimedState
  /** Every step taken so far, as trace labels (faults included). */
  readonly labels: string[] = []
  constructor(private readonly system: System) {
    this.state = system.initial()[0]!
    this.check()
  }

  private check(): void {
    for (const p of this.system.properties)
      if (p.kind === "invariant" && !p.holds(this.state))
        throw new ScenarioError(`${p.name} violated at time ${this.state.now}: ${p.explain?.(this.state) ?? ""} (after: ${this.labels.slice(-3).join(" | ")})`)
  }

  /** Takes the next event; false when the run is over (clients done and stopping, or out of time). */
  step(): boolean {
    let next: { label: TimedEvent; state: TimedState } | undefined
    this.system.successors(this.state, (label, state) => (next = { label, state }))
    if (!next) return false
    this.state = next.state
    this.labels.push(this.system.formatLabel(next.label))
    this.check()
    return true
  }

  /** Runs until `holds` (checked in the current state first) within `within` time units; fails the story otherwise. */
  runUntil(what: string, holds: (w: TimedState) => boolean, within = 10_000): this {
    const deadline = this.state.now + within
    while (!holds(this.state)) {
      if (this.state.now > deadline || !this.step()) throw new ScenarioError(`never reached "${what}" (time ${this.state.now}, deadline ${deadline})`)
    }
    return this
  }

  /** Runs for `duration` time units (or until the run is over). */
  runFor(duration: number): this {
    const until = this.state.now + duration
    while (this.state.now < until && this.step());
    return this
  }

  private inject(fault: Injected, text: string): this {
    this.state = this.system.inject(this.state, fault)
    this.labels.push(`@${this.state.now} ${text}`)
    this.check()
    return this
  }

  private resolve(who: Who): Address {
    const a = typeof who === "function" ? who(this.state) : who
    if (a === undefined) throw new ScenarioError(`no node fills the role (time ${this.state.now})`)
    return a
  }

  partition(...groups: ReadonlyArray<ReadonlyArray<Address>>): this {
    return this.inject({ k: "partition", groups }, `partition ${groups.map((g) => `{${g.join(",")}}`).join(" ")}`)
  }
  heal(): this {
    return this.inject({ k: "heal" }, "heal")
  }
  crash(who: Who): this {
    const node = this.resolve(who)
    return this.inject({ k: "crash", node }, `crash ${node}`)
  }
  restart(who: Who): this {
    const node = this.resolve(who)
    return this.inject({ k: "restart", node }, `restart ${node}`)
  }

  expect(what: string, holds: (w: TimedState) => boolean): this {
    if (!holds(this.state)) throw new ScenarioError(`expected ${what} (time ${this.state.now})`)
    return this
  }
}

export const scenario = (system: System): Scenario => new Scenario(system)
