/**
 * LockedKeysServed: every key a group replica holds locked is in a shard that replica serves. A
 * participant prepares only keys it serves, and applies no configuration while it holds a prepared
 * transaction, so a locked shard never moves before its decision; a group that moved it would find no
 * shard to apply the commit's writes to.
 */
import { invariant, type StateProperty } from "../../checker/transition-system.ts"
import type { World } from "../../core/world.ts"
import { keyShard } from "../shardkv/keys.ts"
import type { TxnGroupState } from "./messages.ts"

const unserved = (replicas: ReadonlyArray<TxnGroupState>): string | undefined => {
  for (const r of replicas) {
    const shards = r.base.config?.shards.length ?? 0
    for (const [key, owner] of r.locks) {
      const shard = keyShard(key, shards)
      const held = r.base.shards.get(shard)
      if (held?._tag !== "Serving" || r.base.config?.shards[shard] !== r.base.group)
        return `group ${r.base.group} holds ${key} locked for ${owner} but ${held?._tag === "Sending" ? `hands shard ${shard} off` : `does not serve shard ${shard}`} (configuration ${r.base.config?.num ?? 0})`
    }
  }
  return undefined
}

export const lockedKeysServed = <W extends World>(replicas: (w: W) => ReadonlyArray<TxnGroupState>): StateProperty<W> =>
  invariant<W>("LockedKeysServed", (w) => unserved(replicas(w)) === undefined, (w) => unserved(replicas(w)))
