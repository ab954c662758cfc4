/**
 * `node --import tsx bench/cpu-profile-compare.ts --one A.cpuprofile[=CPU_S[=FROM_US]] --two B.cpuprofile[=CPU_S[=FROM_US]] --two C.cpuprofile[=...] [--top N]`
 *
 * Where a two-thread search's extra CPU goes, function by function: the self time of the one
 * searching thread's profile (`--one`) against the sum over the searching threads' profiles of the
 * same search on more threads (`--two`, the coordinator's and each worker's: `node --cpu-prof` writes
 * one per thread). A V8 profile samples on the wall clock: on a loaded machine a thread that waits for
 * a core is charged to the function it waits in, so `=CPU_S` (that thread's CPU seconds, e.g.
 * parallel-protocol.ts's `threadCpu.searchCpuSeconds`) scales its profile's busy time to its CPU
 * (descheduling spread evenly), and `=FROM_US` drops the samples before that instant of the monotonic
 * clock (parallel-protocol.ts's `startedUs`, where its CPU figures start). Rows: milliseconds on one thread, on all threads, and their
 * difference, largest difference first; `areas` the same by source area, and by kind (GC, the model's
 * search code, module loading, hand-offs, waits).
 */
import { readFileSync } from "node:fs"
import { parseArgs } from "node:util"

interface Profile {
  readonly nodes: ReadonlyArray<{ readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number } }>
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
  readonly startTime: number
}

/** What a function's time is, for the totals: the split this comparison is for. */
const kind = (name: string, url: string): string => {
  if (name === "(garbage collector)") return "gc"
  if (name === "(idle)") return "idle"
  if (/parallel-steal|Atomics|awaitAnswer/.test(url + name)) return "steal/wait"
  if (/node:v8|serialize|deserialize|shared-handoff/.test(url + name)) return "hand-off"
  if (/shared-fpset|fpset/.test(url) || /parallel-search\.js:1[12]\d/.test(url)) return "fingerprint table"
  if (url.startsWith("node:") || name === "(program)" || url === "") return "node/V8 (loading, program)"
  if (/src\/(core|protocols)\//.test(url)) return "model steps (core, protocols)"
  if (/src\/checker\//.test(url)) return "checker"
  return "other"
}

/** Self milliseconds by function key (name, file, line) of one profile, scaled so that its busy time is `cpuSeconds` when given. */
const selfMs = (file: string, cpuSeconds: number | undefined, fromUs: number): Map<string, number> => {
  const p = JSON.parse(readFileSync(file, "utf8")) as Profile
  const byId = new Map(p.nodes.map((n) => [n.id, n.callFrame]))
  const out = new Map<string, number>()
  let busy = 0
  let t = p.startTime
  p.samples.forEach((id, i) => {
    const f = byId.get(id)!
    const us = p.timeDeltas[i] ?? 0
    t += us
    if (f.functionName === "(idle)" || t < fromUs) return
    busy += us
    const key = `${f.functionName || "(anonymous)"} ${f.url.replace(/^.*\/(src|node_modules)\//, "$1/")}:${f.lineNumber + 1}`
    out.set(key, (out.get(key) ?? 0) + us / 1000)
  })
  const scale = cpuSeconds === undefined ? 1 : (cpuSeconds * 1e6) / busy
  for (const [k, ms] of out) out.set(k, ms * scale)
  return out
}

const sum = (specs: ReadonlyArray<string>): Map<string, number> => {
  const all = new Map<string, number>()
  for (const spec of specs) {
    const [file, cpu, from] = spec.split("=")
    for (const [k, ms] of selfMs(file!, cpu === undefined || cpu === "" ? undefined : Number(cpu), Number(from ?? -Infinity))) all.set(k, (all.get(k) ?? 0) + ms)
  }
  return all
}

const { values } = parseArgs({ allowPositionals: false, options: { one: { type: "string", multiple: true }, two: { type: "string", multiple: true }, top: { type: "string" } } })
if (!values.one?.length || !values.two?.length) {
  console.error("usage: node --import tsx bench/cpu-profile-compare.ts --one A.cpuprofile[=CPU_S[=FROM_US]] --two B.cpuprofile[=CPU_S[=FROM_US]] --two C.cpuprofile[=...] [--top N]")
  process.exit(2)
}
const [one, two] = [sum(values.one), sum(values.two)]
const keys = [...new Set([...one.keys(), ...two.keys()])]
const row = (k: string) => ({ one: Math.round(one.get(k) ?? 0), all: Math.round(two.get(k) ?? 0), extra: Math.round((two.get(k) ?? 0) - (one.get(k) ?? 0)) })
const byKind = new Map<string, { one: number; all: number }>()
for (const k of keys) {
  // The key is "name url:line"; a name may hold spaces ("(garbage collector)"), a url does not.
  const cut = k.lastIndexOf(" ")
  const kd = kind(k.slice(0, cut), k.slice(cut + 1))
  const t = byKind.get(kd) ?? { one: 0, all: 0 }
  t.one += one.get(k) ?? 0
  t.all += two.get(k) ?? 0
  byKind.set(kd, t)
}
const total = (m: Map<string, number>) => Math.round([...m.values()].reduce((a, b) => a + b, 0))
console.log(
  JSON.stringify(
    {
      busyMs: { one: total(one), all: total(two) },
      kinds: Object.fromEntries([...byKind].sort((a, b) => b[1].all - b[1].one - (a[1].all - a[1].one)).map(([kd, t]) => [kd, { one: Math.round(t.one), all: Math.round(t.all), extra: Math.round(t.all - t.one) }])),
      functions: keys
        .map((k) => [k, row(k)] as const)
        .sort((a, b) => Math.abs(b[1].extra) - Math.abs(a[1].extra))
        .slice(0, Number(values.top ?? 30))
        .map(([k, r]) => `${k}: ${r.one} -> ${r.all} (${r.extra >= 0 ? "+" : ""}${r.extra})`),
    },
    null,
    1
  )
)
