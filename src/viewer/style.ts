/**
 * The one look of every tla-ts page (trace viewer, explorer, linearizability and serializability
 * pages): colours as CSS variables, the page frame, badges, panels, lists and state trees.
 */

/** Text safe inside HTML elements and attribute values. */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** Colours shared by stylesheets and inline SVG. */
export const COLORS = {
  ink: "#1d2330",
  muted: "#6b7385",
  line: "#d5d9e2",
  panel: "#f6f7fa",
  accent: "#2f6fd6",
  ok: "#2e8540",
  bad: "#c0392b",
  warn: "#d68910",
  client: "#1f9e89",
  timer: "#8e44ad",
  partition: "#7d5ba6",
} as const

export const STYLE = `
:root { --ink: ${COLORS.ink}; --muted: ${COLORS.muted}; --line: ${COLORS.line}; --panel: ${COLORS.panel};
  --accent: ${COLORS.accent}; --ok: ${COLORS.ok}; --bad: ${COLORS.bad}; --warn: ${COLORS.warn};
  --client: ${COLORS.client}; --timer: ${COLORS.timer}; --partition: ${COLORS.partition}; }
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fff; }
code, pre, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
h1 { font-size: 17px; margin: 0; font-weight: 600; }
h2 { font-size: 13px; margin: 12px 0 6px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); font-weight: 600; }
a { color: var(--accent); }
header.top { padding: 10px 16px; border-bottom: 1px solid var(--line); background: var(--panel); }
header.top .meta { color: var(--muted); margin-top: 2px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; background: var(--muted); vertical-align: 1px; }
.badge.violation, .badge.bad { background: var(--bad); }
.badge.goal-found, .badge.ok, .badge.good { background: var(--ok); }
.badge.warn, .badge.goal-not-found, .badge.budget-exhausted { background: var(--warn); }
.outcome { margin-top: 8px; padding: 8px 10px; border-left: 4px solid var(--bad); background: #fdf0ee; }
.outcome.goal { border-color: var(--ok); background: #eef7ef; }
.outcome pre { margin: 4px 0 0; white-space: pre-wrap; }
.note { margin-top: 6px; padding: 6px 10px; background: #fff6e0; border-left: 4px solid var(--warn); }
button { font: inherit; padding: 3px 10px; border: 1px solid var(--line); border-radius: 4px; background: #fff; cursor: pointer; color: var(--ink); }
button:hover { border-color: var(--accent); }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button:disabled { opacity: .5; cursor: default; }
input[type=number] { width: 90px; font: inherit; }
.panel { border: 1px solid var(--line); border-radius: 6px; background: #fff; margin-bottom: 10px; }
.panel > .head { padding: 5px 10px; background: var(--panel); border-bottom: 1px solid var(--line); font-weight: 600; display: flex; gap: 8px; align-items: center; }
.panel > .body { padding: 6px 10px; }
.muted { color: var(--muted); }
.changed { background: #fff1b8; }
.added { color: var(--ok); }
.removed { color: var(--bad); text-decoration: line-through; }
.tree { margin: 0; padding: 0; list-style: none; }
.tree .tree { padding-left: 14px; border-left: 1px dotted var(--line); }
.tree li { white-space: pre-wrap; word-break: break-all; }
.tree .k { color: #7a4a9c; }
.diff li { white-space: pre-wrap; word-break: break-all; }
.down { color: var(--bad); font-weight: 600; }
.legend { display: flex; flex-wrap: wrap; gap: 12px; color: var(--muted); margin-top: 4px; font-size: 12px; }
.legend span { display: inline-flex; gap: 4px; align-items: center; }
kbd { border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 3px; padding: 0 4px; font-size: 11px; }
`

/** Layout of the trace viewer and the explorer: a diagram-and-steps scroller beside the detail panels. */
export const LAYOUT = `
body { display: flex; flex-direction: column; height: 100vh; }
#app { display: flex; flex-direction: column; flex: 1; min-height: 0; }
main.split { display: flex; flex: 1; min-height: 0; }
.timeline { flex: 1 1 auto; min-width: 0; display: flex; flex-direction: column; border-right: 1px solid var(--line); }
.lifelines { position: relative; height: 92px; flex: none; border-bottom: 1px solid var(--line); background: var(--panel); min-width: 100%; }
.lifeline-name { position: absolute; bottom: 4px; height: 84px; font-size: 12px; writing-mode: vertical-rl; transform: rotate(180deg); text-align: left; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-weight: 600; line-height: 1; display: flex; align-items: center; }
.lifeline-name.client { color: var(--client); }
.lifeline-name.sub { font-weight: 400; color: var(--muted); }
.steps-head { position: absolute; bottom: 6px; color: var(--muted); }
.scroller { flex: 1; overflow: auto; position: relative; }
.canvas { position: relative; }
.diagram { position: absolute; left: 0; }
.labels { position: absolute; right: 0; }
.row { position: absolute; left: 0; right: 0; display: flex; gap: 6px; align-items: center; padding: 0 8px; white-space: nowrap; cursor: pointer; border-bottom: 1px solid #f0f1f5; }
.row:hover { background: #f2f5fb; }
.row.selected { background: #dde8fb; }
.row.failing { background: #fbe3e0; }
.row.reached { background: #e3f3e5; }
.row.selected.failing, .row.selected.reached { box-shadow: inset 3px 0 0 var(--accent); }
.row .num { color: var(--muted); min-width: 34px; text-align: right; font-variant-numeric: tabular-nums; }
.row .time { color: var(--timer); font-variant-numeric: tabular-nums; }
.row .actor { font-weight: 600; }
.row .actor.client { color: var(--client); }
.row .label { overflow: hidden; text-overflow: ellipsis; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 12px; }
.row .label.k-crash, .row .label.k-drop, .row .label.k-lost { color: var(--bad); }
.row .label.k-restart { color: var(--ok); }
.row .label.k-partition, .row .label.k-heal { color: var(--partition); }
.row .cause { color: var(--muted); font-size: 11px; }
aside.detail { flex: 0 0 40%; min-width: 320px; max-width: 640px; overflow: auto; padding: 8px 12px; }
.step-label { white-space: pre-wrap; word-break: break-all; }
.change-group { margin-bottom: 6px; }
.diff { margin: 2px 0; padding-left: 16px; }
details.node > summary { cursor: pointer; }
.help { color: var(--muted); font-size: 12px; }
.toolbar { display: flex; gap: 8px; align-items: center; margin-top: 6px; flex-wrap: wrap; }
.toolbar label.file input { font-size: 12px; }
.events { display: flex; flex-direction: column; gap: 3px; max-height: 300px; overflow: auto; }
.events button.event { flex: none; text-align: left; display: flex; gap: 6px; align-items: baseline; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.events button.event .mono { overflow: hidden; text-overflow: ellipsis; }
.events button.violates { border-color: var(--bad); }
.events .icon { width: 16px; text-align: center; }
.panel > .head input[type=search] { margin-left: auto; font: inherit; font-weight: 400; }
table.props { border-collapse: collapse; width: 100%; }
table.props td { padding: 2px 6px; border-bottom: 1px solid #f0f1f5; vertical-align: top; }
table.props td.mono { word-break: break-all; white-space: pre-wrap; }
table.props tr.violated td:first-child { color: var(--bad); font-weight: 600; }
.progress { margin-top: 6px; }
.progress pre { white-space: pre-wrap; }
ul.branches { list-style: none; margin: 0; padding: 0; max-height: 220px; overflow: auto; }
ul.branches li { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
ul.branches li.on-path a { font-weight: 600; }
ul.branches li.current { background: #dde8fb; }
`
