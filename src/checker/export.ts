/**
 * Counterexamples for other tools: ITF (the Informal Trace Format that Apalache and Quint read) and a
 * ShiViz log (space-time diagram of the nodes, with vector clocks built from who sent what).
 */
import type { Path } from "./result.ts"
import type { TransitionSystem } from "./transition-system.ts"

/** A plain-data view as an ITF value: integers as {"#bigint"}, arrays as sequences, objects as records. */
const itfValue = (v: unknown): unknown => {
  if (typeof v === "number") return Number.isInteger(v) ? { "#bigint": String(v) } : String(v)
  if (typeof v === "bigint") return { "#bigint": v.toString() }
  if (v === null || v === undefined) return { "#unserializable": String(v) }
  if (Array.isArray(v)) return v.map(itfValue)
  if (typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, itfValue(x)]))
  return v
}

export const toItf = <S, L>(system: TransitionSystem<S, L>, path: Path<S, L>, description: string): unknown => {
  const views = [system.view(path.initial), ...path.steps.map((s) => system.view(s.state))]
  const vars = [...new Set(views.flatMap((v) => (v !== null && typeof v === "object" && !Array.isArray(v) ? Object.keys(v) : ["state"])))]
  return {
    "#meta": { format: "ITF", "format-description": "https://apalache-mc.org/docs/adr/015adr-trace.html", source: system.name, description },
    vars,
    states: views.map((v, i) => ({
      "#meta": {
        index: i,
        ...(i > 0 ? { action: path.steps[i - 1]!.text } : { action: "init" }),
        // The step's structured event (what trace files store), where the system encodes its labels.
        ...(i > 0 && system.encodeLabel ? { event: system.encodeLabel(path.steps[i - 1]!.label) } : {}),
      },
      ...(v !== null && typeof v === "object" && !Array.isArray(v) ? (itfValue(v) as object) : { state: itfValue(v) }),
    })),
  }
}

/**
 * The step that sent what step `i` (0-based) delivers: 0 for the initial state, k for step k, or
 * undefined when the system does not say. Systems that number their sends (causality's `sent` and
 * `sendCount`) are read exactly, exhaustive and simulated traces alike; otherwise the delivered
 * message's text is looked up in the views' `network` (the first state that holds it).
 */
export const sentAtStep = <S, L>(system: TransitionSystem<S, L>, path: Path<S, L>, i: number, views?: ReadonlyArray<unknown>): number | undefined => {
  const sent = system.causality?.(path.steps[i]!.label).sent
  if (sent !== undefined && system.sendCount !== undefined) {
    const count = (k: number) => system.sendCount!(k === 0 ? path.initial : path.steps[k - 1]!.state)
    // Send counts only grow along a path: the first state (0..i) whose count exceeds `sent`.
    let lo = 0
    let hi = i
    if (count(hi) <= sent) return undefined
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (count(mid) > sent) hi = mid
      else lo = mid + 1
    }
    return lo
  }
  const m = /^(?:@\S+ )?deliver (.*)$/.exec(path.steps[i]!.text)
  if (!m) return undefined
  const all = views ?? [system.view(path.initial), ...path.steps.map((s) => system.view(s.state))]
  const network = (k: number): ReadonlyArray<string> => {
    const n = (all[k] as { network?: unknown } | null)?.network
    return Array.isArray(n) ? (n as string[]) : []
  }
  const at = all.findIndex((_, k) => k <= i && network(k).includes(m[1]!))
  return at < 0 ? undefined : at
}

/**
 * ShiViz's default log format: each event is a line of text followed by `host {vector clock}`.
 * A delivery merges the clock of the step that sent the message (sentAtStep), so ShiViz draws the
 * message as an arrow from its send to its delivery.
 */
export const toShiViz = <S, L>(system: TransitionSystem<S, L>, path: Path<S, L>): string => {
  const views = system.sendCount ? undefined : [system.view(path.initial), ...path.steps.map((s) => system.view(s.state))]
  const clocks: Array<Record<string, number>> = []
  const latest = new Map<string, Record<string, number>>()
  const lines: string[] = []
  path.steps.forEach((step, i) => {
    const actor = system.causality?.(step.label).actor ?? "system"
    const clock = { ...(latest.get(actor) ?? {}) }
    const sentAt = sentAtStep(system, path, i, views)
    const sender = sentAt !== undefined && sentAt > 0 ? clocks[sentAt - 1] : undefined
    if (sender) for (const [h, c] of Object.entries(sender)) clock[h] = Math.max(clock[h] ?? 0, c)
    clock[actor] = (clock[actor] ?? 0) + 1
    clocks.push(clock)
    latest.set(actor, clock)
    lines.push(step.text.replace(/\n/g, " "), `${actor} ${JSON.stringify(clock)}`)
  })
  return lines.join("\n") + "\n"
}
