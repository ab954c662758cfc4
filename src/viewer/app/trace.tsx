/** The trace viewer page: header with the outcome, the diagram with the steps, and the selected step's details. */
import { render } from "preact"
import { useEffect, useMemo, useState } from "preact/hooks"
import type { TraceData } from "../data.ts"
import { Cursor } from "./cursor.ts"
import { OutcomeBox, StepDetail } from "./details.tsx"
import { Legend, Timeline } from "./timeline.tsx"
import { useStepKeys } from "./keys.ts"

const data = JSON.parse(document.getElementById("data")!.textContent!) as TraceData
const last = data.steps.length

const fromHash = (): number => {
  const m = /step=(\d+)/.exec(location.hash)
  return m ? Math.min(Number(m[1]), last) : 0
}

const App = () => {
  const cursor = useMemo(() => new Cursor(data), [])
  const [step, setStep] = useState(fromHash)
  const select = (s: number) => {
    const to = Math.max(0, Math.min(last, s))
    history.replaceState(null, "", `#step=${to}`)
    setStep(to)
  }
  useEffect(() => {
    const onHash = () => setStep(fromHash())
    addEventListener("hashchange", onHash)
    return () => removeEventListener("hashchange", onHash)
  }, [])
  useStepKeys(step, last, select, data.outcome?.step)
  cursor.moveTo(step)
  const params = Object.entries(data.params).filter(([, v]) => v !== "")
  return (
    <>
      <header class="top">
        <h1>
          {data.model}
          {data.test ? ` · ${data.test}` : ""} <span class={`badge ${data.verdict}`}>{data.verdict}</span>
        </h1>
        <div class="meta">
          {data.title} · {last} steps · {data.nodes.length} lifelines · {data.strategy}
          {data.seed !== undefined ? ` · seed ${data.seed}` : ""}
          {params.length > 0 ? ` · ${params.map(([k, v]) => `${k}=${v}`).join(" ")}` : ""}
          <span class="help">
            {" "}· <kbd>j</kbd>/<kbd>k</kbd> or arrows: next/previous step, <kbd>Home</kbd>/<kbd>End</kbd>, <kbd>f</kbd>: failing step
          </span>
        </div>
        <OutcomeBox data={data} onSelect={select} />
        {data.notes.map((n) => (
          <div class="note">{n}</div>
        ))}
        <Legend />
      </header>
      <main class="split">
        <Timeline data={data} selected={step} onSelect={select} />
        <aside class="detail">
          <StepDetail data={data} cursor={cursor} step={step} onSelect={select} />
        </aside>
      </main>
    </>
  )
}

render(<App />, document.getElementById("app")!)
