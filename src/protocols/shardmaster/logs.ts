/** The consensus logs the shard master and the shard groups run on, chosen by the `log` parameter. */
import { ModelError, type Params } from "../../checker/model.ts"
import type { Address } from "../../core/node.ts"
import { groupAddresses, type ReplicatedLog } from "../../core/replicated-log.ts"
import { paxosLog } from "../paxos/server.ts"
import { specLog } from "../speclog/server.ts"

export type LogKind = "paxos" | "spec"

/** The log every server of `servers` embeds at path "log". */
export const logFor = (kind: LogKind, servers: ReadonlyArray<Address>): ReplicatedLog<unknown> =>
  (kind === "spec" ? specLog(groupAddresses(servers, "log")) : paxosLog(groupAddresses(servers, "log"))) as ReplicatedLog<unknown>

export const logParam = (p: Params): LogKind => {
  const log = p.log || "paxos"
  if (log !== "paxos" && log !== "spec") throw new ModelError(`parameter log must be paxos or spec, got "${log}"`)
  return log
}
