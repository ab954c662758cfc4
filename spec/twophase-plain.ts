/**
 * TwoPhase (TwoPhase.tla) written as a user would: a plain-object state with the TLA+ variables as
 * fields, sets as Sets, and one function per action in the words of the TLA+ original. The packed
 * spec/twophase.ts is the same spec squeezed into an integer; both reproduce TLC's distinct-state
 * counts, and `twoPhaseRefinesTCommit` (src/refinement/twophase-tcommit.ts) checks that this one
 * refines TCommit.
 */
import { plainFingerprint } from "../src/checker/plain.ts"
import { invariant, type TransitionSystem } from "../src/checker/transition-system.ts"
import { rmNames, tcConsistent, type RM, type RMState } from "./tcommit-plain.ts"

export type TMState = "init" | "committed" | "aborted"
export type Message = { readonly type: "Prepared"; readonly rm: RM } | { readonly type: "Commit" } | { readonly type: "Abort" }

export interface TwoPhaseState {
  readonly rmState: Readonly<Record<RM, RMState>>
  readonly tmState: TMState
  readonly tmPrepared: ReadonlySet<RM>
  readonly msgs: ReadonlySet<Message>
}

export type TwoPhaseAction = "TMRcvPrepared" | "TMCommit" | "TMAbort" | "RMPrepare" | "RMChooseToAbort" | "RMRcvCommitMsg" | "RMRcvAbortMsg"
export type TwoPhaseLabel = { readonly action: TwoPhaseAction; readonly rm?: RM }

export interface TwoPhasePlainOptions {
  readonly rm: number
  /** Planted bug for tests: the TM commits once any RM is prepared. */
  readonly bugCommitWithoutAllPrepared?: boolean
  /** Planted bug for the refinement test: an RM that receives Commit while still working commits. */
  readonly bugCommitWhileWorking?: boolean
}

/** msgs is a set of records, compared by value as in TLA+ (not by object identity). */
const sameMessage = (a: Message, b: Message) => a.type === b.type && (a as { rm?: RM }).rm === (b as { rm?: RM }).rm
const sent = (msgs: ReadonlySet<Message>, m: Message): boolean => {
  for (const x of msgs) if (sameMessage(x, m)) return true
  return false
}
const send = (msgs: ReadonlySet<Message>, m: Message): ReadonlySet<Message> => (sent(msgs, m) ? msgs : new Set(msgs).add(m))
const add = <T>(set: ReadonlySet<T>, x: T): ReadonlySet<T> => (set.has(x) ? set : new Set(set).add(x))
/** [f EXCEPT ![k] = v] */
const except = <K extends string, V>(f: Readonly<Record<K, V>>, k: K, v: V): Readonly<Record<K, V>> => {
  const g: Record<K, V> = { ...f }
  g[k] = v
  return g
}

export const twoPhasePlain = (options: TwoPhasePlainOptions): TransitionSystem<TwoPhaseState, TwoPhaseLabel> => {
  const { rm: n, bugCommitWithoutAllPrepared = false, bugCommitWhileWorking = false } = options
  if (n < 1 || n > 10) throw new RangeError(`TwoPhase supports 1 to 10 resource managers, got ${n}`)
  const RM = rmNames(n)
  const Commit: Message = { type: "Commit" }
  const Abort: Message = { type: "Abort" }
  const Prepared: Readonly<Record<RM, Message>> = Object.fromEntries(RM.map((rm) => [rm, { type: "Prepared", rm }]))

  // Each action returns the next state with every variable spelled out, UNCHANGED ones included, as in
  // the TLA+ original (and cheaper for V8 than spreading the state).
  const TMRcvPrepared = (s: TwoPhaseState, rm: RM): TwoPhaseState | undefined =>
    s.tmState === "init" && sent(s.msgs, Prepared[rm]!)
      ? { rmState: s.rmState, tmState: s.tmState, tmPrepared: add(s.tmPrepared, rm), msgs: s.msgs }
      : undefined
  const TMCommit = (s: TwoPhaseState): TwoPhaseState | undefined =>
    s.tmState === "init" && (s.tmPrepared.size === n || (bugCommitWithoutAllPrepared && s.tmPrepared.size > 0))
      ? { rmState: s.rmState, tmState: "committed", tmPrepared: s.tmPrepared, msgs: send(s.msgs, Commit) }
      : undefined
  const TMAbort = (s: TwoPhaseState): TwoPhaseState | undefined =>
    s.tmState === "init" ? { rmState: s.rmState, tmState: "aborted", tmPrepared: s.tmPrepared, msgs: send(s.msgs, Abort) } : undefined
  const RMPrepare = (s: TwoPhaseState, rm: RM): TwoPhaseState | undefined =>
    s.rmState[rm] === "working"
      ? { rmState: except(s.rmState, rm, "prepared"), tmState: s.tmState, tmPrepared: s.tmPrepared, msgs: send(s.msgs, Prepared[rm]!) }
      : undefined
  const setRm = (s: TwoPhaseState, rm: RM, v: RMState): TwoPhaseState => ({ rmState: except(s.rmState, rm, v), tmState: s.tmState, tmPrepared: s.tmPrepared, msgs: s.msgs })
  const RMChooseToAbort = (s: TwoPhaseState, rm: RM) => (s.rmState[rm] === "working" ? setRm(s, rm, "aborted") : undefined)
  const RMRcvCommitMsg = (s: TwoPhaseState, rm: RM) =>
    sent(s.msgs, Commit) || (bugCommitWhileWorking && s.rmState[rm] === "working" && s.tmState === "init") ? setRm(s, rm, "committed") : undefined
  const RMRcvAbortMsg = (s: TwoPhaseState, rm: RM) => (sent(s.msgs, Abort) ? setRm(s, rm, "aborted") : undefined)

  const perRm = [
    ["TMRcvPrepared", TMRcvPrepared],
    ["RMPrepare", RMPrepare],
    ["RMChooseToAbort", RMChooseToAbort],
    ["RMRcvCommitMsg", RMRcvCommitMsg],
    ["RMRcvAbortMsg", RMRcvAbortMsg],
  ] as const
  const labels = Object.fromEntries(perRm.map(([action]) => [action, Object.fromEntries(RM.map((rm) => [rm, { action, rm }]))])) as Record<
    TwoPhaseAction,
    Record<RM, TwoPhaseLabel>
  >
  const tmCommit: TwoPhaseLabel = { action: "TMCommit" }
  const tmAbort: TwoPhaseLabel = { action: "TMAbort" }

  return {
    name: `TwoPhase-plain(RM=${n})`,
    initial: () => [{ rmState: Object.fromEntries(RM.map((rm) => [rm, "working"])), tmState: "init", tmPrepared: new Set(), msgs: new Set() }],
    successors: (s, emit) => {
      const commit = TMCommit(s)
      if (commit) emit(tmCommit, commit)
      const abort = TMAbort(s)
      if (abort) emit(tmAbort, abort)
      for (const rm of RM)
        for (const [action, step] of perRm) {
          const next = step(s, rm)
          if (next) emit(labels[action][rm]!, next)
        }
    },
    fingerprint: plainFingerprint,
    formatLabel: (l) => (l.rm === undefined ? l.action : `${l.action}(${l.rm})`),
    view: (s) => ({ rmState: s.rmState, tmState: s.tmState, tmPrepared: [...s.tmPrepared].sort(), msgs: [...s.msgs] }),
    properties: [invariant("TCConsistent", (s) => tcConsistent(s.rmState), (s) => `rmState = ${JSON.stringify(s.rmState)}`)],
    causality: (l) => ({ actor: l.action.startsWith("TM") ? "TM" : l.rm! }),
  }
}
