/**
 * Where one protocol search's time goes: a case of bench/protocols-bfs.ts searched `--runs` times in
 * this process (each on a system built afresh, as a new search would be), the last one profiled with
 * V8's sampling profiler over the search alone (the model's loading and the system's build outside),
 * and the step memo's misses split by node, event kind and whether the step left the record as it was.
 *
 * `node --max-semi-space-size=64 --import tsx bench/protocols-profile.ts CASE [--runs N] [--build]
 *  [--top N] [--under NAME] [--out FILE.cpuprofile]`
 * - CASE: a case's whole name (`paxos/bounded-two-clients`);
 * - runs: 1 (default) profiles the cold search `tla-ts check` pays; more profile a warm one;
 * - build: load the modules from dist/ (npm run build), whose line numbers are the sources' (tsx
 *   compiles a file to one line, so its profile names columns);
 * - under: the self time of the functions below the first frame whose name starts with NAME (say
 *   `outcomes`, the handlers run on memo misses, or `nondeterminism`, the determinism check);
 *   without it, the samples in the sources (the search), inclusive and self. Under tsx a function
 *   defined as `const f = () => ...` is named "(anonymous)" in the profile.
 * Prints JSON: each run's CPU seconds, the profile's top functions by inclusive and by self time (in
 * per cent of the samples), the main thread's GC pauses sampled (`gcMs`, beside `sampledMs`), and the
 * misses. The profiler samples wall time on the main thread: on a
 * loaded machine the shares are those of the time the thread ran or waited, and V8's helper threads
 * (TurboFan's compilations, GC's parallel work: about half of a cold search's CPU) are not in it;
 * bench/protocols-cold.ts splits those.
 */
import { writeFileSync } from "node:fs"
import { Session } from "node:inspector/promises"
import { parseArgs } from "node:util"
import type { Model } from "../src/checker/model.ts"
import type { CheckResult } from "../src/checker/result.ts"
import type { TransitionSystem } from "../src/checker/transition-system.ts"
import { CASES, caseKey, cpuTimed, HERE } from "./protocols-bfs.ts"

interface Frame {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
  readonly children?: ReadonlyArray<number>
}
interface Profile {
  readonly nodes: ReadonlyArray<Frame>
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

const EXPORTS: Record<string, string> = { clientserver: "clientServerModel", paxos: "paxosModel", raft: "raftModel", primarybackup: "primaryBackupModel" }

/** Top functions by inclusive and self time (per cent of the samples), within `under`'s subtree when given. */
export const profileTop = (p: Profile, top: number, under?: string) => {
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const name = (n: Frame) => `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.replace(/^.*\/(src|spec|node_modules)\//, "$1/")}:${n.callFrame.lineNumber + 1}`
  const selfUs = new Map<number, number>()
  p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)))
  const incl = new Map<string, number>()
  const self = new Map<string, number>()
  let total = 0
  let gc = 0
  for (const [id, us] of selfUs) {
    const leaf = byId.get(id)!
    // The main thread's GC pauses are their own frame (during a search, mostly the search's).
    if (leaf.callFrame.functionName === "(garbage collector)") gc += us
    if (["(idle)", "(program)", "(root)"].includes(leaf.callFrame.functionName)) continue
    const names: string[] = []
    for (let q: number | undefined = id; q !== undefined; q = parent.get(q)) names.push(name(byId.get(q)!))
    // The search's samples only (not the profiler's own work), or those below `under`.
    if (!names.some((n) => (under === undefined ? n.includes(" src/") : n.startsWith(under)))) continue
    total += us
    self.set(names[0]!, (self.get(names[0]!) ?? 0) + us)
    for (const n of new Set(names)) if (n.includes(" src/")) incl.set(n, (incl.get(n) ?? 0) + us)
  }
  const pct = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([n, us]) => [n, +((100 * us) / Math.max(1, total)).toFixed(1)])
  return { sampledMs: Math.round(total / 1000), gcMs: Math.round(gc / 1000), inclusive: under === undefined ? pct(incl) : undefined, self: pct(self) }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { runs: { type: "string" }, build: { type: "boolean" }, top: { type: "string" }, under: { type: "string" }, out: { type: "string" } },
  })
  const c = CASES.find((k) => caseKey(k) === positionals[0])
  const runs = Number(values.runs ?? "1")
  const top = Number(values.top ?? "40")
  if (c === undefined || positionals.length !== 1 || !Number.isInteger(runs) || runs < 1 || !Number.isInteger(top) || top < 1) {
    console.error(`protocols-profile: give one case of ${CASES.map(caseKey).join(", ")}; --runs and --top take positive integers`)
    process.exit(2)
  }
  const [name, test, params, maxStates] = c
  const at = (file: string) => (values.build ? `${HERE}/dist/src/${file}.js` : `${HERE}/src/${file}.ts`)
  const { explore } = (await import(at("checker/explore"))) as typeof import("../src/checker/explore.ts")
  const { StepMemo } = (await import(at("core/step-memo"))) as typeof import("../src/core/step-memo.ts")
  const model = (await import(at(`protocols/${name}/model`)))[EXPORTS[name]!] as Model
  const t = model.tests[test]!
  const p = Object.fromEntries(Object.entries(model.params).map(([k, s]) => [k, params[k] ?? s.default]))

  // Misses by node, kind and outcome: the tag of the last missed lookup, read when its outcomes are filed.
  const misses: Record<string, number> = {}
  const memo = StepMemo.prototype as unknown as { lookup: (...k: number[]) => unknown; store: (v: ReadonlyArray<{ step?: { unchanged: boolean } }>) => void }
  const lookup = memo.lookup
  const store = memo.store
  let tag = 0
  memo.lookup = function (this: unknown, ...k: number[]) {
    const r = lookup.apply(this, k)
    if (r === undefined) tag = k[4]!
    return r
  }
  const session = new Session()
  session.connect()
  await session.post("Profiler.enable")
  await session.post("Profiler.setSamplingInterval", { interval: 200 })
  const cpu: number[] = []
  let last: { system: TransitionSystem<unknown, unknown>; result: CheckResult<unknown, unknown> } | undefined
  for (let i = 0; i < runs; i++) {
    const system = t.build(p, 1) as TransitionSystem<unknown, unknown>
    const profiled = i === runs - 1
    if (profiled) {
      memo.store = function (this: unknown, v) {
        const key = `node ${tag >> 2} ${["deliver", "timer", "restart"][tag & 3]} ${v.every((o) => o.step?.unchanged) ? "unchanged" : "changed"}`
        misses[key] = (misses[key] ?? 0) + 1
        return store.call(this, v)
      }
      await session.post("Profiler.start")
    }
    const { result, cpuSeconds } = cpuTimed(() => explore(system, { ...t.options, strategy: "bfs", ...(maxStates ? { maxStates } : {}) }))
    cpu.push(+cpuSeconds.toFixed(3))
    last = { system, result }
  }
  const { profile } = (await session.post("Profiler.stop")) as { profile: Profile }
  if (values.out !== undefined) writeFileSync(values.out, JSON.stringify(profile))
  console.log(
    JSON.stringify(
      {
        case: caseKey(c),
        from: values.build ? "dist" : "sources (tsx)",
        distinct: last!.result.distinct,
        cpuSecondsPerRun: cpu,
        memo: last!.system.memo?.stats(),
        missesByNodeKindOutcome: Object.fromEntries(Object.entries(misses).sort()),
        profile: profileTop(profile, top, values.under),
      },
      null,
      1
    )
  )
}
