/**
 * The consensus logs a replicated service runs on, chosen by the `log` parameter: the spec-backed log
 * (spec/consensus as an atomic component), Multi-Paxos, or Raft. Raft runs bootstrapped (its first
 * server the elected leader of term 1), as Paxos's first server leads ballot 0.
 */
import { ModelError, type Params } from "../../checker/model.ts"
import type { Address } from "../../core/node.ts"
import { groupAddresses, type ReplicatedLog } from "../../core/replicated-log.ts"
import { paxosLog } from "../paxos/server.ts"
import { raftLog } from "../raft/server.ts"
import { specLog } from "../speclog/server.ts"

export const LOGS = ["spec", "paxos", "raft"] as const
export type LogKind = (typeof LOGS)[number]

/** The log every server of `servers` embeds at path "log"; `persist` makes a Paxos log persist (Raft always does, the spec log never). */
export const logFor = (kind: LogKind, servers: ReadonlyArray<Address>, options: { readonly persist?: boolean } = {}): ReplicatedLog<unknown> => {
  const group = groupAddresses(servers, "log")
  return (kind === "spec" ? specLog(group) : kind === "paxos" ? paxosLog(group, options) : raftLog(group, { bootstrapLeader: true })) as ReplicatedLog<unknown>
}

/** The `log` parameter (`fallback` when unset); anything but a known log is a ModelError. */
export const logParam = (p: Params, fallback: LogKind): LogKind => {
  const v = p.log || fallback
  if (!(LOGS as ReadonlyArray<string>).includes(v)) throw new ModelError(`parameter log must be one of ${LOGS.join(", ")}, not "${v}"`)
  return v as LogKind
}
