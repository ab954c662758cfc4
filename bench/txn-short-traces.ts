/**
 * Short traces for shardtxn's planted bugs (issue 10): each named search (staged random walks on two
 * one-server groups, minimised; the two-phase search on Raft for the crash bug) over seeds 1..5: the
 * verdict, the property caught, the trace's length, and the seconds (wall and CPU: the machine may be
 * shared) from building the system (stage 1, the phases) to the minimised trace.
 *
 * Run alone: node --import tsx bench/txn-short-traces.ts
 */
import { pathToFileURL } from "node:url"
import { explore } from "../src/checker/explore.ts"
import { SHARDTXN_TESTS } from "../src/protocols/shardtxn/model.ts"

const SEEDS = [1, 2, 3, 4, 5]
const BUGS = ["walks-bug-commit-partial-votes", "walks-bug-reads-skip-locks", "phases-bug-commit-before-logging"] as const

const run = (name: (typeof BUGS)[number], seed: number) => {
  const named = SHARDTXN_TESTS[name]
  const cpu = process.cpuUsage()
  const t0 = performance.now()
  const r = explore(named.build({}, seed), { ...named.options, seed })
  const used = process.cpuUsage(cpu)
  return { seed, verdict: r.verdict, property: r.property ?? null, steps: r.path?.steps.length ?? null, seconds: +((performance.now() - t0) / 1000).toFixed(2), cpuSeconds: +((used.user + used.system) / 1e6).toFixed(2) }
}

export const benchTxnShortTraces = () => Object.fromEntries(BUGS.map((name) => [name, SEEDS.map((seed) => run(name, seed))]))

if (import.meta.url === pathToFileURL(process.argv[1]!).href) console.log(JSON.stringify(benchTxnShortTraces(), null, 2))
