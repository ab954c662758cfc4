/**
 * Protocol BFS throughput: distinct states per second (wall and CPU) on the exhaustive configurations
 * of clientserver, Paxos, Raft and primary-backup (whole spaces, or a state budget where the space is large). Run from any checkout to
 * compare two versions in one session: `node --import tsx bench/protocols-bfs.ts`. Arguments keep only the
 * cases whose name contains one of them (`... bench/protocols-bfs.ts paxos/bounded`), so a comparison on a
 * shared machine can repeat the case it is about instead of the whole set.
 */
import { explore } from "../src/checker/explore.ts"
import type { Model, Params } from "../src/checker/model.ts"
import { clientServerModel } from "../src/protocols/clientserver/model.ts"
import { paxosModel } from "../src/protocols/paxos/model.ts"
import { primaryBackupModel } from "../src/protocols/primarybackup/model.ts"
import { raftModel } from "../src/protocols/raft/model.ts"

const CASES: ReadonlyArray<readonly [Model, string, Params, number | undefined]> = [
  [clientServerModel, "exhaustive-appends", { clients: "5" }, undefined],
  [paxosModel, "exhaustive-stable-leader", { clients: "2" }, undefined],
  [paxosModel, "bounded-two-clients", {}, 40_000],
  [raftModel, "exhaustive-crash", { maxTerm: "1" }, undefined],
  [raftModel, "exhaustive-replication", { maxTerm: "1" }, 40_000],
  [primaryBackupModel, "exhaustive-small", {}, undefined],
]

export async function benchProtocolsBfs(only: ReadonlyArray<string> = []): Promise<object> {
  const out: Record<string, object> = {}
  for (const [model, test, params, maxStates] of CASES) {
    if (only.length > 0 && !only.some((o) => `${model.name}/${test}`.includes(o))) continue
    const t = model.tests[test]!
    const p = Object.fromEntries(Object.entries(model.params).map(([k, s]) => [k, params[k] ?? s.default]))
    const system = t.build(p, 1)
    const cpu0 = process.cpuUsage()
    const r = explore(system, { ...t.options, strategy: "bfs", ...(maxStates ? { maxStates } : {}) })
    const cpu = process.cpuUsage(cpu0)
    const cpuSeconds = (cpu.user + cpu.system) / 1e6
    out[`${model.name}/${test}`] = {
      params,
      verdict: r.verdict,
      distinct: r.distinct,
      seconds: +r.seconds.toFixed(2),
      distinctStatesPerSecond: Math.round(r.distinct / r.seconds),
      // On a shared machine wall time mostly measures the neighbours: CPU time is the steadier figure.
      cpuSeconds: +cpuSeconds.toFixed(2),
      distinctStatesPerCpuSecond: Math.round(r.distinct / cpuSeconds),
    }
  }
  return out
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await benchProtocolsBfs(process.argv.slice(2)), null, 1))
