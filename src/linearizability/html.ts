/**
 * A self-contained HTML page (inline SVG and CSS, no scripts, no external assets) that draws a
 * checked history: one row per client, each operation a bar from its call to its return on a time
 * axis (times compressed to their rank, so short and long gaps read alike), its input and output
 * written above it. On a failure the page draws the small failing sub-history and then the failing
 * partition, with the longest linearisable prefix numbered in order, the blocking operation in red
 * and the other candidates in orange.
 */
import type { LinearizabilityResult } from "./check.ts"
import type { History, Operation } from "./history.ts"
import type { AnyModel } from "./model.ts"
import type { DeadEnd } from "./search.ts"
import { COLORS, escapeHtml, STYLE } from "../viewer/style.ts"

type Role = "prefix" | "blocking" | "candidate" | "other"

interface Bar {
  readonly id: number
  readonly op: Operation<unknown, unknown>
  readonly role: Role
  /** Position in the linearisation (prefix or witness), from 1. */
  readonly order?: number
}

/** At most this many operations per drawing. */
const MAX_BARS = 400

const escape = escapeHtml

const FILL: Record<Role, string> = { prefix: "#cfe8cf", blocking: "#f4b6b6", candidate: "#fbd9a8", other: "#e4e4e4" }
const STROKE: Record<Role, string> = { prefix: COLORS.ok, blocking: COLORS.bad, candidate: COLORS.warn, other: "#888" }

const drawHistory = (model: AnyModel, bars: ReadonlyArray<Bar>, w: Vocabulary): string => {
  const times = [...new Set(bars.flatMap(({ op }) => (op.return === null ? [op.call] : [op.call, op.return])))].sort((a, b) => a - b)
  const rank = new Map(times.map((t, i) => [t, i]))
  const clients = [...new Set(bars.map((b) => b.op.client))].sort((a, b) => a - b)
  const row = new Map(clients.map((c, i) => [c, i]))
  const step = Math.round(Math.max(16, Math.min(90, 1400 / Math.max(1, times.length))))
  const left = 90
  const width = left + step * (times.length + 2) + 40
  const rowHeight = 60
  const height = 30 + rowHeight * clients.length
  const x = (t: number) => left + step * rank.get(t)! + step / 2
  const parts: string[] = []
  // Labels go above their bar, or below it when the one above would run into the previous label;
  // when both would, the label starts after the earlier of the two (the bar's tooltip has it all).
  const CHAR = 6.7
  const ends = new Map<number, [number, number]>()
  const place = (client: number, x1: number, label: string): { x: number; below: boolean } => {
    const [above, below] = ends.get(client) ?? [-Infinity, -Infinity]
    const spot = x1 >= above ? 0 : x1 >= below ? 1 : above <= below ? 0 : 1
    const x = Math.max(x1, spot === 0 ? above : below)
    const end = x + label.length * CHAR + 6
    ends.set(client, spot === 0 ? [end, below] : [above, end])
    return { x, below: spot === 1 }
  }
  clients.forEach((c, i) => {
    const y = 20 + rowHeight * i
    parts.push(`<line x1="0" x2="${width}" y1="${y + rowHeight - 6}" y2="${y + rowHeight - 6}" class="grid"/>`)
    parts.push(`<text x="6" y="${y + 30}" class="client">client ${c}</text>`)
  })
  for (const { id, op, role, order } of bars) {
    const y = 20 + rowHeight * row.get(op.client)!
    const x1 = x(op.call)
    const open = op.return === null
    const x2 = open ? width - 20 : Math.max(x(op.return!), x1 + 6)
    const text = model.describe(op.input, op.output)
    const when = `${op.line === undefined ? "" : `line ${op.line}, `}call ${op.call}, return ${open ? "never" : op.return}`
    const label = `${order === undefined ? "" : `#${order} `}${text}${open ? " (never returned)" : ""}`
    const placed = place(op.client, x1, label)
    parts.push(
      `<g><title>${escape(`${w.one} ${id}: ${text} (${when})${role === "blocking" ? `: cannot be ${w.placed}` : ""}`)}</title>` +
        `<rect x="${x1}" y="${y + 18}" width="${x2 - x1}" height="14" rx="3" fill="${FILL[role]}" stroke="${STROKE[role]}" stroke-width="${role === "blocking" ? 2.5 : 1}"${open ? ` stroke-dasharray="4 3"` : ""}/>` +
        `<text x="${placed.x}" y="${placed.below ? y + 45 : y + 13}" class="${role}">${escape(label)}</text></g>`
    )
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join("")}</svg>`
}

const barsOf = (history: History<unknown, unknown>, ids: ReadonlyArray<number>, deadEnd: DeadEnd | undefined, order?: ReadonlyArray<number>): Bar[] => {
  const position = new Map((deadEnd?.prefix ?? order ?? []).map((id, i) => [id, i + 1]))
  const candidates = new Set(deadEnd?.candidates)
  const roleOf = (id: number): Role =>
    id === deadEnd?.blocking ? "blocking" : candidates.has(id) ? "candidate" : deadEnd && position.has(id) ? "prefix" : "other"
  // Long histories: keep the operations called last before the blocking return (or the first ones).
  const end = deadEnd ? history[deadEnd.blocking]!.return ?? Infinity : Infinity
  const shown = ids.filter((id) => history[id]!.call <= end)
  const window = deadEnd ? shown.slice(-MAX_BARS) : shown.slice(0, MAX_BARS)
  return window.map((id) => {
    const at = position.get(id)
    return { id, op: history[id]!, role: roleOf(id), ...(at === undefined ? {} : { order: at }) }
  })
}

const list = (model: AnyModel, history: History<unknown, unknown>, ids: ReadonlyArray<number>, w: Vocabulary) =>
  `<ol>${ids.map((id) => `<li>${escape(model.describe(history[id]!.input, history[id]!.output))} <span class="meta">(client ${history[id]!.client}, ${w.one} ${id})</span></li>`).join("")}</ol>`

/** The words of the page: linearizability of operations, or strict serializability of transactions. */
export interface Vocabulary {
  readonly verdict: string
  readonly ok: string
  /** As in "the longest linearisable prefix". */
  readonly able: string
  readonly order: string
  readonly placed: string
  readonly operations: string
  /** One of them, as in "op 3". */
  readonly one: string
  readonly partition: string
}

export const LINEARIZABILITY: Vocabulary = { verdict: "", ok: "linearizable", able: "linearisable", order: "linearisation", placed: "linearised", operations: "operations", one: "op", partition: "partition" }

export const STRICT_SERIALIZABILITY: Vocabulary = {
  verdict: "strictly-serializable",
  ok: "strictly serializable",
  able: "serializable",
  order: "serialisation",
  placed: "serialised",
  operations: "transactions",
  one: "transaction",
  partition: "component",
}

export interface HtmlInput {
  readonly title: string
  readonly model: AnyModel
  readonly history: History<unknown, unknown>
  readonly result: LinearizabilityResult
  /** Default LINEARIZABILITY. */
  readonly words?: Vocabulary
}

export const renderHtml = ({ title, model, history, result, words = LINEARIZABILITY }: HtmlInput): string => {
  const w = words
  const verdict = w.verdict === "" || result.verdict === "unknown" ? result.verdict : result.verdict === "linearizable" ? w.verdict : `not-${w.verdict}`
  const sections: string[] = []
  const { failure } = result
  if (failure) {
    const partition = failure.partition === "" ? "" : ` in ${w.partition} ${escape(JSON.stringify(failure.partition))}`
    sections.push(
      `<h2>Violation${partition}</h2>` +
        `<p>No order of these ${w.operations} is a legal sequential execution within their real-time bounds. ` +
        `The longest ${w.able} prefix found has ${failure.prefix.length} ${w.operations} and leaves the state ${escape(failure.stateText)}; ` +
        `then <b class="blocking">${escape(model.describe(history[failure.blocking]!.input, history[failure.blocking]!.output))}</b> ` +
        `(client ${history[failure.blocking]!.client}, ${w.one} ${failure.blocking}) cannot be ${w.placed} before it returns: ` +
        `no candidate (in orange) can go next.</p>`
    )
    const sub = failure.subHistory
    if (sub) {
      const bars = barsOf(sub.operations, sub.operations.map((_, i) => i), sub.deadEnd).map((b) => ({ ...b, id: sub.origin[b.id]! }))
      sections.push(
        `<h2>${sub.exhaustive ? "Smallest" : "Small"} failing sub-history (${sub.operations.length} of ${failure.operations.length} ${w.operations})</h2>` +
          `<p>Not ${w.ok} on its own${sub.exhaustive ? ", and no smaller subset of it fails" : ""}; ${w.operations} still running at the cut are shown as never returned${sub.operations.some((op) => op.output === null && op.return !== null) ? ", results that do not matter as ?" : ""}. Blocking: ` +
          `<b class="blocking">${escape(model.describe(sub.operations[sub.deadEnd.blocking]!.input, sub.operations[sub.deadEnd.blocking]!.output))}</b>.</p>` +
          drawHistory(model, bars, w)
      )
    }
    sections.push(`<h2>Failing ${w.partition} (${failure.operations.length} ${w.operations})</h2>` + drawHistory(model, barsOf(history, failure.operations, failure), w))
    sections.push(`<h3>Longest ${w.able} prefix</h3>${list(model, history, failure.prefix, w)}`)
  } else if (result.witness) {
    let budget = MAX_BARS
    for (const { partition, order } of result.witness) {
      if (budget <= 0) break
      const ids = [...order].sort((a, b) => history[a]!.call - history[b]!.call).slice(0, budget)
      budget -= ids.length
      sections.push(`<h2>${w.partition[0]!.toUpperCase()}${w.partition.slice(1)} ${escape(JSON.stringify(partition))}: ${w.ok}</h2><p>Numbers give a ${w.order} order.</p>` + drawHistory(model, barsOf(history, ids, undefined, order), w))
    }
  } else sections.push(`<p>The check was inconclusive: ${escape(result.reason ?? "")}.</p>`)

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>${STYLE}
body { margin: 24px }
svg { display: block; margin: 8px 0 24px; font: 11px ui-monospace, monospace; overflow: visible }
.grid { stroke: #eee } .client { font-weight: bold; fill: #555 }
.blocking { color: #c0392b; fill: #c0392b; font-weight: bold } .candidate { fill: #a0600a } .prefix { fill: #2d662d } .other { fill: #444 }
.meta { color: #888 } .verdict-not-linearizable, .verdict-not-strictly-serializable { color: #c0392b } .verdict-linearizable, .verdict-strictly-serializable { color: #2d662d }
</style></head><body>
<h1>${escape(title)}</h1>
<p class="verdict-${verdict}"><b>${verdict}</b> against the ${escape(model.name)} model: ${result.operations} ${w.operations}, ${result.partitions} ${w.partition}(s), ${result.steps} search steps, ${result.seconds.toFixed(3)} s.</p>
${sections.join("\n")}
</body></html>
`
}
