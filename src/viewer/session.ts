/**
 * What the explorer knows of one model: a path (initial state index and step labels, the stable
 * identities of events) replayed to its state, the events enabled there, the status of every
 * property, and the path as a trace file `tla-ts replay` accepts.
 */
import { ReplayError, replayLabels, replaySteps, stepsOf } from "../checker/path.ts"
import { PropertySet } from "../checker/properties.ts"
import type { CheckResult, Path } from "../checker/result.ts"
import { recordedSteps, toTraceFile, type TraceFile } from "../checker/trace-file.ts"
import type { TransitionSystem } from "../checker/transition-system.ts"
import type { StepKind, TraceData } from "./data.ts"
import { firstHit, traceFromPath } from "./build.ts"
import { actorOf, parseLabel } from "./labels.ts"
import { buildSystem } from "./registry.ts"

export interface ModelRef {
  readonly model: string
  readonly test?: string
  readonly params: Readonly<Record<string, string>>
  readonly seed: number
}

export interface Enabled {
  readonly label: string
  readonly kind: StepKind
  readonly actor?: string
  /** The invariant the next state violates, if any. */
  readonly violates?: string
}

export interface PropertyStatus {
  readonly name: string
  readonly kind: "invariant" | "goal" | "prune" | "step"
  /** holds: an invariant that holds, or a goal or prune that is not met; else violated / met. */
  readonly status: "holds" | "violated" | "met"
  readonly explanation?: string
}

export interface PathView {
  readonly initials: number
  readonly trace: TraceData
  readonly enabled: ReadonlyArray<Enabled>
  readonly properties: ReadonlyArray<PropertyStatus>
  /** Set when the requested path did not replay: the longest prefix that did is shown instead. */
  readonly error?: string
}

export class Session {
  private constructor(
    readonly ref: ModelRef,
    readonly system: TransitionSystem<any, any>
  ) {}

  static async open(ref: ModelRef): Promise<Session> {
    const { system, params } = await buildSystem(ref)
    return new Session({ ...ref, params }, system)
  }

  /**
   * An opened trace's steps as this system labels them now: replayed on their events, so a trace saved
   * before a change of display text still opens; one that does not replay keeps its own labels (and
   * `replay` then shows how far they go).
   */
  labelsOf(trace: TraceFile): ReadonlyArray<string> {
    try {
      return replaySteps(this.system, trace.initial, recordedSteps(trace)).steps.map((s) => s.text)
    } catch (e) {
      if (!(e instanceof ReplayError)) throw e
      return trace.steps
    }
  }

  /** Replays a path; a label that is not enabled ends it there, with the reason. */
  replay(initial: number, labels: ReadonlyArray<string>): { path: Path<any, any>; error?: string } {
    try {
      return { path: replayLabels(this.system, initial, labels) }
    } catch (e) {
      if (!(e instanceof ReplayError)) throw e
      if (e.stepIndex === 0) return { path: replayLabels(this.system, 0, []), error: e.message }
      return { path: replayLabels(this.system, initial, labels.slice(0, e.stepIndex - 1)), error: e.message }
    }
  }

  view(initial: number, labels: ReadonlyArray<string>): PathView {
    const { path, error } = this.replay(initial, labels)
    const state = path.steps.length ? path.steps[path.steps.length - 1]!.state : path.initial
    const props = new PropertySet(this.system)
    const enabled = stepsOf(this.system, state).map(({ label, next }): Enabled => {
      const text = this.system.formatLabel(label)
      const p = parseLabel(text)
      const actor = actorOf(p, () => this.system.causality?.(label).actor)
      const hit = props.checkStep(state, label, next) ?? props.checkState(next)
      return { label: text, kind: p.kind, ...(actor !== undefined ? { actor } : {}), ...(hit?.kind === "violation" ? { violates: hit.property } : {}) }
    })
    const last = path.steps[path.steps.length - 1]
    const before = path.steps.length > 1 ? path.steps[path.steps.length - 2]!.state : path.initial
    const properties: PropertyStatus[] = [
      ...this.system.properties.map((p): PropertyStatus => {
        const holds = p.holds(state)
        const bad = p.kind === "invariant" ? !holds : holds
        const explanation = bad && p.kind === "invariant" ? p.explain?.(state) : undefined
        return { name: p.name, kind: p.kind, status: !bad ? "holds" : p.kind === "invariant" ? "violated" : "met", ...(explanation ? { explanation } : {}) }
      }),
      ...(this.system.stepProperties ?? []).map((p): PropertyStatus => {
        const detail = last ? p.check(before, last.label, last.state) : undefined
        return { name: p.name, kind: "step", status: detail === undefined ? "holds" : "violated", ...(detail ? { explanation: detail } : {}) }
      }),
    ]
    const trace = traceFromPath(this.system, path, {
      title: `${this.ref.model}${this.ref.test ? ` ${this.ref.test}` : ""}`,
      model: this.ref.model,
      ...(this.ref.test ? { test: this.ref.test } : {}),
      params: this.ref.params,
      seed: this.ref.seed,
      strategy: "explore",
      verdict: "explore",
    })
    return { initials: this.system.initial().length, trace, enabled, properties, ...(error ? { error } : {}) }
  }

  /** The path as a trace file: `tla-ts replay` rebuilds the same system and re-checks what it hits. */
  traceFile(initial: number, labels: ReadonlyArray<string>): TraceFile {
    const { path, error } = this.replay(initial, labels)
    if (error) throw new ReplayError(error, 0)
    const hit = firstHit(this.system, path)
    const result: CheckResult<any, any> = {
      verdict: hit ? (hit.kind === "violation" ? "violation" : "goal-found") : "ok",
      strategy: "dfs",
      ...(hit ? { property: hit.property } : {}),
      ...(hit?.explanation ? { detail: hit.explanation } : {}),
      path,
      distinct: path.steps.length + 1,
      generated: path.steps.length,
      depth: path.steps.length + 1,
      seconds: 0,
      complete: false,
    }
    return toTraceFile(this.system, result, { model: this.ref.model, params: this.ref.params, ...(this.ref.test ? { test: this.ref.test } : {}), seed: this.ref.seed })
  }
}
