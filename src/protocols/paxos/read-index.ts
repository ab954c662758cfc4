/**
 * Leader-confirmed reads on Multi-Paxos (core/read-index.ts): the active leader's read point is the
 * highest slot in its log (phase 1 gave it every slot an earlier ballot may have chosen, and it chose
 * every later one itself), reached once it has executed through it; the probes are acknowledged by
 * replicas still promised to its ballot.
 */
import type { Address } from "../../core/node.ts"
import { type ReadIndexed, readIndexed, type ReadIndexOptions } from "../../core/read-index.ts"
import type { ReplicatedLog } from "../../core/replicated-log.ts"
import { paxosLog, type PaxosState, type ServerOptions } from "./server.ts"

const topSlot = (s: PaxosState): number => {
  let top = s.slotOut - 1
  for (const k of s.log.keys()) if (k > top) top = k
  return top
}

export const paxosReadIndexLog = (group: ReadonlyArray<Address>, options: ServerOptions = {}, reads: ReadIndexOptions = {}): ReplicatedLog<ReadIndexed<PaxosState>> =>
  readIndexed(
    paxosLog(group, options),
    group,
    {
      epoch: (s) => `${s.round}:${s.leader}`,
      readPoint: (s) => (s.active ? topSlot(s) : null),
      applied: (s) => s.slotOut - 1,
    },
    reads
  )
