/**
 * The consensus logs a replicated service runs on, chosen by the `log` parameter: the spec-backed log
 * (spec/consensus as an atomic component), Multi-Paxos, or Raft. Raft runs bootstrapped (its first
 * server the elected leader of term 1), as Paxos's first server leads ballot 0.
 */
import { ModelError, type Params } from "../../checker/model.ts"
import type { Address } from "../../core/node.ts"
import { groupAddresses, type ReplicatedLog } from "../../core/replicated-log.ts"
import type { ReadIndexOptions } from "../../core/read-index.ts"
import { paxosReadIndexLog } from "../paxos/read-index.ts"
import { paxosLog } from "../paxos/server.ts"
import { raftReadIndexLog } from "../raft/read-index.ts"
import { raftLog } from "../raft/server.ts"
import { specLog } from "../speclog/server.ts"

export const LOGS = ["spec", "paxos", "raft"] as const
export type LogKind = (typeof LOGS)[number]

export interface LogOptions {
  /** Make a Paxos log persist (Raft always does, the spec log never), and a Raft log compact through snapshots past 32 entries. */
  readonly persist?: boolean
  /** Serve read-only commands by leader-confirmed reads (core/read-index.ts), with its options (planted bug); default: reads go through the log. */
  readonly reads?: ReadIndexOptions
  /** Raft: a server whose term has reached this starts no election (a bounded search with timers on). */
  readonly maxTerm?: number
}

/** The log every server of `servers` embeds at path "log". */
export const logFor = (kind: LogKind, servers: ReadonlyArray<Address>, options: LogOptions = {}): ReplicatedLog<unknown> => {
  const group = groupAddresses(servers, "log")
  const paxos = { ...(options.persist ? { persist: true } : {}) }
  // A persisting group (the shard groups) compacts its Raft log through snapshots, as its Paxos log does.
  const raft = { bootstrapLeader: true, ...(options.persist ? { snapshotThreshold: 32 } : {}), ...(options.maxTerm !== undefined ? { maxTerm: options.maxTerm } : {}) }
  const { reads } = options
  if (kind === "spec") return specLog(group, reads ? { reads: true } : {}) as ReplicatedLog<unknown>
  if (reads) return (kind === "paxos" ? paxosReadIndexLog(group, paxos, reads) : raftReadIndexLog(group, raft, reads)) as ReplicatedLog<unknown>
  return (kind === "paxos" ? paxosLog(group, paxos) : raftLog(group, raft)) as ReplicatedLog<unknown>
}

/** The `log` parameter (`fallback` when unset); anything but a known log is a ModelError. */
export const logParam = (p: Params, fallback: LogKind): LogKind => {
  const v = p.log || fallback
  if (!(LOGS as ReadonlyArray<string>).includes(v)) throw new ModelError(`parameter log must be one of ${LOGS.join(", ")}, not "${v}"`)
  return v as LogKind
}
