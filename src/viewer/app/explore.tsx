/**
 * The state-space explorer page: the current path (initial state and event labels, kept in the URL)
 * drawn as a trace; the events enabled at its end, taken by a click; the status of every property;
 * a bounded search from here; the tree of branches explored; trace files opened and saved.
 */
import { render } from "preact"
import { useEffect, useMemo, useState } from "preact/hooks"
import type { CheckOutcome, JobStatus } from "../check-job.ts"
import type { ExploreData } from "../explore-server.ts"
import type { PathView } from "../session.ts"
import { Cursor } from "./cursor.ts"
import { StepDetail } from "./details.tsx"
import { Legend, Timeline } from "./timeline.tsx"
import { useStepKeys } from "./keys.ts"

const boot = JSON.parse(document.getElementById("data")!.textContent!) as ExploreData

interface Where {
  readonly initial: number
  readonly labels: ReadonlyArray<string>
}

const fromHash = (): Where => {
  const q = new URLSearchParams(location.hash.slice(1))
  let labels: string[] = []
  try {
    const p: unknown = JSON.parse(q.get("path") ?? "[]")
    if (Array.isArray(p)) labels = p.filter((x): x is string => typeof x === "string")
  } catch {
    labels = []
  }
  return { initial: Number(q.get("init") ?? 0) || 0, labels }
}
const toHash = (w: Where) => `#init=${w.initial}&path=${encodeURIComponent(JSON.stringify(w.labels))}`

const api = async <T,>(method: string, path: string, body?: unknown): Promise<T> => {
  const r = await fetch(path, { method, headers: { "content-type": "application/json" }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
  const j = (await r.json()) as T & { error?: string }
  if (!r.ok) throw new Error(j.error ?? `HTTP ${r.status}`)
  return j
}

/** Explored branches: a trie of labels, one per initial state. */
interface Branch {
  readonly label: string
  readonly children: Branch[]
}
const remember = (roots: Branch[], w: Where): Branch[] => {
  const out = roots.slice()
  const key = `init ${w.initial}`
  let node: Branch | undefined = out.find((b) => b.label === key)
  if (!node) out.push((node = { label: key, children: [] }))
  for (const l of w.labels) {
    let child: Branch | undefined = node.children.find((c) => c.label === l)
    if (!child) node.children.push((child = { label: l, children: [] }))
    node = child
  }
  return out
}

const Tree = ({ branch, prefix, at, go, depth }: { branch: Branch; prefix: Where; at: Where; go: (w: Where) => void; depth: number }) => {
  const here = prefix.initial === at.initial && prefix.labels.length <= at.labels.length && prefix.labels.every((l, i) => at.labels[i] === l)
  const current = here && prefix.labels.length === at.labels.length
  // A chain without branching stays at one indentation, so long paths do not march off to the right.
  const items: preact.JSX.Element[] = []
  branch.children.forEach((c) => {
    const next = { initial: prefix.initial, labels: [...prefix.labels, c.label] }
    items.push(<Tree branch={c} prefix={next} at={at} go={go} depth={branch.children.length > 1 ? depth + 1 : depth} />)
  })
  return (
    <>
      <li style={{ paddingLeft: `${depth * 12}px` }} class={`${current ? "current" : here ? "on-path" : ""}`}>
        <a href={toHash(prefix)} onClick={(e) => (e.preventDefault(), go(prefix))} title={branch.label}>
          {prefix.labels.length > 0 ? `${prefix.labels.length}. ` : ""}
          {branch.label}
        </a>
      </li>
      {items}
    </>
  )
}

const KIND_ICON: Record<string, string> = { deliver: "✉", drop: "✗", lost: "✗", timer: "⏰", crash: "☠", restart: "↻", partition: "⧸", heal: "∪", step: "→" }

const App = () => {
  const [where, setWhere] = useState<Where>(fromHash)
  const [view, setView] = useState<PathView | undefined>()
  const [error, setError] = useState<string | undefined>()
  const [tree, setTree] = useState<Branch[]>([])
  const [selected, setSelected] = useState(0)
  const [job, setJob] = useState<JobStatus | undefined>()
  const [maxStates, setMaxStates] = useState(100000)
  const [maxDepth, setMaxDepth] = useState(30)
  const [filter, setFilter] = useState("")

  const go = (w: Where) => {
    location.hash = toHash(w)
  }
  useEffect(() => {
    const onHash = () => setWhere(fromHash())
    addEventListener("hashchange", onHash)
    return () => removeEventListener("hashchange", onHash)
  }, [])
  useEffect(() => {
    let live = true
    // A finished check's result belongs to the state it started from.
    setJob((j) => (j?.running ? j : undefined))
    api<PathView>("POST", "/api/path", where)
      .then((v) => {
        if (!live) return
        setView(v)
        setError(v.error ? `The path does not replay: ${v.error}. Shown up to the last step that does.` : undefined)
        const shown = { initial: where.initial, labels: where.labels.slice(0, v.trace.steps.length) }
        setTree((t) => remember(t, shown))
        setSelected(v.trace.steps.length)
      })
      .catch((e: Error) => live && setError(e.message))
    return () => {
      live = false
    }
  }, [where])
  // Poll a running check.
  useEffect(() => {
    if (!job?.running) return
    const t = setInterval(() => void api<JobStatus>("GET", "/api/check").then(setJob), 400)
    return () => clearInterval(t)
  }, [job?.running])

  const cursor = useMemo(() => (view ? new Cursor(view.trace) : undefined), [view])
  const last = view?.trace.steps.length ?? 0
  useStepKeys(selected, last, setSelected)
  if (!view || !cursor) return <div class="muted" style={{ padding: "16px" }}>{error ?? "loading…"}</div>
  cursor.moveTo(selected)

  const take = (label: string) => go({ initial: where.initial, labels: [...where.labels.slice(0, last), label] })
  const back = () => go({ initial: where.initial, labels: where.labels.slice(0, Math.max(0, last - 1)) })
  const check = () =>
    api<JobStatus>("POST", "/api/check", { ...where, labels: where.labels.slice(0, last), maxStates, maxDepth, strategy: "bfs" })
      .then(setJob)
      .catch((e: Error) => setError(e.message))
  const found = (r: CheckOutcome) => go({ initial: where.initial, labels: [...where.labels.slice(0, last), ...(r.labels ?? [])] })
  const save = async () => {
    try {
      const trace = await api<unknown>("POST", "/api/save", { ...where, labels: where.labels.slice(0, last) })
      const a = document.createElement("a")
      a.href = URL.createObjectURL(new Blob([JSON.stringify(trace, null, 1) + "\n"], { type: "application/json" }))
      a.download = `${boot.ref.model}${boot.ref.test ? `-${boot.ref.test}` : ""}-explored.trace.json`
      a.click()
    } catch (e) {
      setError((e as Error).message)
    }
  }
  const openTrace = async (file: File | undefined) => {
    if (!file) return
    try {
      const r = await api<Where & { note?: string }>("POST", "/api/open", { text: await file.text() })
      go({ initial: r.initial, labels: r.labels })
      if (r.note) setError(r.note)
    } catch (e) {
      setError(`cannot open ${file.name}: ${(e as Error).message}`)
    }
  }
  const enabled = view.enabled.filter((e) => e.label.toLowerCase().includes(filter.toLowerCase()))
  const params = Object.entries(boot.ref.params).filter(([, v]) => v !== "")
  return (
    <>
      <header class="top">
        <h1>
          explore {boot.ref.model}
          {boot.ref.test ? ` · ${boot.ref.test}` : ""}
        </h1>
        <div class="meta">
          seed {boot.ref.seed}
          {params.length > 0 ? ` · ${params.map(([k, v]) => `${k}=${v}`).join(" ")}` : ""} · path of {last} steps · click a step to look at it, double-click to go back there
        </div>
        <div class="toolbar">
          <button id="back" onClick={back} disabled={last === 0}>
            ◀ back one step
          </button>
          {view.initials > 1 && (
            <label>
              initial state{" "}
              <select id="initial" value={where.initial} onChange={(e) => go({ initial: Number((e.target as HTMLSelectElement).value), labels: [] })}>
                {Array.from({ length: view.initials }, (_, i) => (
                  <option value={i}>#{i}</option>
                ))}
              </select>
            </label>
          )}
          <label class="file">
            open trace… <input id="open" type="file" accept=".json,application/json" onChange={(e) => void openTrace((e.target as HTMLInputElement).files?.[0])} />
          </label>
          {selected < last && (
            <button id="go-back" class="primary" onClick={() => go({ initial: where.initial, labels: where.labels.slice(0, selected) })}>
              continue from step {selected}
            </button>
          )}
          <button id="save" onClick={() => void save()}>
            save path as trace
          </button>
        </div>
        {error && <div class="note" id="error">{error}</div>}
        <Legend />
      </header>
      <main class="split">
        <Timeline data={view.trace} selected={selected} onSelect={setSelected} onOpen={(s) => go({ initial: where.initial, labels: where.labels.slice(0, s) })} />
        <aside class="detail">
          <div class="panel" id="enabled">
            <div class="head">
              Enabled events at step {last} ({view.enabled.length})
              <input type="search" placeholder="filter" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
            </div>
            <div class="body events">
              {view.enabled.length === 0 && <div class="muted">none: the system is stuck or finished here</div>}
              {enabled.map((e) => (
                <button class={`event k-${e.kind} ${e.violates ? "violates" : ""}`} onClick={() => take(e.label)} title={e.violates ? `leads to a state that violates ${e.violates}` : "take this event"}>
                  <span class="icon">{KIND_ICON[e.kind] ?? "→"}</span>
                  {e.actor && <b>{e.actor}</b>} <span class="mono">{e.label}</span>
                  {e.violates && <span class="badge bad">→ {e.violates}</span>}
                </button>
              ))}
            </div>
          </div>
          <div class="panel" id="properties">
            <div class="head">Properties at step {last}</div>
            <div class="body">
              <table class="props">
                {view.properties.map((p) => (
                  <tr class={p.status}>
                    <td>{p.name}</td>
                    <td class="muted">{p.kind}</td>
                    <td>
                      <span class={`badge ${p.status === "holds" ? "good" : p.status === "violated" ? "bad" : "warn"}`}>{p.status === "met" ? (p.kind === "goal" ? "reached" : "pruned") : p.status === "violated" ? "violated" : p.kind === "goal" ? "not reached" : p.kind === "prune" ? "not pruned" : "holds"}</span>
                    </td>
                    <td class="mono">{p.explanation ?? ""}</td>
                  </tr>
                ))}
              </table>
            </div>
          </div>
          <div class="panel" id="check">
            <div class="head">Check from here (breadth-first)</div>
            <div class="body">
              <label>
                max states <input type="number" min={1} value={maxStates} onInput={(e) => setMaxStates(Number((e.target as HTMLInputElement).value))} />
              </label>{" "}
              <label>
                max depth <input type="number" min={1} value={maxDepth} onInput={(e) => setMaxDepth(Number((e.target as HTMLInputElement).value))} />
              </label>{" "}
              {job?.running ? (
                <button onClick={() => void api<JobStatus>("POST", "/api/check/stop").then(setJob)}>stop</button>
              ) : (
                <button class="primary" id="run-check" onClick={() => void check()}>
                  check
                </button>
              )}
              <div class="progress mono" id="check-status">
                {job?.progress && `${job.running ? "running: " : ""}${job.progress.distinct.toLocaleString()} distinct, queue ${job.progress.queue.toLocaleString()}, depth ${job.progress.depth}, ${Math.round(job.progress.statesPerSecond).toLocaleString()} states/s`}
                {job?.running && !job.progress && "running…"}
                {job?.error && <span class="removed">{job.error}</span>}
                {job?.result && (
                  <div>
                    <span class={`badge ${job.result.verdict}`}>{job.result.verdict}</span> {job.result.property ?? ""} · {job.result.distinct.toLocaleString()} distinct states, depth {job.result.depth}, {job.result.seconds.toFixed(2)} s
                    {job.result.labels && job.result.labels.length > 0 && (
                      <>
                        {" "}
                        <button id="show-found" onClick={() => found(job.result!)}>
                          go to the {job.result.verdict === "violation" ? "counterexample" : "state found"} ({job.result.labels.length} more steps)
                        </button>
                      </>
                    )}
                    {job.result.detail && <pre>{job.result.detail}</pre>}
                  </div>
                )}
              </div>
            </div>
          </div>
          <div class="panel" id="tree">
            <div class="head">Explored branches</div>
            <div class="body">
              <ul class="branches mono">
                {tree.map((b) => (
                  <Tree branch={b} prefix={{ initial: Number(b.label.slice(5)), labels: [] }} at={{ initial: where.initial, labels: where.labels.slice(0, last) }} go={go} depth={0} />
                ))}
              </ul>
            </div>
          </div>
          <StepDetail data={view.trace} cursor={cursor} step={selected} onSelect={setSelected} />
        </aside>
      </main>
    </>
  )
}

render(<App />, document.getElementById("app")!)
