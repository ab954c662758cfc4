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
import { canonicalRenamings, generators, renamings } from "./symmetry-canon.ts"

export { renamings }

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
  /**
   * Optional: a summary of member `name` in `state` that renaming cannot change (the signature of
   * pi(name) in pi(state) is that of `name` in `state`). With it the fingerprint renames a state only
   * in the orders that sort each group's members by signature (every order among equal ones), not
   * in every permutation: one renaming per state where the members differ.
   */
  signature?(state: S, name: string): number
  /**
   * Optional: a fingerprint of the state renamed (`null`: not renamed), computed without building it,
   * by a hash of the renamer's own (equal renamed states print equally, whatever they came from).
   * With it the reduced fingerprint is the least of these over the canonical renamings.
   */
  fingerprintRenamed?(state: S, renaming: Renaming | null, out: Fingerprint): void
}

/** A symmetry declaration that cannot be used: one line, exit 2. */
export class SymmetryError extends taggedError("SymmetryError") {}

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

/** What a symmetry-reduced search did, for its report (this thread's fingerprints only). */
export interface SymmetryStats {
  readonly groups: ReadonlyArray<ReadonlyArray<string>>
  /** The most a state's orbit can hold: the product of the groups' factorials. */
  readonly largestOrbit: number
  /** How the fingerprint canonicalises: by sorting members on signatures, or over every permutation. */
  readonly canonical: "sorted" | "all permutations"
  fingerprints: number
  renamings: number
}

const stats = new WeakMap<Symmetry<any>, SymmetryStats>()

/** The counters of the last reduction by `system`'s declared symmetry, if a search used it. */
export const symmetryStats = (system: TransitionSystem<any, any>): SymmetryStats | undefined => (system.symmetry ? stats.get(system.symmetry) : undefined)

/** One line for people: the groups, the bound on the reduction and the canonicalisation's cost. */
export const formatSymmetryStats = (s: SymmetryStats): string =>
  `symmetry over ${s.groups.map((g) => `{${g.join(", ")}}`).join(" x ")}: one state per orbit (an orbit holds at most ${s.largestOrbit} states); canonical form ${s.canonical}, ${(s.renamings / Math.max(s.fingerprints, 1)).toFixed(2)} renamings per state fingerprinted`

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1))

const less = (a: Fingerprint, b: Fingerprint) => a.hi < b.hi || (a.hi === b.hi && a.lo < b.lo)

const SYMMETRIC_WRAPPED = Symbol("symmetry reduced")

/** Whether `system` is a symmetry-reduced wrapper (its fingerprints name orbits, not states). */
export const isSymmetryReduced = (system: TransitionSystem<any, any>): boolean => (system as { [SYMMETRIC_WRAPPED]?: boolean })[SYMMETRIC_WRAPPED] === true

/** Which explored states SYMMETRIC_PROPERTIES re-checks: the first 256, then one in 32. */
const sampled = (n: number) => n < 256 || (n & 31) === 0
/** Which explored states SYMMETRIC_STEPS re-checks (it runs every step twice): the first 64, then one in 64. */
const sampledSteps = (n: number) => n < 64 || (n & 63) === 0

const showRenaming = (perm: Renaming) => [...perm].map(([x, y]) => `${x}->${y}`).join(", ")

/** An invariant that fails with the explanation `failure` computes (undefined: holds). */
const checking = <S>(name: string, failure: (s: S) => string | undefined): StateProperty<S> => {
  let last: string | undefined
  return invariant<S>(name, (s) => (last = failure(s)) === undefined, () => last)
}

/**
 * The invariant that keeps the reduction honest about properties: a state property must give the
 * same answer on a state and on its renamed copy (one generating renaming per checked state, in turn).
 */
const symmetricProperties = <S>(properties: ReadonlyArray<StateProperty<S>>, sym: Symmetry<S>, perms: ReadonlyArray<Renaming>): StateProperty<S> => {
  let checked = 0
  return checking("SYMMETRIC_PROPERTIES", (s) => {
    const n = checked++
    if (!sampled(n)) return undefined
    const perm = perms[n % perms.length]!
    const t = sym.rename(s, perm, false)
    for (const p of properties) {
      const a = p.holds(s)
      if (a !== p.holds(t))
        return `property ${p.name} is not symmetric: it ${a ? "holds" : "fails"} here but ${a ? "fails" : "holds"} once names are renamed (${showRenaming(perm)}); remove the symmetry declaration or make the property name no single member of a group`
    }
    return undefined
  })
}

/**
 * The invariant that keeps the reduction honest about the handlers: renaming must commute with
 * steps (the successors of a renamed state are the renamed successors, compared as multisets of
 * unreduced fingerprints). A protocol that orders members (a ballot (round, server) compared by
 * server, a client that tries servers in index order) breaks it, and the declaration is then wrong.
 */
const symmetricSteps = <S, L>(system: TransitionSystem<S, L>, raw: (s: S, out: Fingerprint) => void, sym: Symmetry<S>, perms: ReadonlyArray<Renaming>): StateProperty<S> => {
  let checked = 0
  const fp = newFingerprint()
  const key = () => `${fp.hi}:${fp.lo}`
  return checking("SYMMETRIC_STEPS", (s) => {
    const n = checked++
    if (!sampledSteps(n)) return undefined
    const perm = perms[n % perms.length]!
    const images: Array<{ key: string; label: L }> = []
    system.successors(s, (label, t) => {
      raw(sym.rename(t, perm, true), fp)
      images.push({ key: key(), label })
    })
    const renamed = new Map<string, number>()
    system.successors(sym.rename(s, perm, false), (_, t) => {
      raw(t, fp)
      renamed.set(key(), (renamed.get(key()) ?? 0) + 1)
    })
    const extra = [...renamed.values()].reduce((a, b) => a + b, 0) - images.length
    for (const im of images) {
      const c = renamed.get(im.key) ?? 0
      if (c === 0)
        return `the declared symmetry does not hold for the steps: renamed (${showRenaming(perm)}), the step "${system.formatLabel(im.label)}" has no renamed counterpart (a handler orders or indexes the members: remove the symmetry declaration)`
      renamed.set(im.key, c - 1)
    }
    return extra === 0 ? undefined : `the declared symmetry does not hold for the steps: renamed (${showRenaming(perm)}), this state has ${extra} more step(s) than it (a handler orders or indexes the members: remove the symmetry declaration)`
  })
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
  const gens = generators(sym.groups)
  const raw = system.fingerprint.bind(system)
  const key = (f: Fingerprint) => `${f.hi}:${f.lo}`
  const fp = newFingerprint()
  // The configuration must be symmetric: the generating renamings map the initial states onto initial states.
  const inits = system.initial()
  const initial = new Set(inits.map((s) => (raw(s, fp), key(fp))))
  for (const s of inits)
    for (const perm of gens) {
      raw(sym.rename(s, perm, true), fp)
      if (!initial.has(key(fp)))
        throw new SymmetryError(`${system.name}: the declared symmetry does not hold: renaming ${showRenaming(perm)} changes the initial state (different workloads or node definitions?)`)
    }
  const other = newFingerprint()
  const renamedPrint = sym.fingerprintRenamed?.bind(sym)
  const least = (s: S, r: Renaming | null, into: Fingerprint, first: boolean) => {
    if (renamedPrint) renamedPrint(s, r, other)
    else raw(r === null ? s : sym.rename(s, r, true), other)
    if (first || less(other, into)) {
      into.hi = other.hi
      into.lo = other.lo
    }
  }
  const counts: SymmetryStats = {
    groups: sym.groups,
    largestOrbit: sym.groups.reduce((n, g) => n * factorial(g.length), 1),
    canonical: sym.signature ? "sorted" : "all permutations",
    fingerprints: 0,
    renamings: 0,
  }
  stats.set(sym, counts)
  let fingerprint: (s: S, into: Fingerprint) => void
  if (sym.signature) {
    const candidates = canonicalRenamings(sym.groups, sym.signature.bind(sym))
    fingerprint = (s, into) => {
      let first = true
      counts.fingerprints++
      candidates(s, (r) => {
        counts.renamings++
        least(s, r, into, first)
        first = false
      })
    }
  } else {
    const perms = renamings(sym.groups)
    fingerprint = (s, into) => {
      counts.fingerprints++
      counts.renamings += perms.length + 1
      least(s, null, into, true)
      for (let i = 0; i < perms.length; i++) least(s, perms[i]!, into, false)
    }
  }
  const out = Object.create(system) as TransitionSystem<S, L> & Record<symbol, boolean>
  Object.defineProperties(out, {
    [SYMMETRIC_WRAPPED]: { value: true },
    fingerprint: { value: fingerprint },
    properties: { value: [...system.properties, symmetricProperties(system.properties, sym, gens), symmetricSteps(system, raw, sym, gens)] },
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
