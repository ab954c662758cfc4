/**
 * Lasso lengths of the shipped planted liveness tests: prefix (steps to the loop state), cycle (steps
 * after it) and total, with the time of the run. A separate script (not in `npm run bench`: the
 * largest test explores 687k states):
 *   node --import tsx bench/lasso-lengths.ts [model/test ...]
 * One JSON document on stdout.
 */
import { explore } from "../src/checker/explore.ts"
import type { NamedTest } from "../src/checker/model.ts"
import { CLIENTSERVER_TESTS } from "../src/protocols/clientserver/model.ts"
import { PAXOS_TESTS } from "../src/protocols/paxos/model.ts"
import { PRIMARYBACKUP_TESTS } from "../src/protocols/primarybackup/model.ts"
import { RAFT_TESTS } from "../src/protocols/raft/model.ts"

const MODELS: Record<string, Record<string, NamedTest>> = {
  clientserver: CLIENTSERVER_TESTS as Record<string, NamedTest>,
  paxos: PAXOS_TESTS as Record<string, NamedTest>,
  raft: RAFT_TESTS as Record<string, NamedTest>,
  primarybackup: PRIMARYBACKUP_TESTS as Record<string, NamedTest>,
}

/** Every named liveness test expected to fail: "model/test". */
const planted = Object.entries(MODELS).flatMap(([model, tests]) =>
  Object.entries(tests)
    .filter(([name, t]) => name.includes("bug-live") && t.expect === "violation")
    .map(([name]) => `${model}/${name}`)
)

const wanted = process.argv.slice(2)
for (const w of wanted)
  if (!planted.includes(w)) {
    console.error(`lasso-lengths: unknown planted liveness test "${w}" (known: ${planted.join(", ")})`)
    process.exit(2)
  }
const out: Record<string, unknown> = {}
for (const id of wanted.length ? wanted : planted) {
  const [model, name] = id.split("/") as [string, string]
  const t = MODELS[model]![name]!
  const t0 = performance.now()
  const r = explore(t.build({}, 1), { ...t.options, seed: 1 })
  const steps = r.path?.steps.length ?? 0
  const loop = r.path?.loop ?? steps
  out[id] = { verdict: r.verdict, distinct: r.distinct, prefix: loop, cycle: steps - loop, total: steps, seconds: +((performance.now() - t0) / 1000).toFixed(1) }
  process.stderr.write(`${id}: ${JSON.stringify(out[id])}\n`)
}
console.log(JSON.stringify(out, null, 1))
