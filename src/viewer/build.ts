/**
 * Builds a page's TraceData from a replayed path (or, when the model no longer replays it, from the
 * views a trace file stored): the lifelines, each step's kind and actor, every message from its send
 * to its deliveries, timers from set to fired, downtimes, partitions and the state diffs.
 */
import { PropertySet } from "../checker/properties.ts"
import type { Path } from "../checker/result.ts"
import type { TransitionSystem } from "../checker/transition-system.ts"
import type { Downtime, Op, Outcome, Partition, TraceData, ViewerMessage, ViewerStep, ViewerTimer } from "./data.ts"
import { rootOf } from "./data.ts"
import { diffViews, PathTable } from "./flat.ts"
import { actorOf, parseLabel } from "./labels.ts"
import { type Probe, probeFor, Tracker } from "./network.ts"

/** What a trace says about itself: its model, test, search and verdict. */
export type TraceMeta = Pick<TraceData, "title" | "model" | "test" | "params" | "seed" | "strategy" | "verdict" | "property" | "detail">

interface Source<S> {
  readonly states: ReadonlyArray<S>
  readonly views: ReadonlyArray<unknown>
  readonly labels: ReadonlyArray<string>
  readonly probe: Probe<S>
  readonly actorOf: (step: number) => string | undefined
  readonly outcome?: Outcome
  readonly notes: ReadonlyArray<string>
}

/** The first state or step along the path where a property fails or a goal is met. */
export const firstHit = <S, L>(system: TransitionSystem<S, L>, path: Path<S, L>): Outcome | undefined => {
  const props = new PropertySet(system)
  const states = [path.initial, ...path.steps.map((s) => s.state)]
  for (let i = 0; i < states.length; i++) {
    const step = i > 0 ? path.steps[i - 1]! : undefined
    const hit = (step ? props.checkStep(states[i - 1]!, step.label, step.state) : undefined) ?? props.checkState(states[i]!)
    if (hit) return { kind: hit.kind, property: hit.property, step: i, ...(hit.detail ? { explanation: hit.detail } : {}) }
  }
  return undefined
}

/** TraceData for a path replayed on its system. */
export const traceFromPath = <S, L>(system: TransitionSystem<S, L>, path: Path<S, L>, meta: TraceMeta, notes: ReadonlyArray<string> = []): TraceData => {
  const states = [path.initial, ...path.steps.map((s) => s.state)]
  const outcome = firstHit(system, path)
  return build(meta, {
    states,
    views: states.map((s) => system.view(s)),
    labels: path.steps.map((s) => s.text),
    probe: probeFor(system as TransitionSystem<S, unknown>, path.initial),
    actorOf: (i) => system.causality?.(path.steps[i - 1]!.label).actor,
    ...(outcome ? { outcome } : {}),
    notes,
  })
}

/** TraceData from stored views alone (no system): messages are matched by their text. */
export const traceFromViews = (views: ReadonlyArray<unknown>, labels: ReadonlyArray<string>, meta: TraceMeta, notes: ReadonlyArray<string>): TraceData =>
  build(meta, {
    states: views,
    views,
    labels,
    probe: probeFor({ name: "views" } as TransitionSystem<unknown, unknown>, undefined),
    actorOf: () => undefined,
    notes,
  })

const nodesOf = (view: unknown): Record<string, { up?: unknown }> | undefined => {
  const n = (view as { nodes?: unknown } | null)?.nodes
  return n !== null && typeof n === "object" && !Array.isArray(n) ? (n as Record<string, { up?: unknown }>) : undefined
}

const build = <S>(meta: TraceMeta, src: Source<S>): TraceData => {
  const { states, views, labels, probe } = src
  const table = new PathTable()
  const initial = diffViews(undefined, views[0], table)
  const messages: Array<ViewerMessage & { deliveries: number[] }> = []
  const msgOf = new Map<number, number>()
  const timers: ViewerTimer[] = []
  const timerOf = new Map<number, number>()
  const downtimes: Downtime[] = []
  const partitions: Partition[] = []
  const net = new Tracker()
  const clock = new Tracker()
  const actors: string[] = []

  const sent = (step: number, added: ReturnType<Tracker["advance"]>["added"]) => {
    for (const { id, entry } of added) {
      const m = /^(\S+) -> (\S+): ([\s\S]*)$/.exec(entry.text)
      msgOf.set(id, messages.length)
      messages.push({ from: m?.[1] ?? "?", to: m?.[2] ?? "?", text: m?.[3] ?? entry.text, sent: step, deliveries: [] })
    }
  }
  const armed = (step: number, added: ReturnType<Tracker["advance"]>["added"]) => {
    for (const { id, entry } of added) {
      timerOf.set(id, timers.length)
      timers.push({ node: entry.node ?? "", text: entry.text, set: step })
    }
  }
  sent(0, net.advance(probe.network(states[0]!, views[0])).added)
  if (probe.timers) armed(0, clock.advance(probe.timers(states[0]!)).added)

  const down = new Map<string, number>()
  for (const [a, n] of Object.entries(nodesOf(views[0]) ?? {})) if (n.up === false) down.set(a, 0)

  const steps: ViewerStep[] = labels.map((label, k) => {
    const i = k + 1
    const p = parseLabel(label)
    let msgId = p.envelope !== undefined ? net.find(p.envelope) : undefined
    const moved = net.advance(probe.network(states[i]!, views[i]))
    const consumed = p.envelope !== undefined ? moved.removed.find((r) => r.entry.text === p.envelope) : undefined
    if (consumed) msgId = consumed.id
    const endKind = p.kind === "drop" ? "dropped" : p.kind === "lost" ? "lost" : "delivered"
    for (const r of moved.removed) {
      const m = messages[msgOf.get(r.id)!]!
      Object.assign(m, { end: i, endKind: r.id === msgId ? endKind : "vanished" })
    }
    let dup = false
    const msg = msgId !== undefined ? msgOf.get(msgId) : undefined
    if (msg !== undefined && p.kind === "deliver") {
      messages[msg]!.deliveries.push(i)
      dup = messages[msg]!.deliveries.length > 1
    }
    sent(i, moved.added)
    if (probe.timers) {
      const t = clock.advance(probe.timers(states[i]!))
      let fired = false
      for (const r of t.removed) {
        const timer = timers[timerOf.get(r.id)!]!
        const isFire = !fired && p.kind === "timer" && r.entry.node === p.node && label.includes(`${p.node}: ${r.entry.text}`)
        if (isFire) fired = true
        Object.assign(timer, isFire ? { fired: i } : { cancelled: i })
      }
      armed(i, t.added)
    }
    for (const [a, n] of Object.entries(nodesOf(views[i]) ?? {})) {
      if (n.up === false && !down.has(a)) down.set(a, i)
      if (n.up !== false && down.has(a)) {
        downtimes.push({ node: a, from: down.get(a)!, to: i })
        down.delete(a)
      }
    }
    if (p.kind === "partition" || p.kind === "heal") {
      const open = partitions[partitions.length - 1]
      if (open && open.to === undefined) Object.assign(open, { to: i })
      if (p.kind === "partition") partitions.push({ groups: p.groups ?? [], from: i })
    }
    const ops: Op[] = diffViews(views[i - 1], views[i], table, probe.same?.(states[i - 1]!, states[i]!))
    const actor = actorOf(p, () => src.actorOf(i))
    if (actor !== undefined && !actors.includes(actor)) actors.push(actor)
    return {
      label,
      kind: p.kind,
      ...(actor !== undefined ? { actor } : {}),
      ...(p.time !== undefined ? { time: p.time } : {}),
      ...(msg !== undefined ? { msg } : {}),
      ...(dup ? { dup } : {}),
      ops,
    }
  })
  for (const [node, from] of down) downtimes.push({ node, from })

  return {
    ...meta,
    ...(src.outcome ? { outcome: src.outcome } : {}),
    nodes: lifelines(Object.keys(nodesOf(views[0]) ?? {}), [...actors, ...messages.flatMap((m) => [m.from, m.to])]),
    paths: table.paths,
    initial,
    steps,
    messages,
    timers,
    downtimes,
    partitions,
    notes: src.notes,
  }
}

/** The view's nodes in their order, then any other address met, each sub-component after its root. */
const lifelines = (known: ReadonlyArray<string>, seen: ReadonlyArray<string>): string[] => {
  const out = [...known]
  for (const a of seen) {
    if (a === "?" || out.includes(a)) continue
    const root = rootOf(a)
    let at = -1
    out.forEach((x, k) => rootOf(x) === root && (at = k))
    if (at < 0) out.push(a)
    else out.splice(at + 1, 0, a)
  }
  return out.length > 0 ? out : ["system"]
}
