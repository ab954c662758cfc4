/**
 * Issue 14 items 2-3: for each exhaustive named test (test/protocols/state-counts.ts), the states and
 * steps explored with and without each reduction, measured side by side in one run.
 *
 * - symmetry: the test as shipped, plain BFS against `--symmetry` (where the configuration declares
 *   one; otherwise why not).
 * - por: the test's state properties only (`--por` refuses step properties: a skipped step would go
 *   unchecked), plain BFS against `--por`, on that same system: distinct states are equal by
 *   construction, the reduction is in steps generated (handlers run).
 * - planted: bugs found under a reduction, with the trace length beside the unreduced search's.
 *
 * `node --import tsx bench/reductions.ts [test-key...]` prints the JSON (`npm run bench reductions`).
 */
import { explore } from "../src/checker/explore.ts"
import { buildSystem } from "../src/checker/run-model.ts"
import type { CheckOptions, CheckResult } from "../src/checker/result.ts"
import { type TransitionSystem, withProperties } from "../src/checker/transition-system.ts"
import { REGISTRY_URL } from "../src/registry/index.ts"

/** Exhaustive named tests as model/test (replicated-kv's log as the middle part), with their shipped options. */
const TESTS: ReadonlyArray<readonly [string, string, Record<string, string>, CheckOptions]> = [
  ["clientserver", "exhaustive-appends", {}, {}],
  ["clientserver", "exhaustive-appends", { clients: "3", ops: "2" }, {}],
  ["paxos", "exhaustive-stable-leader", {}, {}],
  ["raft", "exhaustive-election", {}, {}],
  ["raft", "exhaustive-crash", {}, {}],
  ["replicated-kv", "exhaustive-appends", { log: "spec" }, {}],
  ["replicated-kv", "exhaustive-appends", { log: "paxos" }, {}],
  ["replicated-kv", "exhaustive-appends", { log: "raft" }, {}],
  ["clientserver", "exhaustive-one-client", {}, {}],
  ["pingpong", "exhaustive", {}, {}],
  ["primarybackup", "exhaustive-small", {}, { maxStates: 300_000 }],
]

/** Why a test declares no symmetry. */
const NO_SYMMETRY: Readonly<Record<string, string>> = {
  "clientserver/exhaustive-one-client": "one client, one server: nothing to interchange",
  "pingpong/exhaustive": "one client, one server: nothing to interchange",
  "primarybackup/exhaustive-small":
    "one client; the two servers are not interchangeable: the view service picks the next primary and backup in address order",
}

const figures = (r: CheckResult<unknown, unknown>) => ({
  verdict: r.verdict,
  distinct: r.distinct,
  generated: r.generated,
  seconds: Number(r.seconds.toFixed(2)),
  ...(r.path ? { traceLength: r.path.steps.length } : {}),
})

const ratio = (a: number, b: number) => Number((a / Math.max(b, 1)).toFixed(2))

const load = (model: string, test: string, params: Record<string, string>) => buildSystem({ loader: REGISTRY_URL, model, params, test })

const row = async (model: string, test: string, params: Record<string, string>, options: CheckOptions) => {
  const key = `${model}/${test}${Object.keys(params).length ? ` ${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(" ")}` : ""}`
  const system = await load(model, test, params)
  const plain = explore(system, options)
  const symmetry = system.symmetry
    ? (() => {
        const r = explore(system, { ...options, symmetry: true })
        return { ...figures(r), statesReduction: ratio(plain.distinct, r.distinct), sameVerdict: r.verdict === plain.verdict }
      })()
    : { notDeclared: NO_SYMMETRY[`${model}/${test}`] ?? "no symmetry declared" }
  const stateOnly = withProperties(system as TransitionSystem<unknown, unknown>, system.properties, [])
  const plainStateOnly = (system.stepProperties ?? []).length > 0 ? explore(stateOnly, options) : plain
  const por = explore(stateOnly, { ...options, strategy: "bfs", por: true })
  return [
    key,
    {
      plain: figures(plain),
      symmetry,
      por: {
        ...((system.stepProperties ?? []).length > 0 ? { stepPropertiesRemoved: (system.stepProperties ?? []).map((p) => p.name) } : {}),
        plain: figures(plainStateOnly),
        por: { ...figures(por), detail: por.detail },
        stepsReduction: ratio(plainStateOnly.generated, por.generated),
        speedup: Number((plainStateOnly.seconds / Math.max(por.seconds, 1e-3)).toFixed(2)),
        sameDistinct: por.distinct === plainStateOnly.distinct,
      },
    },
  ] as const
}

/** Planted bugs found under a reduction: the unreduced search beside it. */
const planted = async () => {
  const out: Record<string, unknown> = {}
  // Symmetric clients: the bug needs one change of leader; BFS finds the shortest trace in either.
  const paxos = await load("paxos", "bug-accept-below-promise", {})
  const options: CheckOptions = { maxStates: 400_000 }
  const a = explore(paxos, options)
  const b = explore(paxos, { ...options, symmetry: true })
  out["paxos/bug-accept-below-promise --symmetry"] = { plain: figures(a), symmetry: figures(b), property: b.property, statesReduction: ratio(a.distinct, b.distinct) }
  const pb = withProperties(await load("primarybackup", "bug-answer-before-backup", {}), (await load("primarybackup", "bug-answer-before-backup", {})).properties, [])
  const c = explore(pb, { strategy: "bfs", maxStates: 100_000 })
  const d = explore(pb, { strategy: "bfs", maxStates: 100_000, por: true })
  out["primarybackup/bug-answer-before-backup, bfs --por"] = { plain: figures(c), por: figures(d), property: d.property, stepsReduction: ratio(c.generated, d.generated) }
  return out
}

export async function benchReductions(only: ReadonlyArray<string> = []): Promise<object> {
  const tests: Record<string, unknown> = {}
  for (const [model, test, params, options] of TESTS) {
    if (only.length && !only.some((o) => `${model}/${test}`.includes(o))) continue
    const [key, value] = await row(model, test, params, options)
    tests[key] = value
  }
  return { tests, ...(only.length === 0 || only.includes("planted") ? { planted: await planted() } : {}) }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await benchReductions(process.argv.slice(2)), null, 1))
