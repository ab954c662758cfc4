/**
 * Symmetry reduction. A system may declare groups of interchangeable names (the servers of a group,
 * clients with the same workload) and a renamer that applies a permutation of those names to a state.
 * `withSymmetry` wraps such a system so that its fingerprint is the least fingerprint over the
 * state's orbit: every strategy (BFS, DFS, the parallel search) then keeps one representative per
 * orbit, while the states it explores, and so its traces, stay concrete and replay on the unreduced
 * system.
 *
 * Sound only when the system and its properties are symmetric. The declaration vouches for the
 * handlers; the wrapper checks what it can: the initial states must map onto initial states under
 * every permutation (else the configuration is refused), and the invariant SYMMETRIC_PROPERTIES
 * evaluates every state property on a renamed copy of explored states and fails, with a trace, when
 * a property tells two interchangeable names apart (one that names `server1`, say).
 */
import { taggedError } from "../errors.ts"
import { stepsOf } from "./path.ts"
import type { Path, TraceStep } from "./result.ts"
import { type Fingerprint, invariant, newFingerprint, type StateProperty, type TransitionSystem } from "./transition-system.ts"

/** A permutation of names: every name of a symmetry group maps to a name of the same group. */
export type Renaming = ReadonlyMap<string, string>

export interface Symmetry<S> {
  /** Disjoint groups of interchangeable names. */
  readonly groups: ReadonlyArray<ReadonlyArray<string>>
  /**
   * The state with every occurrence of a name replaced by its image. With `forFingerprint`, parts
   * the fingerprint does not read (auxiliary history) may be left as they are.
   */
  rename(state: S, renaming: Renaming, forFingerprint: boolean): S
}

/** A symmetry declaration that cannot be used: one line, exit 2. */
export class SymmetryError extends taggedError("SymmetryError") {}

const permutationsOf = <T>(xs: ReadonlyArray<T>): T[][] =>
  xs.length <= 1 ? [[...xs]] : xs.flatMap((x, i) => permutationsOf([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]))

/** Every renaming the groups allow, except the identity (the product of each group's permutations). */
export const renamings = (groups: ReadonlyArray<ReadonlyArray<string>>): Renaming[] => {
  let out: Array<Array<readonly [string, string]>> = [[]]
  for (const g of groups) out = out.flatMap((pairs) => permutationsOf(g).map((p) => [...pairs, ...g.map((n, i) => [n, p[i]!] as const)]))
  return out.filter((pairs) => pairs.some(([a, b]) => a !== b)).map((pairs) => new Map(pairs.filter(([a, b]) => a !== b)))
}

const validate = (groups: ReadonlyArray<ReadonlyArray<string>>, name: string): void => {
  const seen = new Set<string>()
  for (const g of groups) {
    if (g.length < 2) throw new SymmetryError(`${name}: a symmetry group needs two names or more, got [${g.join(", ")}]`)
    for (const n of g) {
      if (seen.has(n)) throw new SymmetryError(`${name}: "${n}" is in two symmetry groups`)
      seen.add(n)
    }
  }
}

const less = (a: Fingerprint, b: Fingerprint) => a.hi < b.hi || (a.hi === b.hi && a.lo < b.lo)

const SYMMETRIC_WRAPPED = Symbol("symmetry reduced")

/** Whether `system` is a symmetry-reduced wrapper (its fingerprints name orbits, not states). */
export const isSymmetryReduced = (system: TransitionSystem<any, any>): boolean => (system as { [SYMMETRIC_WRAPPED]?: boolean })[SYMMETRIC_WRAPPED] === true

/** Which explored states SYMMETRIC_PROPERTIES re-checks: the first 1024, then one in 16. */
const sampled = (n: number) => n < 1024 || (n & 15) === 0

/**
 * The invariant that keeps the reduction honest: a state property must give the same answer on a
 * state and on its renamed copy (one renaming per checked state, in turn).
 */
const symmetricProperties = <S>(properties: ReadonlyArray<StateProperty<S>>, sym: Symmetry<S>, perms: ReadonlyArray<Renaming>): StateProperty<S> => {
  let checked = 0
  const failure = (s: S): string | undefined => {
    const n = checked++
    if (!sampled(n)) return undefined
    const perm = perms[n % perms.length]!
    const t = sym.rename(s, perm, false)
    for (const p of properties) {
      const a = p.holds(s)
      if (a !== p.holds(t)) {
        const swap = [...perm].map(([x, y]) => `${x}->${y}`).join(", ")
        return `property ${p.name} is not symmetric: it ${a ? "holds" : "fails"} here but ${a ? "fails" : "holds"} once names are renamed (${swap}); remove the symmetry declaration or make the property name no single member of a group`
      }
    }
    return undefined
  }
  let last: string | undefined
  return invariant<S>(
    "SYMMETRIC_PROPERTIES",
    (s) => (last = failure(s)) === undefined,
    () => last
  )
}

/**
 * The system reduced by its declared symmetry. Refused (SymmetryError) when the system declares
 * none, checks liveness (fair cycles are not preserved by this reduction as built), or has initial
 * states that a renaming does not map onto initial states.
 */
export const withSymmetry = <S, L>(system: TransitionSystem<S, L>): TransitionSystem<S, L> => {
  const sym = system.symmetry
  if (!sym || sym.groups.length === 0) throw new SymmetryError(`${system.name} declares no symmetry (a configuration's \`symmetry: [[names...]]\`); run without --symmetry`)
  if (system.liveness) throw new SymmetryError(`${system.name} checks liveness properties: --symmetry keeps safety properties only; run without it`)
  validate(sym.groups, system.name)
  const perms = renamings(sym.groups)
  const raw = system.fingerprint.bind(system)
  const key = (f: Fingerprint) => `${f.hi}:${f.lo}`
  const fp = newFingerprint()
  // The configuration must be symmetric: every renaming maps the initial states onto initial states.
  const inits = system.initial()
  const initial = new Set(inits.map((s) => (raw(s, fp), key(fp))))
  for (const s of inits)
    for (const perm of perms) {
      raw(sym.rename(s, perm, true), fp)
      if (!initial.has(key(fp))) {
        const swap = [...perm].map(([x, y]) => `${x}->${y}`).join(", ")
        throw new SymmetryError(`${system.name}: the declared symmetry does not hold: renaming ${swap} changes the initial state (different workloads or node definitions?)`)
      }
    }
  const other = newFingerprint()
  const out = Object.create(system) as TransitionSystem<S, L> & Record<symbol, boolean>
  Object.defineProperties(out, {
    [SYMMETRIC_WRAPPED]: { value: true },
    fingerprint: {
      value: (s: S, into: Fingerprint) => {
        raw(s, into)
        for (let i = 0; i < perms.length; i++) {
          raw(sym.rename(s, perms[i]!, true), other)
          if (less(other, into)) {
            into.hi = other.hi
            into.lo = other.lo
          }
        }
      },
    },
    properties: { value: [...system.properties, symmetricProperties(system.properties, sym, perms)] },
  })
  return out
}

/**
 * Under symmetry the path rebuilt from fingerprints may end in a renamed copy of the state the hit
 * was found from: the last step is then found again there, by its target's orbit (and, for a step
 * property, by the step failing it again).
 */
export const stepInto = <S, L>(
  system: TransitionSystem<S, L>,
  from: S,
  last: { label: L; state: S },
  failsStep: ((from: S, label: L, to: S) => boolean) | undefined
): TraceStep<S, L> => {
  const text = system.formatLabel(last.label)
  const want = newFingerprint()
  const fp = newFingerprint()
  system.fingerprint(last.state, want)
  const steps = stepsOf(system, from)
  const same = (st: { label: L; next: S }) => (system.fingerprint(st.next, fp), fp.hi === want.hi && fp.lo === want.lo)
  const found =
    steps.find((st) => system.formatLabel(st.label) === text && same(st)) ??
    steps.find((st) => same(st) && (failsStep === undefined || failsStep(from, st.label, st.next)))
  if (!found) return { label: last.label, text, state: last.state }
  return { label: found.label, text: system.formatLabel(found.label), state: found.next }
}

/** Appends the hit's last step to a rebuilt path, re-found in the path's own frame when reduced by symmetry. */
export const appendLast = <S, L>(
  system: TransitionSystem<S, L>,
  base: Path<S, L>,
  last: { label: L; state: S },
  failsStep?: (from: S, label: L, to: S) => boolean
): Path<S, L> => {
  const from = base.steps.length === 0 ? base.initial : base.steps[base.steps.length - 1]!.state
  const step = isSymmetryReduced(system) ? stepInto(system, from, last, failsStep) : { label: last.label, text: system.formatLabel(last.label), state: last.state }
  return { ...base, steps: [...base.steps, step] }
}
