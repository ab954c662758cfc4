/** The panels beside the diagram: what the selected step changed, every node's state, the messages in flight. */
import type { TraceData } from "../data.ts"
import { ownerOf } from "../data.ts"
import { useState } from "preact/hooks"
import { type Cursor, inFlightAt, ownersOf, ownerTable, shortPath, shown, type TreeNode, treeOf } from "./cursor.ts"

const MAX_IN_FLIGHT = 200

const Tree = ({ node, hot }: { node: TreeNode; hot: ReadonlySet<number> }) => (
  <ul class="tree">
    {(node.children ?? []).map((c) =>
      c.children ? (
        <li>
          <span class="k">{c.key}</span>
          <Tree node={c} hot={hot} />
        </li>
      ) : (
        <li class={c.path !== undefined && hot.has(c.path) ? "changed" : ""}>
          <span class="k">{c.key}</span>: {c.value}
        </li>
      )
    )}
  </ul>
)

/** Lines of one step's changes, grouped by the node they belong to. */
export const Changes = ({ data, step }: { data: TraceData; step: number }) => {
  const ops = step === 0 ? [] : data.steps[step - 1]!.ops.filter((o) => shown(data, o[0]))
  const s = data.steps[step - 1]
  const taken = s?.msg !== undefined ? data.messages[s.msg] : undefined
  const sent = step === 0 ? [] : data.messages.filter((m) => m.sent === step)
  if (ops.length === 0 && !taken && sent.length === 0) return <div class="muted">{step === 0 ? "the initial state" : "no change"}</div>
  const groups = new Map<string, typeof ops[number][]>()
  for (const op of ops) {
    const o = ownerOf(data.paths[op[0]]!)
    ;(groups.get(o) ?? groups.set(o, []).get(o)!).push(op)
  }
  return (
    <div class="changes">
      {(taken || sent.length > 0) && (
        <div class="change-group" data-node="network">
          <b>network</b>
          <ul class="diff mono">
            {taken && (
              <li>
                {s!.kind === "deliver" ? (s!.dup ? "delivered again" : "delivered") : s!.kind === "drop" ? "dropped" : "lost"}: {taken.from} → {taken.to}: {taken.text}
              </li>
            )}
            {sent.map((m) => (
              <li class="added">
                sent: {m.from} → {m.to}: {m.text}
              </li>
            ))}
          </ul>
        </div>
      )}
      {[...groups].map(([owner, list]) => (
        <div class="change-group" data-node={owner}>
          <b>{owner || "state"}</b>
          <ul class="diff mono">
            {list.map(([p, before, after]) => (
              <li>
                {shortPath(data, p)}:{" "}
                {before === null ? <span class="added">+ {after}</span> : after === null ? <span class="removed">{before}</span> : (
                  <>
                    <span class="removed">{before}</span> → <span class="added">{after}</span>
                  </>
                )}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  )
}

/** One node's state; its tree is built only while the card is open (by default, in systems of up to three). */
const NodeCard = (props: { data: TraceData; cursor: Cursor; owner: string; changed: boolean; down: boolean; few: boolean; hot: ReadonlySet<number> }) => {
  const { data, cursor, owner, changed, down, few, hot } = props
  const [userOpen, setUserOpen] = useState<boolean | undefined>(undefined)
  // Large systems open a card on request only: rebuilding big state trees on every step is what costs.
  const open = userOpen ?? few
  return (
    <details class="node panel" data-node={owner} open={open} onToggle={(e) => setUserOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary class="head">
        {owner || "state"}
        {down && <span class="down">down</span>}
        {changed && <span class="badge warn">changed</span>}
      </summary>
      {open && (
        <div class="body mono">
          <Tree node={treeOf(data, cursor.leaves, owner)} hot={hot} />
        </div>
      )}
    </details>
  )
}

export const NodeStates = ({ data, cursor, step }: { data: TraceData; cursor: Cursor; step: number }) => {
  const ops = step === 0 ? [] : data.steps[step - 1]!.ops.filter((o) => shown(data, o[0]))
  const hot = new Set(ops.map((o) => o[0]))
  const table = ownerTable(data)
  const changedOwners = new Set(ops.map((o) => table[o[0]]!))
  const down = new Set(data.downtimes.filter((d) => d.from <= step && (d.to === undefined || d.to > step)).map((d) => d.node))
  const owners = ownersOf(data)
  return (
    <div class="nodes">
      {owners.map((owner) => (
        <NodeCard key={owner} data={data} cursor={cursor} owner={owner} changed={changedOwners.has(owner)} down={down.has(owner)} few={owners.length <= 3} hot={hot} />
      ))}
    </div>
  )
}

export const InFlight = ({ data, step, onSelect }: { data: TraceData; step: number; onSelect: (s: number) => void }) => {
  const list = inFlightAt(data, step)
  if (list.length === 0) return <div class="muted">none{data.messages.length === 0 ? " (this system shows no messages)" : ""}</div>
  return (
    <ul class="inflight diff mono">
      {list.slice(0, MAX_IN_FLIGHT).map((m) => (
        <li>
          <a href={`#step=${m.sent}`} onClick={(e) => (e.preventDefault(), onSelect(m.sent))} title="go to the step that sent it">
            {m.sent === 0 ? "start" : `#${m.sent}`}
          </a>{" "}
          {m.from} → {m.to}: {m.text}
          {m.deliveries.filter((d) => d <= step).length > 0 && <span class="muted"> (delivered {m.deliveries.filter((d) => d <= step).length}×, still in the network)</span>}
        </li>
      ))}
      {list.length > MAX_IN_FLIGHT && <li class="muted">… and {list.length - MAX_IN_FLIGHT} more</li>}
    </ul>
  )
}

/** The violated property or the goal reached, with the property's explanation. */
export const OutcomeBox = ({ data, onSelect }: { data: TraceData; onSelect: (s: number) => void }) => {
  const o = data.outcome
  const property = o?.property ?? data.property
  if (!property) return null
  const explanation = o?.explanation ?? data.detail
  const step = o?.step ?? data.steps.length
  const violation = o ? o.kind === "violation" : data.verdict === "violation"
  return (
    <div class={`outcome ${violation ? "" : "goal"}`} id="outcome">
      <b>{violation ? "Violated" : "Reached"}: {property}</b> at{" "}
      <a href={`#step=${step}`} onClick={(e) => (e.preventDefault(), onSelect(step))}>
        step {step}
      </a>
      {explanation && <pre>{explanation}</pre>}
    </div>
  )
}

/** Everything about one step: its label, what it changed, the messages in flight, every node's state. */
export const StepDetail = ({ data, cursor, step, onSelect }: { data: TraceData; cursor: Cursor; step: number; onSelect: (s: number) => void }) => {
  const s = data.steps[step - 1]
  return (
    <>
      <div class="panel" id="step">
        <div class="head">
          Step {step}
          {s?.actor !== undefined && <span class="muted">by {s.actor}</span>}
          {s?.time !== undefined && <span class="muted">at time {s.time}</span>}
          {data.outcome?.step === step && <span class={`badge ${data.outcome.kind === "violation" ? "bad" : "good"}`}>{data.outcome.kind === "violation" ? `violates ${data.outcome.property}` : `reaches ${data.outcome.property}`}</span>}
        </div>
        <div class="body mono step-label">{s ? s.label : "initial state"}</div>
      </div>
      <h2>What changed</h2>
      <Changes data={data} step={step} />
      <h2>Messages in flight after this step</h2>
      <InFlight data={data} step={step} onSelect={onSelect} />
      <h2>State of every node</h2>
      <NodeStates data={data} cursor={cursor} step={step} />
    </>
  )
}
