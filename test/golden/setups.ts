/**
 * The configurations golden scripts run on, by protocol directory: `setup key=value ...` in a script
 * picks the sizes; workloads are small put/append stories so every line of output can be read.
 */
import type { Config } from "../../src/core/config.ts"
import { workload } from "../../src/core/config.ts"
import { append, appendResult, put, putOk } from "../../src/core/kv.ts"
import { InteractionError } from "../../src/core/interaction.ts"
import { clientServerConfig } from "../../src/protocols/clientserver/model.ts"
import { paxosConfig } from "../../src/protocols/paxos/model.ts"
import { pingConfig, pingWorkload } from "../../src/protocols/pingpong/model.ts"
import { raftConfig } from "../../src/protocols/raft/scenarios.ts"

type Opts = Readonly<Record<string, string>>

const int = (o: Opts, key: string, dflt: number): number => {
  const v = o[key] === undefined ? dflt : Number(o[key])
  if (!Number.isInteger(v) || v < 1 || v > 9) throw new InteractionError(`setup: ${key}=${o[key]} is not an integer from 1 to 9`)
  return v
}

/** Client i puts its own key, then appends to it: `client1` puts k1=a1, appends b1. */
const kvWorkloads = (o: Opts) =>
  Array.from({ length: int(o, "clients", 1) }, (_, k) => {
    const i = k + 1
    return workload([
      [put(`k${i}`, `a${i}`), putOk()],
      [append(`k${i}`, `b${i}`), appendResult(`a${i}b${i}`)],
    ]).commands.slice(0, int(o, "ops", 1))
  }).map((commands) => ({ commands }))

export const setups: Readonly<Record<string, (o: Opts) => Config>> = {
  pingpong: (o) => pingConfig({ workloads: Array.from({ length: int(o, "clients", 1) }, (_, i) => pingWorkload(`client${i + 1}`, int(o, "pings", 1))) }),
  clientserver: (o) => clientServerConfig({ workloads: kvWorkloads(o) }),
  paxos: (o) => paxosConfig({ servers: int(o, "servers", 3), workloads: kvWorkloads(o) }),
  raft: (o) => raftConfig({ servers: int(o, "servers", 3), workloads: kvWorkloads(o) }),
}
