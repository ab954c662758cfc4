/**
 * SNAPSHOT_IS_APPLIED_STATE: a group server whose log's snapshot is labelled with the last slot it has
 * applied holds, as that snapshot, exactly its applied state. The log takes the snapshot the parent
 * hands it after applying a slot (server.ts's snapshotAt) and, after a restart, replays only the slots
 * after its label; a snapshot labelled with a slot whose command it does not contain (or one taken
 * before the last command of the batch) makes a restarted server skip that command for good. Caught at
 * the step that takes such a snapshot, before any crash. The label and the applied slot are the log's
 * own: Multi-Paxos's snapSlot and slotOut - 1, Raft's snapIndex and commitIndex (its lastApplied);
 * a log without snapshots (the spec-backed one) is not checked.
 */
import { sameValue } from "../../checker/hash.ts"
import { invariant, type StateProperty } from "../../checker/transition-system.ts"
import type { Role } from "../../core/roles.ts"
import type { World } from "../../core/world.ts"
import type { GroupServerState } from "./server.ts"

/** The snapshot of a Paxos or Raft log state, when it is labelled with the last slot applied. */
const currentSnapshot = (log: unknown): { readonly slot: number; readonly data: unknown } | undefined => {
  const l = log as { snap?: unknown; snapSlot?: number; slotOut?: number; snapIndex?: number; commitIndex?: number } | undefined
  if (l === undefined || l.snap === undefined) return undefined
  if (l.snapSlot !== undefined && l.slotOut !== undefined) return l.snapSlot >= 0 && l.snapSlot === l.slotOut - 1 ? { slot: l.snapSlot, data: l.snap } : undefined
  if (l.snapIndex !== undefined && l.commitIndex !== undefined) return l.snapIndex > 0 && l.snapIndex === l.commitIndex ? { slot: l.snapIndex, data: l.snap } : undefined
  return undefined
}

export const snapshotIsAppliedState = <W extends World>(servers: ReadonlyArray<Role<GroupServerState<unknown, unknown>>>): StateProperty<W> => {
  const serverProblem = (r: Role<GroupServerState<unknown, unknown>>, s: GroupServerState<unknown, unknown>): string | undefined => {
    const snap = currentSnapshot(s.log)
    return snap === undefined || sameValue(snap.data, s.app) ? undefined : `${r.address}'s snapshot is labelled slot ${snap.slot}, the last it applied, but differs from its applied state`
  }
  // Checked on every state, each server's fingerprinting its whole store: a verdict per (server, state object), which recur across worlds.
  const verdicts = servers.map(() => new WeakMap<object, string | null>())
  const problem = (w: W): string | undefined => {
    for (let i = 0; i < servers.length; i++) {
      const s = servers[i]!.state(w)
      if (s === undefined) continue
      let v = verdicts[i]!.get(s)
      if (v === undefined) verdicts[i]!.set(s, (v = serverProblem(servers[i]!, s) ?? null))
      if (v !== null) return v
    }
    return undefined
  }
  return invariant<W>("SNAPSHOT_IS_APPLIED_STATE", (w) => problem(w) === undefined, problem)
}
