/**
 * Issue 14 items 2-3: for each exhaustive named test (test/protocols/state-counts.ts), the states and
 * steps explored with and without each reduction, measured side by side in one run.
 *
 * - symmetry: the test as shipped, plain BFS against `--symmetry` (where the configuration declares
 *   one; otherwise why not), states and CPU seconds of each, and the canonical form's renamings per
 *   state fingerprinted; `notSymmetric` names the roles that cannot declare it, and why.
 * - por: the test's state properties only (`--por` refuses step properties: a skipped step would go
 *   unchecked), plain BFS against `--por`, on that same system: distinct states are equal by
 *   construction, the reduction is in steps generated (handlers run).
 * - planted: bugs found under a reduction, with the trace length beside the unreduced search's.
 *
 * `node --import tsx bench/reductions.ts [test-key...]` prints the JSON (`npm run bench reductions`).
 */
import { explore } from "../src/checker/explore.ts"
import { symmetryStats } from "../src/checker/symmetry.ts"
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
  ["replicated-kv", "exhaustive-one-client", { log: "spec" }, {}],
  ["replicated-kv", "exhaustive-one-client", { log: "paxos" }, {}],
  ["replicated-kv", "exhaustive-one-client", { log: "raft" }, {}],
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

/** Roles that declare no symmetry, and why (the checker's SYMMETRIC_STEPS catches such a declaration). */
const NOT_SYMMETRIC: Readonly<Record<string, string>> = {
  "paxos servers (with elections)": "a ballot is (round, server) compared by server: two followers electing themselves in one round are told apart by order (SYMMETRIC_STEPS fails); with timers off the followers are declared",
  "raft servers with clients (timers on)": "a client's first target is the first server and it retries the next by index (a number, which no renaming maps): the initial state is not symmetric; with timers off (replicated-kv) the followers are declared",
  "primary-backup servers": "the view server picks the next primary and backup in address order",
  "primary-backup view server": "a role of its own: one member",
}

const cpuSeconds = (f: () => CheckResult<unknown, unknown>): [CheckResult<unknown, unknown>, number] => {
  const before = process.cpuUsage()
  const r = f()
  const used = process.cpuUsage(before)
  return [r, (used.user + used.system) / 1e6]
}

/** The search's figures, with the CPU seconds it took (`explore` in this thread, measured side by side). */
const measured = (f: () => CheckResult<unknown, unknown>) => {
  const [r, cpu] = cpuSeconds(f)
  return { r, figures: { ...figures(r), cpuSeconds: Number(cpu.toFixed(2)) } }
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
  const plain = measured(() => explore(system, options))
  const symmetry = system.symmetry
    ? (() => {
        const { r, figures } = measured(() => explore(system, { ...options, symmetry: true }))
        const st = symmetryStats(system)!
        return {
          groups: system.symmetry!.groups,
          ...figures,
          statesReduction: ratio(plain.r.distinct, r.distinct),
          cpuRatio: ratio(plain.figures.cpuSeconds * 100, figures.cpuSeconds * 100),
          renamingsPerState: Number((st.renamings / Math.max(st.fingerprints, 1)).toFixed(2)),
          sameVerdict: r.verdict === plain.r.verdict,
        }
      })()
    : { notDeclared: NO_SYMMETRY[`${model}/${test}`] ?? "no symmetry declared" }
  const stateOnly = withProperties(system as TransitionSystem<unknown, unknown>, system.properties, [])
  const plainStateOnly = (system.stepProperties ?? []).length > 0 ? measured(() => explore(stateOnly, options)) : plain
  const por = measured(() => explore(stateOnly, { ...options, strategy: "bfs", por: true }))
  return [
    key,
    {
      plain: plain.figures,
      symmetry,
      por: {
        ...((system.stepProperties ?? []).length > 0 ? { stepPropertiesRemoved: (system.stepProperties ?? []).map((p) => p.name) } : {}),
        plain: plainStateOnly.figures,
        por: { ...por.figures, detail: por.r.detail },
        stepsReduction: ratio(plainStateOnly.r.generated, por.r.generated),
        cpuRatio: ratio(plainStateOnly.figures.cpuSeconds * 100, por.figures.cpuSeconds * 100),
        sameDistinct: por.r.distinct === plainStateOnly.r.distinct,
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
  return { tests, notSymmetric: NOT_SYMMETRIC, ...(only.length === 0 || only.includes("planted") ? { planted: await planted() } : {}) }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await benchReductions(process.argv.slice(2)), null, 1))
