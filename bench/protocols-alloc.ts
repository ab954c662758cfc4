/**
 * Where a protocol search allocates: V8's sampling heap profiler over one BFS (objects collected by
 * either collector counted too), bytes by the function that allocated them. Allocation does not
 * depend on the machine's load, unlike CPU seconds, and it drives the garbage collector's work: each
 * scavenge copies what the BFS frontier holds, and more garbage means more scavenges.
 *
 * `node --max-semi-space-size=64 --import tsx bench/protocols-alloc.ts [CASE] [--runs N] [--top N]`
 * - CASE: a case of bench/protocols-bfs.ts (whole name), or `raft-election` (default): Raft's
 *   exhaustive-election, maxTerm=2, to depth 10 (269,435 states: bench/parallel-protocol.ts's search,
 *   two levels short);
 * - runs: searches in this process, the last one sampled (default 2: warm code, as in a long search).
 * Modules come from dist/ (`npm run build` first): their line numbers name the functions. Functions
 * V8 inlined count in the function they were inlined into. Prints JSON: the total and the top
 * functions, in MB (the sampling's error is a few per cent run to run).
 */
import { Session } from "node:inspector/promises"
import { parseArgs } from "node:util"
import type { Model } from "../src/checker/model.ts"
import { CASES, caseKey, HERE } from "./protocols-bfs.ts"

interface Node {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
  readonly selfSize: number
  readonly children: ReadonlyArray<Node>
}

const EXPORTS: Record<string, string> = { clientserver: "clientServerModel", paxos: "paxosModel", raft: "raftModel", primarybackup: "primaryBackupModel" }

const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: "string" }, top: { type: "string" } } })
const key = positionals[0] ?? "raft-election"
const c = key === "raft-election" ? (["raft", "exhaustive-election", { maxTerm: "2" }, undefined] as const) : CASES.find((k) => caseKey(k) === key)
const runs = Number(values.runs ?? "2")
const top = Number(values.top ?? "15")
if (c === undefined || !(runs >= 1) || !(top >= 1)) {
  console.error(`protocols-alloc: give raft-election or one case of ${CASES.map(caseKey).join(", ")}`)
  process.exit(2)
}
const [name, test, params, maxStates] = c
const { explore } = (await import(`${HERE}/dist/src/checker/explore.js`)) as typeof import("../src/checker/explore.ts")
const model = (await import(`${HERE}/dist/src/protocols/${name}/model.js`))[EXPORTS[name]!] as Model
const t = model.tests[test]!
const p = Object.fromEntries(Object.entries(model.params).map(([k, s]) => [k, (params as Record<string, string>)[k] ?? s.default]))
const session = new Session()
session.connect()
let distinct = 0
for (let i = 0; i < runs; i++) {
  const system = t.build(p, 1)
  const sampled = i === runs - 1
  if (sampled) await session.post("HeapProfiler.startSampling", { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never)
  distinct = explore(system, { ...t.options, strategy: "bfs", ...(maxStates ? { maxStates } : {}), ...(key === "raft-election" ? { maxDepth: 10 } : {}) }).distinct
}
const { profile } = (await session.post("HeapProfiler.stopSampling")) as unknown as { profile: { head: Node } }
const bytes = new Map<string, number>()
let total = 0
const walk = (n: Node): void => {
  const f = n.callFrame
  const at = `${f.functionName || "(anonymous)"} ${f.url.replace(/^.*\/(src|spec|node_modules)\//, "$1/")}:${f.lineNumber + 1}`
  total += n.selfSize
  bytes.set(at, (bytes.get(at) ?? 0) + n.selfSize)
  for (const child of n.children) walk(child)
}
walk(profile.head)
const mb = (b: number) => +(b / 2 ** 20).toFixed(1)
console.log(
  JSON.stringify(
    {
      case: key,
      distinct,
      allocatedMB: mb(total),
      bytesPerDistinctState: Math.round(total / distinct),
      topMB: Object.fromEntries(
        [...bytes]
          .sort((a, b) => b[1] - a[1])
          .slice(0, top)
          .map(([f, b]) => [f, mb(b)])
      ),
    },
    null,
    1
  )
)
