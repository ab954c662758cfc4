/**
 * TCommit: the abstract transaction commit spec from the tlaplus Examples (TCommit.tla), of which
 * TwoPhase is a refinement. rmState packed 2 bits per RM (working, prepared, committed, aborted).
 */
import { invariant, type TransitionSystem } from "../src/checker/transition-system.ts"
import { packedFingerprint } from "./packed.ts"
import { RM_STATES } from "./twophase.ts"

const [WORKING, PREPARED, COMMITTED, ABORTED] = [0, 1, 2, 3]
const ACTIONS = ["Prepare", "DecideCommit", "DecideAbort"] as const

export const tCommit = ({ rm: n }: { readonly rm: number }): TransitionSystem<number, number> => {
  if (n < 1 || n > 15) throw new RangeError(`TCommit supports 1 to 15 resource managers, got ${n}`)
  const get = (s: number, r: number) => (s >>> (2 * r)) & 3
  const set = (s: number, r: number, v: number) => (s & ~(3 << (2 * r))) | (v << (2 * r))
  const every = (s: number, ok: (st: number) => boolean) => {
    for (let r = 0; r < n; r++) if (!ok(get(s, r))) return false
    return true
  }
  return {
    name: `TCommit(RM=${n})`,
    initial: () => [0],
    successors: (s, emit) => {
      const canCommit = every(s, (st) => st === PREPARED || st === COMMITTED)
      const notCommitted = every(s, (st) => st !== COMMITTED)
      for (let r = 0; r < n; r++) {
        const st = get(s, r)
        if (st === WORKING) emit(0 * 32 + r, set(s, r, PREPARED))
        if (st === PREPARED && canCommit) emit(1 * 32 + r, set(s, r, COMMITTED))
        if ((st === WORKING || st === PREPARED) && notCommitted) emit(2 * 32 + r, set(s, r, ABORTED))
      }
    },
    fingerprint: packedFingerprint,
    formatLabel: (l) => `${ACTIONS[l >>> 5]}(r${(l & 31) + 1})`,
    view: (s) => ({ rmState: Object.fromEntries(Array.from({ length: n }, (_, r) => [`r${r + 1}`, RM_STATES[get(s, r)]])) }),
    properties: [
      invariant("TCConsistent", (s) => !(every(s, (st) => st !== COMMITTED) === false && !every(s, (st) => st !== ABORTED))),
    ],
  }
}
