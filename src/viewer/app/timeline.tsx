/**
 * The sequence diagram and the step list in one virtualised scroller: one row per step (row 0 is the
 * initial state), one lifeline per node; only the rows in view (and a margin) are drawn, so a run of
 * 10,000 steps scrolls as lightly as one of ten.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks"
import type { TraceData } from "../data.ts"
import { rootOf } from "../data.ts"

export const ROW = 22
/** Preact 11 no longer adds "px" to numeric styles. */
const px = (n: number) => `${n}px`
const MARGIN = 12

interface Segment {
  readonly msg: number
  readonly x1: number
  readonly r1: number
  readonly x2: number
  readonly r2: number
  readonly kind: "msg" | "dup" | "drop" | "vanish"
  readonly client: boolean
}

const isClient = (a: string) => /^client/i.test(rootOf(a))

export const columnWidth = (n: number) => (n <= 6 ? 60 : n <= 10 ? 46 : n <= 14 ? 34 : 24)

const segmentsOf = (data: TraceData, col: (a: string) => number): Segment[] => {
  const out: Segment[] = []
  data.messages.forEach((m, i) => {
    const x1 = col(m.from)
    const x2 = col(m.to)
    if (x1 < 0 || x2 < 0) return
    const client = isClient(m.from) || isClient(m.to)
    m.deliveries.forEach((d, k) => out.push({ msg: i, x1, r1: m.sent, x2, r2: d, kind: k === 0 ? "msg" : "dup", client }))
    if (m.end !== undefined && m.endKind !== "delivered")
      out.push({ msg: i, x1, r1: m.sent, x2: (x1 + x2) / 2, r2: m.end, kind: m.endKind === "vanished" ? "vanish" : "drop", client })
  })
  return out
}

const STROKE = { msg: "#2f6fd6", dup: "#d68910", drop: "#c0392b", vanish: "#9aa1ad" } as const

export interface TimelineProps {
  readonly data: TraceData
  readonly selected: number
  readonly onSelect: (step: number) => void
  /** Double-click on a row (the explorer goes back to that step). */
  readonly onOpen?: (step: number) => void
}

export const Timeline = ({ data, selected, onSelect, onOpen }: TimelineProps) => {
  const scroller = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [height, setHeight] = useState(600)
  const W = columnWidth(data.nodes.length)
  const D = data.nodes.length * W + 8
  const index = useMemo(() => new Map(data.nodes.map((n, i) => [n, i])), [data])
  const col = (a: string) => {
    const i = index.get(a)
    return i === undefined ? -1 : 4 + i * W + W / 2
  }
  const segments = useMemo(() => segmentsOf(data, col), [data, W])
  const rows = data.steps.length + 1
  const failing = data.outcome?.step

  useEffect(() => {
    const el = scroller.current!
    const measure = () => setHeight(el.clientHeight)
    measure()
    const ro = new ResizeObserver(measure)
    ro.observe(el)
    return () => ro.disconnect()
  }, [])
  // Keep the selected row in view.
  useEffect(() => {
    const el = scroller.current!
    const top = selected * ROW
    if (top < el.scrollTop) el.scrollTop = Math.max(0, top - ROW * 2)
    else if (top + ROW > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW * 3 - el.clientHeight
  }, [selected, data])

  const first = Math.max(0, Math.floor(scrollTop / ROW) - MARGIN)
  const last = Math.min(rows - 1, Math.ceil((scrollTop + height) / ROW) + MARGIN)
  const y = (r: number) => (r - first) * ROW + ROW / 2
  const sel = data.steps[selected - 1]
  const hot = new Set<number>()
  if (sel?.msg !== undefined) hot.add(sel.msg)
  data.messages.forEach((m, i) => m.sent === selected && selected > 0 && hot.add(i))

  const svg: preact.JSX.Element[] = []
  for (const p of data.partitions) {
    const to = p.to ?? rows - 1
    if (p.from > last || to < first) continue
    p.groups.forEach((g, gi) => {
      if (gi === 0) return
      for (const a of g) {
        const x = col(a)
        if (x >= 0)
          svg.push(<rect x={x - W / 2} y={y(Math.max(p.from, first)) - ROW / 2} width={W} height={(Math.min(to, last) - Math.max(p.from, first) + 1) * ROW} fill={gi % 2 ? "#efe7f7" : "#fdf1e1"} />)
      }
    })
  }
  if (selected >= first && selected <= last) svg.push(<rect x={0} y={y(selected) - ROW / 2} width={D} height={ROW} fill="#dde8fb" />)
  if (failing !== undefined && failing >= first && failing <= last && failing !== selected)
    svg.push(<rect x={0} y={y(failing) - ROW / 2} width={D} height={ROW} fill={data.outcome!.kind === "violation" ? "#fbe3e0" : "#e3f3e5"} />)
  data.nodes.forEach((n) => {
    const x = col(n)
    svg.push(<line x1={x} x2={x} y1={0} y2={(last - first + 1) * ROW} stroke={n.includes("/") ? "#e4e7ee" : "#cfd4de"} stroke-width={n.includes("/") ? 1 : 1.5} />)
  })
  for (const d of data.downtimes) {
    const to = d.to ?? rows - 1
    if (d.from > last || to < first) continue
    const x = col(d.node)
    svg.push(<line class="downtime" x1={x} x2={x} y1={y(Math.max(d.from, first))} y2={y(Math.min(to, last))} stroke="#c0392b" stroke-width={3} stroke-dasharray="2 4" opacity={0.6} />)
  }
  for (const s of segments) {
    if (s.r1 > last || s.r2 < first) continue
    const isHot = hot.has(s.msg)
    svg.push(
      <line
        class={`msg k-${s.kind}`}
        x1={s.x1}
        y1={y(s.r1)}
        x2={s.x2}
        y2={y(s.r2)}
        stroke={s.kind === "msg" && s.client ? "#1f9e89" : STROKE[s.kind]}
        stroke-width={isHot ? 2.5 : 1}
        stroke-dasharray={s.kind === "dup" ? "5 3" : s.kind === "vanish" ? "2 3" : undefined}
        opacity={isHot ? 1 : 0.75}
        marker-end={s.kind === "msg" || s.kind === "dup" ? "url(#arrow)" : undefined}
      />
    )
    if (s.kind === "drop" && s.r2 >= first && s.r2 <= last) svg.push(<Cross x={s.x2} y={y(s.r2)} r={4} color="#c0392b" />)
  }
  for (const t of data.timers) {
    if (t.set > 0 && t.set >= first && t.set <= last) {
      const x = col(t.node)
      if (x >= 0) svg.push(<circle class="timer-set" cx={x + 7} cy={y(t.set)} r={3} fill="#fff" stroke="#8e44ad" />)
    }
  }
  for (let r = Math.max(1, first); r <= last; r++) {
    const s = data.steps[r - 1]!
    if (s.kind === "partition" || s.kind === "heal") {
      svg.push(<line class={s.kind} x1={0} x2={D} y1={y(r)} y2={y(r)} stroke="#7d5ba6" stroke-width={2} stroke-dasharray={s.kind === "heal" ? "6 3" : undefined} />)
      continue
    }
    const x = s.actor !== undefined ? col(s.actor) : -1
    if (x < 0) continue
    const cy = y(r)
    if (s.kind === "deliver") svg.push(<circle cx={x} cy={cy} r={3} fill={s.dup ? "#d68910" : "#2f6fd6"} />)
    else if (s.kind === "timer") svg.push(<Clock x={x} y={cy} />)
    else if (s.kind === "crash") svg.push(<Cross x={x} y={cy} r={6} color="#c0392b" width={3} />)
    else if (s.kind === "restart") svg.push(<path class="restart" d={`M${x - 6} ${cy + 5} L${x} ${cy - 6} L${x + 6} ${cy + 5} Z`} fill="#2e8540" />)
    else if (s.kind === "drop" || s.kind === "lost") continue // drawn where its arrow stops
    else svg.push(<circle cx={x} cy={cy} r={4.5} fill="#1d2330" />)
  }

  const labels: preact.JSX.Element[] = []
  for (let r = first; r <= last; r++) {
    const s = data.steps[r - 1]
    const m = s?.msg !== undefined ? data.messages[s.msg] : undefined
    const cls = ["row", r === selected ? "selected" : "", r === failing ? (data.outcome!.kind === "violation" ? "failing" : "reached") : ""].join(" ")
    labels.push(
      <div class={cls} data-step={r} style={{ top: px(r * ROW), height: px(ROW) }} onClick={() => onSelect(r)} onDblClick={() => onOpen?.(r)} title={s?.label ?? "initial state"}>
        <span class="num">{r}</span>
        {s?.time !== undefined && <span class="time">@{s.time}</span>}
        {s?.actor !== undefined && <span class={`actor ${isClient(s.actor) ? "client" : ""}`}>{s.actor}</span>}
        <span class={`label k-${s?.kind ?? "init"}`}>{s ? s.label.replace(/^@\S+ /, "") : "initial state"}</span>
        {m && s?.kind === "deliver" && <span class="cause">{s.dup ? "duplicate, " : ""}sent at {m.sent === 0 ? "start" : `step ${m.sent}`}</span>}
      </div>
    )
  }

  return (
    <div class="timeline">
      <div class="lifelines" style={{ width: px(D) }}>
        {data.nodes.map((n, i) => {
          const sub = n.includes("/")
          return (
            <div class={`lifeline-name ${isClient(n) ? "client" : ""} ${sub ? "sub" : ""}`} style={{ left: px(4 + i * W), width: px(W) }} title={n}>
              {sub ? n.slice(n.indexOf("/")) : n}
            </div>
          )
        })}
        <div class="steps-head" style={{ left: px(D + 8) }}>
          step {selected} of {rows - 1}
        </div>
      </div>
      <div class="scroller" ref={scroller} onScroll={(e) => setScrollTop((e.currentTarget as HTMLDivElement).scrollTop)}>
        <div class="canvas" style={{ height: px(rows * ROW), minWidth: px(D + 360) }}>
          <svg class="diagram" width={D} height={(last - first + 1) * ROW} style={{ top: px(first * ROW) }}>
            <defs>
              <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                <path d="M0 0 L10 5 L0 10 z" fill="context-stroke" />
              </marker>
            </defs>
            {svg}
          </svg>
          <div class="labels" style={{ left: px(D) }}>
            {labels}
          </div>
        </div>
      </div>
    </div>
  )
}

const Cross = ({ x, y, r, color, width = 2 }: { x: number; y: number; r: number; color: string; width?: number }) => (
  <g class="cross" stroke={color} stroke-width={width}>
    <line x1={x - r} y1={y - r} x2={x + r} y2={y + r} />
    <line x1={x - r} y1={y + r} x2={x + r} y2={y - r} />
  </g>
)

const Clock = ({ x, y }: { x: number; y: number }) => (
  <g class="clock" stroke="#8e44ad" stroke-width={1.5} fill="#fff">
    <circle cx={x} cy={y} r={6} />
    <path d={`M${x} ${y - 4} L${x} ${y} L${x + 3} ${y + 1}`} fill="none" />
  </g>
)

/** The legend of the diagram's marks. */
export const Legend = () => (
  <div class="legend">
    <span><svg width="26" height="10"><line x1="0" y1="5" x2="24" y2="5" stroke="#2f6fd6" /></svg>message</span>
    <span><svg width="26" height="10"><line x1="0" y1="5" x2="24" y2="5" stroke="#1f9e89" /></svg>to/from a client</span>
    <span><svg width="26" height="10"><line x1="0" y1="5" x2="24" y2="5" stroke="#d68910" stroke-dasharray="5 3" /></svg>duplicate delivery</span>
    <span><svg width="14" height="14"><Cross x={7} y={7} r={4} color="#c0392b" /></svg>dropped / lost</span>
    <span><svg width="16" height="16"><Clock x={8} y={8} /></svg>timer fired</span>
    <span><svg width="10" height="10"><circle cx="5" cy="5" r="3" fill="#fff" stroke="#8e44ad" /></svg>timer set</span>
    <span><svg width="16" height="16"><Cross x={8} y={8} r={6} color="#c0392b" width={3} /></svg>crash</span>
    <span><svg width="14" height="14"><path d="M1 12 L7 1 L13 12 Z" fill="#2e8540" /></svg>restart</span>
    <span><svg width="26" height="10"><line x1="0" y1="5" x2="24" y2="5" stroke="#c0392b" stroke-width="3" stroke-dasharray="2 4" opacity="0.6" /></svg>node down</span>
    <span><svg width="26" height="10"><line x1="0" y1="5" x2="24" y2="5" stroke="#7d5ba6" stroke-width="2" /></svg>partition (its sides shaded apart)</span>
  </div>
)
