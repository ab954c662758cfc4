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

const int = (o: Opts, key: string, dflt: number, max = 9): number => {
  const v = o[key] === undefined ? dflt : Number(o[key])
  if (!Number.isInteger(v) || v < 1 || v > max) throw new InteractionError(`setup: ${key}=${o[key]} is not an integer from 1 to ${max}`)
  return v
}

/** Client i puts its own key, then appends to it: `client1` puts k1=a1, appends b1. */
export const kvWorkloads = (o: Opts) =>
  Array.from({ length: int(o, "clients", 1) }, (_, k) => {
    const i = k + 1
    return workload([
      [put(`k${i}`, `a${i}`), putOk()],
      [append(`k${i}`, `b${i}`), appendResult(`a${i}b${i}`)],
    ]).commands.slice(0, int(o, "ops", 1, 2))
  }).map((commands) => ({ commands }))

/** A setup that accepts only the keys it reads, so a misspelt key is an error rather than a default. */
const keyed =
  (keys: ReadonlyArray<string>, build: (o: Opts) => Config) =>
  (o: Opts): Config => {
    for (const k of Object.keys(o)) if (!keys.includes(k)) throw new InteractionError(`setup: unknown key "${k}" (${keys.join(", ")})`)
    return build(o)
  }

export const setups: Readonly<Record<string, (o: Opts) => Config>> = {
  pingpong: keyed(["clients", "pings"], (o) =>
    pingConfig({ workloads: Array.from({ length: int(o, "clients", 1) }, (_, i) => pingWorkload(`client${i + 1}`, int(o, "pings", 1))) })
  ),
  clientserver: keyed(["clients", "ops"], (o) => clientServerConfig({ workloads: kvWorkloads(o) })),
  paxos: keyed(["servers", "clients", "ops"], (o) => paxosConfig({ servers: int(o, "servers", 3), workloads: kvWorkloads(o) })),
  raft: keyed(["servers", "clients", "ops"], (o) => raftConfig({ servers: int(o, "servers", 3), workloads: kvWorkloads(o) })),
}
