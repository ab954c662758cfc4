/**
 * The log is the state machine's source of truth (issue 14 item 5, session 8): an up server's applied
 * state is its snapshot with the committed entries after it applied, in order. Every path that changes
 * the applied state -- a commit, InstallSnapshot, compaction, recovery after a crash -- must keep it so;
 * STATE_MACHINE_SAFETY sees a wrong one only when another server has the same commit index, which after
 * a restart can take a long way round (the swarm needed 33 steps for a recovery that skips the snapshot).
 */
import { sameValue } from "../../checker/hash.ts"
import type { World } from "../../core/world.ts"
import { raftServers, raftVerdicts, replayLog } from "./properties.ts"


/** APPLIED_IS_LOG over the raft model's servers `s1`..`sn` (named `names`); verdicts cached per node states, in `verdicts` (the raft invariants' cache, shared). */
export const appliedIsLog = (n: number, names: ReadonlyArray<string>, verdicts = raftVerdicts(n, names)) =>
  verdicts.invariant("APPLIED_IS_LOG", (w: World) => {
    for (let i = 0; i < n; i++) {
      const s = raftServers(n)[i]!.state(w)
      if (!s) continue
      const want = replayLog(s.log)
      if (want !== s.app && !sameValue(want, s.app)) return `${names[i]}'s applied state is not its snapshot through ${s.log.snapIndex} with the committed entries through ${s.log.commitIndex} applied`
    }
    return undefined
  })
