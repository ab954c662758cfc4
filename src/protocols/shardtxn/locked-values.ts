/**
 * LOCKED_VALUES_UNCHANGED (a step property): a key a replica holds locked for a prepared transaction
 * keeps its value until that transaction's decision. The participant's yes vote carried the key's
 * value, and the coordinator computes the transaction's reads and writes from it; anything else that
 * changes the key meanwhile (a single-key Put or Append served under the lock, another transaction's
 * commit) is lost when the commit overwrites it, or read stale by the transaction. Checked at the step
 * that changes the value, before any client notices (a decision releases the lock in the same step
 * that writes, so it is not a change under the lock).
 */
import type { StepProperty } from "../../checker/transition-system.ts"
import type { Role } from "../../core/roles.ts"
import type { World } from "../../core/world.ts"
import { keyShard } from "../shardkv/keys.ts"
import type { GroupServerState } from "../shardkv/server.ts"
import { compareIds, showId, type TxnGroupState } from "./messages.ts"

type Server = Role<GroupServerState<unknown, TxnGroupState>>

const valueOf = (s: TxnGroupState, key: string, shards: number): string | null | undefined => {
  const held = s.base.shards.get(keyShard(key, shards))
  return held?._tag === "Serving" ? (held.data.kv.get(key) ?? null) : undefined
}

export const lockedValuesUnchanged = <W extends World, L>(servers: ReadonlyArray<Server>, shards: number): StepProperty<W, L> => ({
  name: "LOCKED_VALUES_UNCHANGED",
  check: (from, _label, to) => {
    for (const r of servers) {
      const [before, after] = [r.state(from)?.app, r.state(to)?.app]
      if (before === undefined || after === undefined || before.base === after.base) continue
      for (const [key, owner] of after.locks) {
        const [p, q] = [before.prepared.get(owner), after.prepared.get(owner)]
        if (before.locks.get(key) !== owner || p === undefined || q === undefined || compareIds(p.id, q.id) !== 0) continue
        const [x, y] = [valueOf(before, key, shards), valueOf(after, key, shards)]
        if (x !== y) return `${r.address} holds ${key} locked for ${showId(q.id)} (prepared, undecided), yet its value changes from ${JSON.stringify(x)} to ${JSON.stringify(y)}`
      }
    }
    return undefined
  },
})
