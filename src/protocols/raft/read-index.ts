/**
 * Raft's ReadIndex (core/read-index.ts): the leader's read point is its commit index, once it has
 * committed an entry of its own term (before that its commit index may lag what earlier leaders
 * committed, and the read goes through the log); the probes are acknowledged by replicas in its term.
 */
import type { Address } from "../../core/node.ts"
import { type ReadIndexed, readIndexed, type ReadIndexOptions } from "../../core/read-index.ts"
import type { ReplicatedLog } from "../../core/replicated-log.ts"
import { raftLog, type RaftState, type ServerOptions, termAt } from "./server.ts"

export const raftReadIndexLog = (group: ReadonlyArray<Address>, options: ServerOptions = {}, reads: ReadIndexOptions = {}): ReplicatedLog<ReadIndexed<RaftState>> =>
  readIndexed(
    raftLog(group, options),
    group,
    {
      epoch: (s) => `${s.term}`,
      readPoint: (s) => (s.role === "leader" && termAt(s, s.commitIndex) === s.term ? s.commitIndex : null),
      applied: (s) => s.commitIndex,
    },
    reads
  )
