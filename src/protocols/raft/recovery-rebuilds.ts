/**
 * RECOVERY_REBUILDS for Raft (session 12; Paxos has its own, paxos/properties-recovery.ts): what a
 * server stored, recovered now by the server's own `recover`, gives an applied state that is its
 * snapshot with the committed entries after it applied (APPLIED_IS_LOG of the recovered server). The
 * searches crash a server rarely, and only a crash after a compaction with committed entries past the
 * snapshot shows a recovery that hands its parent the snapshot and the entries in the wrong order (the
 * blind mutant recover-restores-snapshot-last), or skips either: the swarm hunt needed 35-46 steps.
 * Checked on storage at every state, it fails at the write that makes the storage recover wrong,
 * before any crash. One recovery per stored record (core/recovered-storage.ts, shared with Paxos's).
 */
import { sameValue } from "../../checker/hash.ts"
import { invariant, type StateProperty } from "../../checker/transition-system.ts"
import type { AMOState } from "../../core/application.ts"
import type { Config } from "../../core/config.ts"
import { judgeRecovered } from "../../core/recovered-storage.ts"
import type { KVState } from "../../core/kv.ts"
import type { RaftServerState } from "./server.ts"
import type { World } from "../../core/world.ts"
import { replayLog } from "./properties.ts"

/** Over the first `n` nodes of `config` (the Raft servers). */
export const recoveryRebuilds = <W extends World>(config: Config, n: number): StateProperty<W> => {
  const verdict = judgeRecovered<string | null>(config, (i, recovered) => {
    const s = recovered as RaftServerState<KVState>
    const want: AMOState<KVState> = replayLog(s.log)
    return want === s.app || sameValue(want, s.app)
      ? null
      : `${config.servers[i]!.address}'s storage recovers a server whose applied state is not its snapshot through ${s.log.snapIndex} with the committed entries through ${s.log.commitIndex} applied`
  })
  const check = (w: World): string | undefined => {
    for (let i = 0; i < n; i++) {
      const durable = w.nodes[i]!.durable
      if (durable === undefined) continue
      const v = verdict(i, durable)
      if (v !== null) return v
    }
    return undefined
  }
  return invariant<W>("RECOVERY_REBUILDS", (w) => check(w) === undefined, check)
}
