/** Splits a system's properties by kind once, so the hot loop does not filter per state. */
import type { StateProperty, StepProperty, TransitionSystem } from "./transition-system.ts"

export interface Hit {
  readonly kind: "violation" | "goal"
  readonly property: string
  readonly detail?: string
}

export class PropertySet<S, L> {
  readonly invariants: ReadonlyArray<StateProperty<S>>
  readonly goals: ReadonlyArray<StateProperty<S>>
  readonly prunes: ReadonlyArray<StateProperty<S>>
  readonly steps: ReadonlyArray<StepProperty<S, L>>

  constructor(system: TransitionSystem<S, L>) {
    this.invariants = system.properties.filter((p) => p.kind === "invariant")
    this.goals = system.properties.filter((p) => p.kind === "goal")
    this.prunes = system.properties.filter((p) => p.kind === "prune")
    this.steps = system.stepProperties ?? []
  }

  /** First violated invariant, else first goal met, else undefined. */
  checkState(s: S): Hit | undefined {
    const inv = this.invariants
    for (let i = 0; i < inv.length; i++) {
      const p = inv[i]!
      if (!p.holds(s)) {
        const detail = p.explain?.(s)
        return { kind: "violation", property: p.name, ...(detail ? { detail } : {}) }
      }
    }
    const goals = this.goals
    for (let i = 0; i < goals.length; i++) if (goals[i]!.holds(s)) return { kind: "goal", property: goals[i]!.name }
    return undefined
  }

  checkStep(from: S, label: L, to: S): Hit | undefined {
    const steps = this.steps
    for (let i = 0; i < steps.length; i++) {
      const detail = steps[i]!.check(from, label, to)
      if (detail !== undefined) return { kind: "violation", property: steps[i]!.name, detail }
    }
    return undefined
  }

  pruned(s: S): boolean {
    const prunes = this.prunes
    for (let i = 0; i < prunes.length; i++) if (prunes[i]!.holds(s)) return true
    return false
  }
}
