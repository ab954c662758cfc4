/**
 * Refinement checking: a mapping `abs` from protocol states to spec states, and a step property that
 * holds when every protocol step s -> t maps to a spec step abs(s) -> abs(t) or to a stutter
 * (abs(s) = abs(t)). It runs on every explored step of any strategy; a violation is a trace like any
 * other, and its detail shows the abstract states before and after.
 */
import { fingerprintValue } from "../checker/hash.ts"
import { newFingerprint, type StepProperty, type TransitionSystem } from "../checker/transition-system.ts"

/** How to decide "abs(s) -> abs(t) is a spec step". */
export type SpecSteps<A> =
  /** Enumerate the spec's successors of abs(s) and compare fingerprints (finite specs). */
  | { readonly system: TransitionSystem<A, unknown> }
  /** A direct predicate, for specs whose successors cannot be enumerated (unbounded values). */
  | { readonly isStep: (before: A, after: A) => boolean }

export interface Refinement<S, A> {
  readonly name: string
  readonly abs: (s: S) => A
  readonly spec: SpecSteps<A>
  /** Renders abstract states in the violation's detail (default JSON of plain data). */
  readonly show?: (a: A) => string
}

const fpA = newFingerprint()
const fpB = newFingerprint()

export const refines = <S, L, A>(r: Refinement<S, A>): StepProperty<S, L> => {
  const spec = r.spec
  // Abstract values are immutable: an object's print is kept for as long as it lives.
  const prints = new WeakMap<object, readonly [number, number]>()
  const fp = (a: A, out: typeof fpA) => {
    const key = typeof a === "object" && a !== null ? a : undefined
    const known = key && prints.get(key)
    if (known) {
      out.hi = known[0]
      out.lo = known[1]
      return
    }
    if ("system" in spec) spec.system.fingerprint(a, out)
    else fingerprintValue(a, out)
    if (key) prints.set(key, [out.hi, out.lo])
  }
  const show = r.show ?? ((a: A) => JSON.stringify(a, (_k, v) => (v instanceof Map ? Object.fromEntries(v) : v instanceof Set ? [...v] : v)))
  const isSpecStep = (a: A, b: A): boolean => {
    if ("isStep" in spec) return spec.isStep(a, b)
    let found = false
    const want = { hi: fpB.hi, lo: fpB.lo }
    const out = newFingerprint()
    spec.system.successors(a, (_l, next) => {
      if (found) return
      spec.system.fingerprint(next, out)
      if (out.hi === want.hi && out.lo === want.lo) found = true
    })
    return found
  }
  // The checker asks about every successor of one state in turn: keep abs(from) and its print.
  let lastFrom: S | undefined
  let lastA: A | undefined
  const lastFp = newFingerprint()
  return {
    name: r.name,
    check: (from, _label, to) => {
      if (from !== lastFrom || lastA === undefined) {
        lastFrom = from
        lastA = r.abs(from)
        fp(lastA, lastFp)
      }
      const a = lastA
      const b = r.abs(to)
      // An abstraction that returns the very same value for unchanged inputs makes most steps free stutters.
      if (b === a) return undefined
      fpA.hi = lastFp.hi
      fpA.lo = lastFp.lo
      fp(b, fpB)
      if (fpA.hi === fpB.hi && fpA.lo === fpB.lo) return undefined // stutter
      return isSpecStep(a, b) ? undefined : `abstract step is not a spec step:\n  before: ${show(a)}\n  after:  ${show(b)}`
    },
  }
}
