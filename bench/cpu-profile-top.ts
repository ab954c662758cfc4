/**
 * `node --import tsx bench/cpu-profile-top.ts FILE.cpuprofile [--top N] [--last-ms MS]`
 *
 * The functions a V8 CPU profile (`node --cpu-prof`) spent the most self time in, and the share of
 * self time by source area (runtime, core, protocols, effect, node internals, GC, idle), as JSON:
 * enough to see where a node's CPU per operation goes without a profiler UI. `--last-ms`: only the
 * samples of the profile's last MS milliseconds (the load, without start-up and module loading).
 */
import { readFileSync } from "node:fs"
import { parseArgs } from "node:util"

interface ProfileNode {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number }
}
interface Profile {
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
  readonly endTime: number
  readonly startTime: number
}

const area = (url: string, name: string): string => {
  if (name === "(idle)" || name === "(garbage collector)" || name === "(program)") return name
  const m = /\/(src\/[a-z]+|node_modules\/[^/]+)\//.exec(url)
  if (m) return m[1]!.replace(/^node_modules\//, "")
  if (url.startsWith("node:")) return "node internals"
  return url === "" ? "native" : "other"
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: "string" }, "last-ms": { type: "string" } } })
if (positionals.length !== 1) {
  console.error("usage: node --import tsx bench/cpu-profile-top.ts FILE.cpuprofile [--top N] [--last-ms MS]")
  process.exit(2)
}
const profile = JSON.parse(readFileSync(positionals[0]!, "utf8")) as Profile
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const from = values["last-ms"] === undefined ? -Infinity : profile.endTime - Number(values["last-ms"]) * 1000
const self = new Map<number, number>()
let t = profile.startTime
profile.samples.forEach((id, i) => {
  t += profile.timeDeltas[i] ?? 0
  if (t >= from) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
})
const fns = new Map<string, number>()
const areas = new Map<string, number>()
let busy = 0
for (const [id, us] of self) {
  const { functionName, url, lineNumber, columnNumber } = byId.get(id)!.callFrame
  const a = area(url, functionName)
  areas.set(a, (areas.get(a) ?? 0) + us)
  if (a === "(idle)") continue
  busy += us
  const key = `${functionName || "(anonymous)"} ${url.replace(/^.*\/(src|node_modules)\//, "$1/")}:${lineNumber + 1}:${columnNumber + 1}`
  fns.set(key, (fns.get(key) ?? 0) + us)
}
const pct = (us: number) => Number(((100 * us) / Math.max(1, busy)).toFixed(1))
const top = Number(values.top ?? 30)
console.log(
  JSON.stringify(
    {
      busyMs: Math.round(busy / 1000),
      areasPctOfBusy: Object.fromEntries([...areas].filter(([a]) => a !== "(idle)").sort((a, b) => b[1] - a[1]).map(([a, us]) => [a, pct(us)])),
      topSelfPctOfBusy: [...fns].sort((a, b) => b[1] - a[1]).slice(0, top).map(([f, us]) => [f, pct(us)]),
    },
    null,
    1
  )
)
