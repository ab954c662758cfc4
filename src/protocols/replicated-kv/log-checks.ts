/**
 * The consensus log's own invariants, instantiated per group of a replicated service: on Paxos
 * LOGS_CONSISTENT and REFINES_CONSENSUS, on Raft Figure 3's ELECTION_SAFETY, LOG_MATCHING,
 * LEADER_COMPLETENESS and STATE_MACHINE_SAFETY, with COMMITTED_ON_QUORUM, MATCH_INDEX_TRUE and the
 * step property COMMIT_INDEX_MONOTONE (the spec-backed log is the spec: nothing to check).
 * Several groups (a shard master and the shard groups) share one property per name, which fails with
 * the first failing group's explanation.
 */
import { invariant, type StateProperty, type StepProperty } from "../../checker/transition-system.ts"
import type { Role } from "../../core/roles.ts"
import type { World } from "../../core/world.ts"
import { logsConsistent, persistedReplica } from "../paxos/properties.ts"
import { refinesConsensus } from "../paxos/refinement.ts"
import type { PaxosState } from "../paxos/server.ts"
import { commitIndexMonotone, raftGroupInvariants, type RaftReplica } from "../raft/properties.ts"
import type { RaftDurable, RaftState } from "../raft/server.ts"
import type { LogKind } from "./logs.ts"

/** A replicated service's server state: its applied state machine and its log component's state. */
export interface ReplicaState {
  readonly app: unknown
  readonly log: unknown
}

export interface LogChecks<W extends World, L> {
  readonly properties: Array<StateProperty<W>>
  readonly steps: Array<StepProperty<W, L>>
}

const allGroups = <W>(perGroup: ReadonlyArray<ReadonlyArray<StateProperty<W>>>): Array<StateProperty<W>> =>
  (perGroup[0] ?? []).map((p, k) => {
    const each = perGroup.map((g) => g[k]!)
    return invariant<W>(p.name, (w) => each.every((q) => q.holds(w)), (w) => each.find((q) => !q.holds(w))?.explain?.(w))
  })

const allGroupSteps = <W, L>(perGroup: ReadonlyArray<StepProperty<W, L>>): Array<StepProperty<W, L>> =>
  perGroup.length === 0
    ? []
    : [
        {
          name: perGroup[0]!.name,
          check: (from, label, to) => {
            for (const p of perGroup) {
              const why = p.check(from, label, to)
              if (why !== undefined) return why
            }
            return undefined
          },
        },
      ]

/** The log's invariants over each group of servers (typed roles whose state holds `app` and `log`). */
export const logChecks = <W extends World, L>(kind: LogKind, groups: ReadonlyArray<ReadonlyArray<Role<ReplicaState>>>): LogChecks<W, L> => {
  if (kind === "raft") {
    const replicas = groups.map((g) =>
      g.map(
        (r): RaftReplica => ({
          name: r.address,
          log: (w: World) => r.state(w)?.log as RaftState | undefined,
          app: (w: World) => r.state(w)?.app,
          stored: (w: World) => r.stored(w, "log") as RaftDurable | undefined,
        })
      )
    )
    return {
      properties: allGroups(replicas.map((g) => raftGroupInvariants(g)) as ReadonlyArray<ReadonlyArray<StateProperty<W>>>),
      steps: allGroupSteps(replicas.map((g) => commitIndexMonotone<L>(g) as StepProperty<W, L>)),
    }
  }
  if (kind === "paxos") {
    // A crashed replica is read from its storage: a slot only it learned stays chosen (properties.ts).
    const replicas = groups.map((g) => g.map((r) => persistedReplica(r.address, (w) => r.state(w)?.log as PaxosState | undefined, (w) => r.stored(w, "log"))))
    return { properties: allGroups(replicas.map((g) => [logsConsistent<W>(g)])), steps: allGroupSteps(replicas.map((g) => refinesConsensus<W, L>(g))) }
  }
  return { properties: [], steps: [] }
}
