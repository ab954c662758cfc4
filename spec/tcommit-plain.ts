/**
 * TCommit (TCommit.tla) written as a user would: the state is a plain object, one field per TLA+
 * variable, and each action reads like its TLA+ definition. spec/tcommit.ts is the same spec packed
 * into an integer for speed; both give TLC's state counts.
 */
import { plainFingerprint } from "../src/checker/plain.ts"
import { invariant, type TransitionSystem } from "../src/checker/transition-system.ts"

export type RM = string
export type RMState = "working" | "prepared" | "committed" | "aborted"

export interface TCommitState {
  readonly rmState: Readonly<Record<RM, RMState>>
}

export type TCommitLabel = { readonly action: "Prepare" | "DecideCommit" | "DecideAbort"; readonly rm: RM }

/** The resource managers r1..rn, as TLC's model values. */
export const rmNames = (n: number): ReadonlyArray<RM> => Array.from({ length: n }, (_, i) => `r${i + 1}`)

/** TCConsistent: no RM has aborted while another has committed. */
export const tcConsistent = (rmState: Readonly<Record<RM, RMState>>): boolean => {
  const states = Object.values(rmState)
  return !(states.includes("aborted") && states.includes("committed"))
}

export const tCommitPlain = ({ rm: n }: { readonly rm: number }): TransitionSystem<TCommitState, TCommitLabel> => {
  if (n < 1 || n > 15) throw new RangeError(`TCommit supports 1 to 15 resource managers, got ${n}`)
  const RM = rmNames(n)
  const set = (s: TCommitState, rm: RM, v: RMState): TCommitState => ({ rmState: { ...s.rmState, [rm]: v } })
  return {
    name: `TCommit-plain(RM=${n})`,
    initial: () => [{ rmState: Object.fromEntries(RM.map((rm) => [rm, "working"])) }],
    successors: (s, emit) => {
      const canCommit = RM.every((rm) => s.rmState[rm] === "prepared" || s.rmState[rm] === "committed")
      const notCommitted = RM.every((rm) => s.rmState[rm] !== "committed")
      for (const rm of RM) {
        const st = s.rmState[rm]
        if (st === "working") emit({ action: "Prepare", rm }, set(s, rm, "prepared"))
        if (st === "prepared" && canCommit) emit({ action: "DecideCommit", rm }, set(s, rm, "committed"))
        if ((st === "working" || st === "prepared") && notCommitted) emit({ action: "DecideAbort", rm }, set(s, rm, "aborted"))
      }
    },
    fingerprint: plainFingerprint,
    formatLabel: (l) => `${l.action}(${l.rm})`,
    view: (s) => s,
    properties: [invariant("TCConsistent", (s) => tcConsistent(s.rmState))],
  }
}
