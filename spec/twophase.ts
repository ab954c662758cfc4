/**
 * TwoPhase: Gray and Lamport's two-phase commit with a transaction manager (TM) and resource managers
 * RM, ported from the tlaplus Examples' TwoPhase.tla. Same variables, same actions, same invariant;
 * TLC's distinct-state counts are reproduced exactly (RM=3: 288, RM=5: 8,832, RM=9: 10,340,352).
 *
 * The state is packed into one integer (see packed.ts):
 *   lo word: rmState, 2 bits per RM (working 0, prepared 1, committed 2, aborted 3)
 *            | tmState (2 bits: init 0, committed 1, aborted 2) | msgs: Commit (1 bit), Abort (1 bit)
 *   hi word: tmPrepared (RM bits) | msgs: Prepared(rm) (RM bits)
 * With RM <= 10 the hi word stays under 2^21, so the whole state is an exact double.
 */
import { invariant, type TransitionSystem } from "../src/checker/transition-system.ts"
import { hiWord, loWord, pack, packedFingerprint } from "./packed.ts"

export const RM_STATES = ["working", "prepared", "committed", "aborted"] as const
export const TM_STATES = ["init", "committed", "aborted"] as const
const [WORKING, PREPARED, COMMITTED, ABORTED] = [0, 1, 2, 3]
const [TM_INIT, TM_COMMITTED, TM_ABORTED] = [0, 1, 2]

export const ACTIONS = ["TMRcvPrepared", "TMCommit", "TMAbort", "RMPrepare", "RMChooseToAbort", "RMRcvCommitMsg", "RMRcvAbortMsg"] as const
export type Action = (typeof ACTIONS)[number]
/** A label: action index * 32 + rm. */
export type Label = number

export interface TwoPhaseOptions {
  readonly rm: number
  /** Planted bug for tests: the TM commits without waiting for every RM to be prepared. */
  readonly bugCommitWithoutAllPrepared?: boolean
}

export const twoPhase = ({ rm: n, bugCommitWithoutAllPrepared = false }: TwoPhaseOptions): TransitionSystem<number, Label> => {
  if (n < 1 || n > 10) throw new RangeError(`TwoPhase supports 1 to 10 resource managers, got ${n}`)
  const all = (1 << n) - 1
  const TM_SHIFT = 2 * n
  const tmState = (lo: number) => (lo >>> TM_SHIFT) & 3
  const withTm = (lo: number, tm: number) => (lo & ~(3 << TM_SHIFT)) | (tm << TM_SHIFT)
  const COMMIT_MSG = 1 << (2 * n + 2)
  const ABORT_MSG = 1 << (2 * n + 3)
  const tmPrepared = (hi: number) => hi & all
  const preparedMsgs = (hi: number) => (hi >>> n) & all
  const rmState = (lo: number, r: number) => (lo >>> (2 * r)) & 3
  const setRm = (lo: number, r: number, v: number) => (lo & ~(3 << (2 * r))) | (v << (2 * r))

  const successors = (s: number, emit: (label: Label, next: number) => void): void => {
    const lo = loWord(s)
    const hi = hiWord(s)
    const tm = tmState(lo)
    if (tm === TM_INIT) {
      // TMCommit: all RMs prepared (the planted bug: any one prepared).
      const prepared = tmPrepared(hi)
      if (prepared === all || (bugCommitWithoutAllPrepared && prepared !== 0))
        emit(1 * 32, pack(hi, withTm(lo, TM_COMMITTED) | COMMIT_MSG))
      emit(2 * 32, pack(hi, withTm(lo, TM_ABORTED) | ABORT_MSG)) // TMAbort
    }
    for (let r = 0; r < n; r++) {
      const bit = 1 << r
      // TMRcvPrepared(r)
      if (tm === TM_INIT && preparedMsgs(hi) & bit && !(tmPrepared(hi) & bit)) emit(0 * 32 + r, pack(hi | bit, lo))
      const st = rmState(lo, r)
      if (st === WORKING) {
        emit(3 * 32 + r, pack(hi | (bit << n), setRm(lo, r, PREPARED))) // RMPrepare(r)
        emit(4 * 32 + r, pack(hi, setRm(lo, r, ABORTED))) // RMChooseToAbort(r)
      }
      // RMRcvCommitMsg(r), RMRcvAbortMsg(r): UNCHANGED when already in that state is a self-loop, as in TLC.
      if (lo & COMMIT_MSG) emit(5 * 32 + r, pack(hi, setRm(lo, r, COMMITTED)))
      if (lo & ABORT_MSG) emit(6 * 32 + r, pack(hi, setRm(lo, r, ABORTED)))
    }
  }

  const view = (s: number) => {
    const lo = loWord(s)
    const hi = hiWord(s)
    const rms = Array.from({ length: n }, (_, r) => `r${r + 1}`)
    return {
      rmState: Object.fromEntries(rms.map((name, r) => [name, RM_STATES[rmState(lo, r)]])),
      tmState: TM_STATES[tmState(lo)],
      tmPrepared: rms.filter((_, r) => tmPrepared(hi) & (1 << r)),
      msgs: [
        ...rms.filter((_, r) => preparedMsgs(hi) & (1 << r)).map((rm) => ({ type: "Prepared", rm })),
        ...(lo & COMMIT_MSG ? [{ type: "Commit" }] : []),
        ...(lo & ABORT_MSG ? [{ type: "Abort" }] : []),
      ],
    }
  }

  // TCConsistent: no RM has aborted while another has committed.
  const consistent = (s: number) => {
    const lo = loWord(s)
    let committed = false
    let aborted = false
    for (let r = 0; r < n; r++) {
      const st = rmState(lo, r)
      if (st === COMMITTED) committed = true
      else if (st === ABORTED) aborted = true
    }
    return !(committed && aborted)
  }

  return {
    name: `TwoPhase(RM=${n})`,
    initial: () => [pack(0, withTm(0, TM_INIT))],
    successors,
    fingerprint: packedFingerprint,
    formatLabel: (l) => {
      const action = ACTIONS[l >>> 5]!
      return action === "TMCommit" || action === "TMAbort" ? action : `${action}(r${(l & 31) + 1})`
    },
    view,
    properties: [invariant("TCConsistent", consistent, (s) => `rmState = ${JSON.stringify(view(s).rmState)}`)],
    causality: (l) => ({ actor: (l >>> 5) < 3 ? "TM" : `r${(l & 31) + 1}` }),
  }
}
