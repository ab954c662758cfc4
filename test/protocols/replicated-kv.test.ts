/** One KV service over interchangeable logs: the same named tests on the spec-backed log and on Paxos. */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { LOGS, replicatedKvModel } from "../../src/protocols/replicated-kv/model.ts"

const params = (log: string) => ({ log, clients: "2" })
const counts = new Map<string, number>()

for (const log of LOGS)
  for (const [name, t] of Object.entries(replicatedKvModel.tests))
    test.serial(`replicated-kv on ${log}: ${name} gives ${t.expect}`, (tt) => {
      const r = explore(t.build(params(log), 1), { ...t.options, seed: 1 })
      tt.log(`${r.verdict} ${r.property ?? ""} distinct=${r.distinct}`)
      counts.set(`${log}/${name}`, r.distinct)
      tt.is(r.verdict, t.expect!)
    })

test.serial("the spec-backed log checks the same service in a far smaller space than Paxos", (t) => {
  for (const name of ["exhaustive-one-client", "exhaustive-appends"]) {
    const spec = counts.get(`spec/${name}`)!
    const paxos = counts.get(`paxos/${name}`)!
    t.log(`${name}: spec log ${spec} states, paxos ${paxos}`)
    t.true(spec * 5 < paxos)
  }
})
