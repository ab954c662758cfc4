/**
 * Human-readable traces: each step with the actor that took it, what caused it (for a delivery, the
 * step that sent the message), and only the parts of the state that changed.
 */
import type { Path } from "./result.ts"
import type { TransitionSystem } from "./transition-system.ts"

/** Flattens plain data to path -> rendered leaf, so two views can be compared field by field. */
const flatten = (v: unknown, prefix: string, out: Map<string, string>): Map<string, string> => {
  if (v !== null && typeof v === "object") {
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v)
    if (entries.length === 0) out.set(prefix, Array.isArray(v) ? "[]" : "{}")
    for (const [k, x] of entries) flatten(x, prefix ? `${prefix}.${k}` : k, out)
  } else out.set(prefix, JSON.stringify(v) ?? "undefined")
  return out
}

/** Lines describing what changed from one view to the next. */
export const diffViews = (before: unknown, after: unknown): string[] => {
  const a = flatten(before, "", new Map())
  const b = flatten(after, "", new Map())
  const lines: string[] = []
  // An empty container that gained or lost children is shown by the children alone.
  const hasChildren = (m: Map<string, string>, k: string) => k === "" || [...m.keys()].some((x) => x.startsWith(`${k}.`))
  for (const [k, v] of b) if (a.get(k) !== v && !((v === "[]" || v === "{}") && hasChildren(a, k))) lines.push(a.has(k) ? `${k}: ${a.get(k)} -> ${v}` : `${k}: + ${v}`)
  for (const [k, v] of a) if (!b.has(k) && !((v === "[]" || v === "{}") && hasChildren(b, k))) lines.push(`${k}: - ${v}`)
  return lines
}

/** The index of the step at which a message rendered `msg` first entered the network (0 = initially). */
const sentAt = (views: ReadonlyArray<unknown>, upTo: number, msg: string): number | undefined => {
  for (let i = 0; i <= upTo; i++) {
    const net = (views[i] as { network?: unknown } | null)?.network
    if (Array.isArray(net) && net.includes(msg)) return i
  }
  return undefined
}

export const formatPath = <S, L>(system: TransitionSystem<S, L>, path: Path<S, L>, options: { readonly maxDiffLines?: number } = {}): string => {
  const max = options.maxDiffLines ?? 40
  const views = [system.view(path.initial), ...path.steps.map((s) => system.view(s.state))]
  const out: string[] = [`initial state #${path.initialIndex}`]
  const first = diffViews({}, views[0])
  for (const line of first.slice(0, max)) out.push(`    ${line}`)
  if (first.length > max) out.push(`    ... ${first.length - max} more fields`)
  path.steps.forEach((step, i) => {
    const causal = system.causality?.(step.label)
    let cause = ""
    const m = /^(?:@\S+ )?deliver (.*)$/.exec(step.text)
    if (m) {
      const at = sentAt(views, i, m[1]!)
      if (at !== undefined) cause = at === 0 ? "  (sent initially)" : `  (sent at step ${at})`
    }
    out.push(`${i + 1}. ${causal ? `[${causal.actor}] ` : ""}${step.text}${cause}`)
    const diff = diffViews(views[i], views[i + 1])
    for (const line of diff.slice(0, max)) out.push(`    ${line}`)
    if (diff.length > max) out.push(`    ... ${diff.length - max} more changes`)
  })
  if (path.loop !== undefined)
    out.push(path.loop === path.steps.length ? `(stutters in this state forever)` : `(back to ${path.loop === 0 ? "the initial state" : `the state after step ${path.loop}`}: steps ${path.loop + 1}-${path.steps.length} repeat forever)`)
  return out.join("\n")
}
